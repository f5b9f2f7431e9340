//! A file's text with a line index, for spans and line numbers.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::LineCol;
use crate::paths::RelPath;

/// The text of one repository file, read once.
#[derive(Debug)]
pub struct SourceFile {
    pub path: RelPath,
    pub text: Arc<str>,
    /// Built on first use: most files read never need a line number.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Characters before each [`CHAR_BLOCK`]-byte block, built when a long line needs a
    /// column: counting from the line's start for every finding on a 2 MB line is quadratic.
    char_blocks: std::sync::OnceLock<Vec<usize>>,
}

/// The block size of [`SourceFile::chars_before`]'s index.
const CHAR_BLOCK: usize = 4096;

/// Whether `byte` starts a UTF-8 character (is not a continuation byte).
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

impl SourceFile {
    pub fn new(path: RelPath, text: impl Into<Arc<str>>) -> Self {
        Self {
            path,
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            char_blocks: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts().partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts()[line];
        let column = if offset - start <= CHAR_BLOCK {
            self.text[start..offset].chars().count() + 1
        } else {
            self.chars_before(offset) - self.chars_before(start) + 1
        };
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The 1-based line holding a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts().partition_point(|&start| start <= offset)
    }

    /// The number of characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let blocks = self.char_blocks.get_or_init(|| {
            let mut counts = Vec::with_capacity(bytes.len() / CHAR_BLOCK + 2);
            let mut total = 0;
            counts.push(0);
            for block in bytes.chunks(CHAR_BLOCK) {
                total += block.iter().filter(|&&b| starts_char(b)).count();
                counts.push(total);
            }
            counts
        });
        let block = offset / CHAR_BLOCK;
        blocks[block]
            + bytes[block * CHAR_BLOCK..offset]
                .iter()
                .filter(|&&b| starts_char(b))
                .count()
    }

    /// The byte offset of a 1-based line and 0-based character column.
    pub fn offset(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = &self.text[start..self.line_range(line).end];
        start
            + line_text
                .char_indices()
                .nth(char_col)
                .map_or(line_text.len(), |(i, _)| i)
    }

    /// The byte range of a 1-based line, without its newline.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts()
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_lines() {
        let file = SourceFile::new(RelPath::root(), "ab\nçd\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(file.offset(2, 1), 5);
        assert_eq!(file.line_range(2), 3..6);
        assert_eq!(
            (file.line_of(0), file.line_of(3), file.line_of(99)),
            (1, 2, 3)
        );
    }

    #[test]
    fn columns_on_long_lines_count_characters() {
        let line = "é".repeat(5_000) + "x" + &"ü".repeat(5_000);
        let text = format!("a\n{line}\n");
        let file = SourceFile::new(RelPath::root(), text.as_str());
        for chars in [0, 1, 2_000, 4_999, 5_000, 5_001, 10_001] {
            let offset = 2 + line
                .char_indices()
                .nth(chars)
                .map_or(line.len(), |(i, _)| i);
            assert_eq!(
                file.line_col(offset),
                LineCol {
                    line: 2,
                    column: chars + 1
                },
                "{chars}"
            );
        }
    }
}
