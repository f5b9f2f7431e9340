//! `concise`: `path:line:col: CODE message`, for editors' problem matchers and grep.

use std::io::{self, Write};

use super::DisplayPaths;
use super::escape::escape;
use crate::diagnostic::Diagnostic;

pub fn write(
    diagnostics: &[Diagnostic],
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        let (line, column) = d.start.map_or((1, 1), |s| (s.line, s.column));
        writeln!(
            out,
            "{}:{line}:{column}: {} {}",
            escape(&paths.show(&d.location.path)),
            d.code,
            escape(&d.message)
        )?;
    }
    Ok(())
}
