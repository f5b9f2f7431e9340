//! Inline function code: CloudFormation `ZipFile`, SAM `InlineCode`, CDK
//! `Code.from_inline(…)` / `InlineCode(…)`. The runtime saves it as `index.py`, so it is
//! parsed like that file; its offsets map back into the declaring file, so a syntax error
//! or a missing function points at the line of the template or CDK app that holds it.

use std::ops::Range;

/// Longest stretch of the declaring file searched for one line of the code: its own
/// length (escapes such as `\u00e9` grow it up to six times) plus the indentation and
/// quotes between lines.
const LINE_SLACK: usize = 256;

/// Inline code and where each of its lines sits in the declaring file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct InlineCode {
    /// The code, as the runtime writes it to `index.py`.
    pub text: String,
    /// The whole value in the declaring file (block scalar or string literal).
    pub span: Range<usize>,
    lines: Vec<LineStart>,
}

/// Where one line of the code starts, in the code and in the file. `verbatim` lines were
/// found as written, so columns map too; the others map to where the search stood.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
struct LineStart {
    in_code: usize,
    in_file: usize,
    verbatim: bool,
}

impl InlineCode {
    /// `text` is the decoded value whose source is `file[span]`. Each line of the code is
    /// looked for in order in the source, within a bounded window: indentation of a YAML
    /// block scalar, quotes and `\n` escapes of a string literal sit between the lines.
    pub fn new(text: &str, file: &str, span: Range<usize>) -> Self {
        let raw = file.get(span.clone()).unwrap_or_default();
        let mut lines = Vec::new();
        let (mut in_code, mut pos) = (0, 0);
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let found = (!content.trim().is_empty())
                .then(|| {
                    let end = floor_boundary(raw, pos + content.len() * 6 + LINE_SLACK);
                    raw.get(pos..end)?.find(content)
                })
                .flatten();
            match found {
                Some(at) => {
                    lines.push(LineStart {
                        in_code,
                        in_file: span.start + pos + at,
                        verbatim: true,
                    });
                    pos += at + content.len();
                }
                None => lines.push(LineStart {
                    in_code,
                    in_file: span.start + pos,
                    verbatim: false,
                }),
            }
            in_code += line.len();
        }
        Self {
            text: text.to_string(),
            span,
            lines,
        }
    }

    /// The file offset of an offset in the code.
    pub fn file_offset(&self, offset: usize) -> usize {
        let index = self.lines.partition_point(|l| l.in_code <= offset);
        let Some(line) = index.checked_sub(1).and_then(|i| self.lines.get(i)) else {
            return self.span.start;
        };
        let mapped = if line.verbatim {
            line.in_file + (offset - line.in_code)
        } else {
            line.in_file
        };
        mapped.clamp(self.span.start, self.span.end)
    }

    /// A span of the code as a span of the file.
    pub fn file_span(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.file_offset(span.start);
        start..self.file_offset(span.end).max(start)
    }
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::InlineCode;

    fn mapped<'a>(file: &'a str, code: &InlineCode, needle: &str) -> &'a str {
        let at = code.text.find(needle).expect("needle in code");
        let span = code.file_span(&(at..at + needle.len()));
        &file[span]
    }

    #[test]
    fn block_scalar_lines_map_into_the_yaml() {
        let file = "Code:\n  ZipFile: |\n    def handler(e, c):\n        return (\n";
        let start = file.find('|').unwrap();
        let code = InlineCode::new(
            "def handler(e, c):\n    return (\n",
            file,
            start..file.len(),
        );
        assert_eq!(mapped(file, &code, "return ("), "return (");
        let offset = code.file_offset(code.text.find("(e").unwrap());
        assert_eq!(&file[offset..offset + 2], "(e");
    }

    #[test]
    fn escaped_string_lines_map_into_the_python() {
        let file = "Code.from_inline(\"import os\\ndef handler(e, c):\\n    return os.sep\\n\")";
        let start = file.find('"').unwrap();
        let code = InlineCode::new(
            "import os\ndef handler(e, c):\n    return os.sep\n",
            file,
            start..file.len() - 1,
        );
        assert_eq!(mapped(file, &code, "os.sep"), "os.sep");
        assert_eq!(mapped(file, &code, "def handler"), "def handler");
    }

    #[test]
    fn unmatched_text_maps_inside_the_value() {
        let file = "x: 'a\\tb'\n";
        let code = InlineCode::new("a\tb", file, 3..9);
        assert_eq!(code.file_offset(2), 3);
        assert_eq!(code.file_offset(100), 3);
        let empty = InlineCode::new("", file, 3..9);
        assert_eq!(empty.file_span(&(0..0)), 3..3);
    }
}
