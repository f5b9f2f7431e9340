//! `--diff`: the unified diff of what `--fix` would change, in git's format (a new file
//! diffs against `/dev/null`).

use std::fmt::Write as _;

use similar::TextDiff;

use super::FileResult;
use crate::report::escape;

/// The unified diff of one file, three lines of context. Repository text is printed as it
/// is, but for control characters, which are escaped as in every report.
pub fn unified(file: &FileResult) -> String {
    let before = file.before.as_deref().unwrap_or("");
    let path = escape::escape(file.path.as_str());
    let old = if file.before.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_string()
    };
    let diff = TextDiff::from_lines(before, file.after.as_str());
    let mut out = String::new();
    let _ = writeln!(out, "--- {old}\n+++ b/{path}");
    if file.before.is_none() && file.after.is_empty() {
        // An empty new file has no hunk; say what happens.
        let _ = writeln!(out, "(new empty file)");
        return out;
    }
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        for line in hunk.to_string().split_inclusive('\n') {
            let (body, newline) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            for c in body.chars() {
                if c == '\t' {
                    out.push(c);
                } else {
                    escape::push_escaped(&mut out, c);
                }
            }
            out.push_str(newline);
        }
    }
    out
}
