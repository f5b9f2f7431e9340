//! `junit`: one test suite per file, one failing test case per diagnostic.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::DisplayPaths;
use super::escape::push_escaped;
use crate::diagnostic::Diagnostic;

/// Text or attribute content: markup escaped, and every control character, bidi override
/// and character XML 1.0 forbids (U+FFFE, U+FFFF) written visibly as `\u{…}`, so the
/// document is well-formed whatever the repository's names hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

pub fn write(
    diagnostics: &[Diagnostic],
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut by_file: BTreeMap<Cow<'_, str>, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file
            .entry(paths.show(&d.location.path))
            .or_default()
            .push(d);
    }
    let total = diagnostics.len().max(1);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="laylint" tests="{total}" failures="{}" errors="0">"#,
        diagnostics.len()
    )?;
    if diagnostics.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="laylint" tests="1" failures="0" errors="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="No problems found" classname="laylint"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (path, items) in by_file {
        let path = escape(&path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{n}" failures="{n}" errors="0">"#,
            n = items.len()
        )?;
        for d in items {
            let (line, column) = d.start.map_or((1, 1), |s| (s.line, s.column));
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{path}" line="{line}">"#,
                escape(&format!("{} {}", d.code, d.rule))
            )?;
            let help = d
                .help
                .as_deref()
                .map(|h| format!("\nhelp: {}", escape(h)))
                .unwrap_or_default();
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{path}:{line}:{column}: {}{}</failure>"#,
                escape(&d.message),
                d.severity,
                escape(&d.message),
                help
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
