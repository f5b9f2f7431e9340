//! In-file suppressions (SPEC §10): `# laylint: ignore[CODE, …]` on the line of the
//! primary location, `# laylint: ignore-file[CODE, …]` anywhere in the file.
//! YAML, TOML and Python all use `#` comments.

use std::collections::HashMap;

use crate::diagnostic::RuleCode;

/// The suppression comments of one file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suppressions {
    /// 1-based line → codes ignored on that line.
    lines: HashMap<usize, Vec<String>>,
    file: Vec<String>,
}

const MARKER: &str = "laylint:";

impl Suppressions {
    pub fn parse(text: &str) -> Self {
        let mut out = Self::default();
        if !text.contains(MARKER) {
            return out;
        }
        for (index, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(hash) = rest.find('#') {
                rest = &rest[hash + 1..];
                let Some(directive) = rest.trim_start().strip_prefix(MARKER) else {
                    continue;
                };
                let directive = directive.trim_start();
                if let Some(codes) = directive.strip_prefix("ignore-file").and_then(bracketed) {
                    out.file.extend(codes);
                } else if let Some(codes) = directive.strip_prefix("ignore").and_then(bracketed) {
                    out.lines.entry(index + 1).or_default().extend(codes);
                }
            }
        }
        out
    }

    /// Whether `code` is suppressed on `line` (or anywhere in the file).
    pub fn suppresses(&self, code: &RuleCode, line: Option<usize>) -> bool {
        let hit = |codes: &Vec<String>| codes.iter().any(|c| c == code.as_str());
        hit(&self.file) || line.and_then(|l| self.lines.get(&l)).is_some_and(hit)
    }
}

/// `[A, B]` → `["A", "B"]`.
fn bracketed(text: &str) -> Option<Vec<String>> {
    let inner = text.trim_start().strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    Some(
        inner
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line_and_file_suppressions() {
        let text = "Handler: app.x  # laylint: ignore[HDL001, hdl002]\n# laylint: ignore-file[TYP003]\nx: 1 # note # laylint:ignore[LAY001]\n";
        let s = Suppressions::parse(text);
        let code = |c: &str| RuleCode::new(c).unwrap();
        assert!(s.suppresses(&code("HDL001"), Some(1)));
        assert!(s.suppresses(&code("HDL002"), Some(1)));
        assert!(!s.suppresses(&code("HDL001"), Some(2)));
        assert!(s.suppresses(&code("TYP003"), None));
        assert!(s.suppresses(&code("LAY001"), Some(3)));
    }
}
