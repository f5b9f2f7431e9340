//! `github`: workflow commands that GitHub Actions turns into annotations.

use std::io::{self, Write};

use super::DisplayPaths;
use super::escape::push_escaped;
use crate::diagnostic::{Diagnostic, Severity};

pub fn write(
    diagnostics: &[Diagnostic],
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={}", escape_property(&paths.show(&d.location.path)));
        if let (Some(start), Some(end)) = (d.start, d.end) {
            props.push_str(&format!(
                ",line={},col={},endLine={},endColumn={}",
                start.line, start.column, end.line, end.column
            ));
        }
        props.push_str(&format!(
            ",title={}",
            escape_property(&format!("laylint ({})", d.code))
        ));
        writeln!(out, "::{level} {props}::{}", escape_data(&d.message))?;
    }
    Ok(())
}

/// GitHub's escaping of a workflow command's message; other control characters are made
/// visible, so nothing in the message can reach the log raw.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
