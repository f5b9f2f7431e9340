//! In-file suppressions: `# laylint: ignore[CODE, …]` on the line of the
//! primary location, `# laylint: ignore-file[CODE, …]` anywhere in the file.
//! YAML, TOML, INI and Python all use `#` comments. Unused ones are SUP001.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Finding, Location, RuleCode};
use crate::paths::RelPath;

mod unused_fix;

/// One code named in one suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    pub code: String,
    /// Byte span of the code inside the comment.
    pub span: Range<usize>,
    pub file_level: bool,
    /// The whole directive, from its `#` to its `]`.
    pub comment: Range<usize>,
}

/// The suppression comments of one file, and which of them did suppress something.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suppressions {
    directives: Vec<Directive>,
    used: Vec<bool>,
}

const MARKER: &str = "laylint:";

impl Suppressions {
    pub fn parse(text: &str) -> Self {
        let mut directives = Vec::new();
        if text.contains(MARKER) {
            let mut offset = 0;
            for (index, line) in text.split_inclusive('\n').enumerate() {
                parse_line(line, offset, index + 1, &mut directives);
                offset += line.len();
            }
        }
        let used = vec![false; directives.len()];
        Self { directives, used }
    }

    /// Whether `code` is suppressed on `line` (or in the whole file); marks the directive used.
    pub fn suppresses(&mut self, code: &RuleCode, line: Option<usize>) -> bool {
        let hit = self
            .directives
            .iter()
            .position(|d| d.code == code.as_str() && (d.file_level || Some(d.line) == line));
        if let Some(index) = hit {
            self.used[index] = true;
        }
        hit.is_some()
    }

    /// The directives that suppressed nothing.
    pub fn unused(&self) -> impl Iterator<Item = &Directive> {
        self.directives
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(d, _)| d)
    }
}

fn parse_line(line: &str, line_start: usize, number: usize, out: &mut Vec<Directive>) {
    let mut from = 0;
    while let Some(hash) = line[from..].find('#') {
        let hash_at = line_start + from + hash;
        from += hash + 1;
        let after = &line[from..];
        let Some(directive) = after.trim_start().strip_prefix(MARKER) else {
            continue;
        };
        let directive_start = from + (after.len() - after.trim_start().len()) + MARKER.len();
        let trimmed = directive.trim_start();
        let mut at = directive_start + (directive.len() - trimmed.len());
        let (file_level, rest) = if let Some(rest) = trimmed.strip_prefix("ignore-file") {
            (true, rest)
        } else if let Some(rest) = trimmed.strip_prefix("ignore") {
            (false, rest)
        } else {
            continue;
        };
        at += trimmed.len() - rest.len();
        let Some(open) = rest.find('[').filter(|&i| rest[..i].trim().is_empty()) else {
            continue;
        };
        let Some(close) = rest[open..].find(']') else {
            continue;
        };
        let inner_start = at + open + 1;
        let comment = hash_at..line_start + at + open + close + 1;
        let mut cursor = inner_start;
        for part in rest[open + 1..open + close].split(',') {
            let lead = part.len() - part.trim_start().len();
            let code = part.trim();
            if !code.is_empty() {
                let start = line_start + cursor + lead;
                out.push(Directive {
                    line: number,
                    code: code.to_ascii_uppercase(),
                    span: start..start + code.len(),
                    file_level,
                    comment: comment.clone(),
                });
            }
            cursor += part.len() + 1;
        }
    }
}

/// The suppressions of a file laylint read, parsed once.
fn sup_for<'m, 't>(
    text_of: &impl Fn(&RelPath) -> Option<&'t str>,
    by_file: &'m mut HashMap<RelPath, Suppressions>,
    path: &RelPath,
) -> Option<&'m mut Suppressions> {
    if !by_file.contains_key(path) {
        let text = text_of(path)?;
        by_file.insert(path.clone(), Suppressions::parse(text));
    }
    by_file.get_mut(path)
}

/// Drops suppressed diagnostics. `text_of` gives the text of the files laylint read (no
/// file is read here). With `report_unused`, also returns a finding for every directive
/// in the files `all_read` names that suppressed nothing.
pub fn apply<'t, 'p>(
    text_of: impl Fn(&RelPath) -> Option<&'t str>,
    all_read: impl Iterator<Item = &'p RelPath>,
    diagnostics: Vec<Diagnostic>,
    report_unused: bool,
    known: &dyn Fn(&str) -> bool,
) -> (Vec<Diagnostic>, Vec<Finding>) {
    let mut by_file: HashMap<RelPath, Suppressions> = HashMap::new();
    let kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            // A finding on a whole file is reported at 1:1, so a comment on line 1 suppresses it.
            let line = Some(d.start.map_or(1, |s| s.line));
            sup_for(&text_of, &mut by_file, &d.location.path)
                .is_none_or(|sup| !sup.suppresses(&d.code, line))
        })
        .collect();
    let mut unused = Vec::new();
    if report_unused {
        for path in all_read {
            let text = text_of(path);
            if let Some(sup) = sup_for(&text_of, &mut by_file, path) {
                for directive in sup.unused() {
                    let fix = text.and_then(|text| unused_fix::fix(text, path, sup, directive));
                    let why = if known(&directive.code) {
                        "suppresses nothing here"
                    } else {
                        "is not a rule code"
                    };
                    let message = format!("unused suppression: `{}` {why}", directive.code);
                    unused.push(
                        Finding::new(
                            Location::span(path.clone(), directive.span.clone()),
                            message,
                        )
                        .with_help("remove it from the comment")
                        .with_fix(fix),
                    );
                }
            }
        }
    }
    (kept, unused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line_and_file_suppressions() {
        let text = "Handler: app.x  # laylint: ignore[HDL001, hdl002]\n# laylint: ignore-file[TYP003]\nx: 1 # note # laylint:ignore[LAY001]\n";
        let mut s = Suppressions::parse(text);
        let code = |c: &str| RuleCode::new(c).unwrap();
        assert!(s.suppresses(&code("HDL001"), Some(1)));
        assert!(!s.suppresses(&code("HDL001"), Some(2)));
        assert!(s.suppresses(&code("TYP003"), None));
        assert!(s.suppresses(&code("LAY001"), Some(3)));
        let unused: Vec<&Directive> = s.unused().collect();
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].code, "HDL002");
        assert_eq!(&text[unused[0].span.clone()], "hdl002");
        assert_eq!(
            &text[unused[0].comment.clone()],
            "# laylint: ignore[HDL001, hdl002]"
        );
    }
}
