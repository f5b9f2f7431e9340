//! SUP001's fix: remove the unused code from its comment, or the whole comment when none
//! of its codes is used (the whole line when the comment is all it holds).

use std::ops::Range;

use super::{Directive, Suppressions};
use crate::diagnostic::{Edit, Fix};
use crate::paths::RelPath;

/// The fix for the unused `directive` of `sup`, parsed from `text`. `None` when the
/// comment is followed by something other than another comment: the `#` may then be
/// inside a string, and removing it would change more than a comment.
pub(super) fn fix(
    text: &str,
    path: &RelPath,
    sup: &Suppressions,
    directive: &Directive,
) -> Option<Fix> {
    let siblings: Vec<(&Directive, bool)> = sup.in_comment(directive).collect();
    let index = siblings
        .iter()
        .position(|(d, _)| d.span == directive.span)?;
    if siblings.iter().all(|(_, used)| !used) {
        let range = whole_comment(text, &directive.comment)?;
        return Some(Fix::safe(
            "remove the unused suppression comment",
            vec![Edit::delete(path.clone(), range)],
        ));
    }
    // Some other code of the comment is used: remove this one and one comma beside it.
    let range = match (siblings.get(index + 1), index.checked_sub(1)) {
        (Some((next, _)), _) => directive.span.start..next.span.start,
        (None, Some(previous)) => siblings.get(previous)?.0.span.end..directive.span.end,
        (None, None) => return None,
    };
    Some(Fix::safe(
        format!("remove `{}` from the suppression comment", directive.code),
        vec![Edit::delete(path.clone(), range)],
    ))
}

/// The bytes to delete for the comment `comment`: with the blanks before it, up to the
/// end of the line or the next `#`; the whole line when nothing else is on it.
fn whole_comment(text: &str, comment: &Range<usize>) -> Option<Range<usize>> {
    let line_start = text.get(..comment.start)?.rfind('\n').map_or(0, |i| i + 1);
    let rest = text.get(comment.end..)?;
    let line_end = comment.end + rest.find('\n').unwrap_or(rest.len());
    let after = text.get(comment.end..line_end)?;
    let before = text.get(line_start..comment.start)?;
    let after_trimmed = after.trim_start();
    if !after_trimmed.trim_end().is_empty() && !after_trimmed.starts_with('#') {
        return None;
    }
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    if after_trimmed.starts_with('#') {
        // Keep the comment that follows, where this one began.
        return Some(comment.start..comment.end + blanks);
    }
    if before.trim().is_empty() {
        let next_line = (line_end + 1).min(text.len());
        return Some(line_start..next_line);
    }
    // Keep what precedes, and a `\r` of a CRLF line ending.
    Some(line_start + before.trim_end().len()..comment.end + blanks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::RuleCode;
    use crate::fix::apply_edits;

    /// `text` after fixing every unused directive, one pass of non-overlapping fixes.
    fn fixed(text: &str, used: &[&str]) -> String {
        let mut sup = Suppressions::parse(text);
        for code in used {
            sup.suppresses(&RuleCode::new(code).unwrap(), Some(1));
        }
        let path = RelPath::parse("t.py").unwrap();
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for d in sup.unused() {
            let fix = fix(text, &path, &sup, d).expect("a fix");
            for edit in fix.edits {
                if let Edit::Replace { range, content, .. } = edit
                    && !edits.iter().any(|(r, _)| *r == range)
                {
                    edits.push((range, content));
                }
            }
        }
        edits.sort_by_key(|(r, _)| r.start);
        apply_edits(text, &edits).unwrap()
    }

    #[test]
    fn removes_a_code_or_the_whole_comment() {
        assert_eq!(
            fixed("x = 1  # laylint: ignore[HDL001, HDL002]\n", &["HDL002"]),
            "x = 1  # laylint: ignore[HDL002]\n"
        );
        assert_eq!(
            fixed("x = 1  # laylint: ignore[HDL001, HDL002]\n", &["HDL001"]),
            "x = 1  # laylint: ignore[HDL001]\n"
        );
        assert_eq!(
            fixed("x = 1  # laylint: ignore[HDL001, HDL002]\ny = 2\n", &[]),
            "x = 1\ny = 2\n"
        );
        assert_eq!(
            fixed("# laylint: ignore-file[TYP003]\ny = 2\n", &[]),
            "y = 2\n"
        );
        assert_eq!(
            fixed("x: 1 # note # laylint:ignore[LAY001]\r\n", &[]),
            "x: 1 # note\r\n"
        );
        assert_eq!(
            fixed("x: 1  # laylint: ignore[LAY001]  # keep me\n", &[]),
            "x: 1  # keep me\n"
        );
    }

    #[test]
    fn no_fix_when_something_follows_the_comment() {
        let text = "x = \"# laylint: ignore[HDL001]\"\n";
        let sup = Suppressions::parse(text);
        let d = sup.unused().next().unwrap();
        assert!(fix(text, &RelPath::parse("t.py").unwrap(), &sup, d).is_none());
    }
}
