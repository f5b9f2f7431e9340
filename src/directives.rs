//! Suppression comments in a text: `# laylint: ignore[CODE, …]` on the line of the
//! primary location, `# laylint: ignore-file[CODE, …]` anywhere in the file. YAML, TOML,
//! INI and Python all use `#` comments. The model keeps the text of every file that holds
//! [`MARKER`] ([`has_directives`]); [`crate::suppress`] applies them.

use std::ops::Range;

use crate::diagnostic::RuleCode;

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

/// What starts a directive inside a `#` comment.
pub const MARKER: &str = "laylint:";

/// Whether `text` may hold a suppression comment (a fast scan: most files do not).
pub fn has_directives(text: &str) -> bool {
    text.contains(MARKER)
}

impl Suppressions {
    pub fn parse(text: &str) -> Self {
        let mut directives = Vec::new();
        if has_directives(text) {
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

    /// The directives of the comment `directive` is in, in order, and whether each was
    /// used.
    pub fn in_comment<'a>(
        &'a self,
        directive: &'a Directive,
    ) -> impl Iterator<Item = (&'a Directive, bool)> + 'a {
        self.directives
            .iter()
            .zip(&self.used)
            .filter(move |(d, _)| d.comment == directive.comment)
            .map(|(d, used)| (d, *used))
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
