//! What a run leaves for the reports: the diagnostics, with line and column resolved, and
//! the lines of each file that a report shows around a span. The engine fills it from the
//! texts read while the checks ran; reports and the language server take only this, so no
//! file is read after the checks finish.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, LineCol};
use crate::paths::RelPath;

/// A span covering more lines than this is shown by its first line only.
pub const MAX_SPAN_LINES: usize = 50;

/// The outcome of the checks, ready to report.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Sink {
    /// Filtered, suppressed, sorted and deduplicated.
    pub diagnostics: Vec<Diagnostic>,
    pub excerpts: Excerpts,
}

/// The excerpt of every file a diagnostic (or a related location) has a span in.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Excerpts {
    by_path: BTreeMap<RelPath, Excerpt>,
}

impl Excerpts {
    /// The lines around every span of `diagnostics`, from the texts `text_of` has
    /// (a file without one gets no excerpt: reports then say where instead of showing it).
    pub fn collect<'t>(
        diagnostics: &[Diagnostic],
        text_of: impl Fn(&RelPath) -> Option<&'t str>,
    ) -> Self {
        let mut spans: BTreeMap<&RelPath, Vec<Range<usize>>> = BTreeMap::new();
        for d in diagnostics {
            let related = d.related.iter().map(|r| &r.location);
            for location in std::iter::once(&d.location).chain(related) {
                if let Some(span) = &location.span {
                    spans.entry(&location.path).or_default().push(span.clone());
                }
            }
            // The language server turns a fix's edits into line and column too.
            let edits = d.fix.iter().flat_map(|f| &f.edits);
            for edit in edits {
                if let crate::diagnostic::Edit::Replace { path, range, .. } = edit {
                    spans.entry(path).or_default().push(range.clone());
                }
            }
        }
        let by_path = spans
            .into_iter()
            .filter_map(|(path, spans)| {
                let text = text_of(path)?;
                Some((path.clone(), Excerpt::around(text, &spans)))
            })
            .collect();
        Self { by_path }
    }

    pub fn get(&self, path: &RelPath) -> Option<&Excerpt> {
        self.by_path.get(path)
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// One kept line: its byte offset in the file, where its text ends (before `\r\n` or
/// `\n`), and its text up to the next line's start.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Line {
    number: usize,
    start: usize,
    end: usize,
    text: String,
}

/// Some lines of a file, at their offsets in the file: enough to place labels on spans,
/// count columns and draw a snippet, without the rest of the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Excerpt {
    len: usize,
    line_count: usize,
    ends_with_newline: bool,
    /// Sorted by number (and so by offset).
    lines: Vec<Line>,
}

/// Where each line of a text starts.
struct Index<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Index<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn floor(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based.
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&start| start <= offset)
    }

    fn line(&self, number: usize) -> Line {
        let len = self.text.len();
        let start = self.starts.get(number - 1).copied().unwrap_or(len);
        let next = self.starts.get(number).copied().unwrap_or(len);
        let mut end = if number < self.starts.len() {
            next - 1
        } else {
            len
        };
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Line {
            number,
            start,
            end: end.max(start),
            text: self.text[start..next.max(start)].to_string(),
        }
    }
}

impl Excerpt {
    /// Every line of `text` (a configuration file shown in an error).
    pub fn whole(text: &str) -> Self {
        let index = Index::new(text);
        let numbers = 1..=index.starts.len();
        Self::keep(&index, numbers.collect())
    }

    /// The lines a snippet of `spans` shows: each span's lines (its first only when it
    /// covers more than [`MAX_SPAN_LINES`]) and one line of context on either side.
    pub fn around(text: &str, spans: &[Range<usize>]) -> Self {
        let index = Index::new(text);
        let mut numbers = Vec::new();
        for span in spans {
            let start = index.floor(span.start);
            let end = index.floor(span.end.max(start));
            let first = index.line_of(start);
            let mut last = index.line_of(end);
            if last - first > MAX_SPAN_LINES {
                last = first;
            }
            numbers.extend(first.saturating_sub(1).max(1)..=(last + 1).min(index.starts.len()));
        }
        numbers.sort_unstable();
        numbers.dedup();
        Self::keep(&index, numbers)
    }

    fn keep(index: &Index<'_>, numbers: Vec<usize>) -> Self {
        Self {
            len: index.text.len(),
            line_count: index.starts.len(),
            ends_with_newline: index.text.ends_with('\n'),
            lines: numbers.into_iter().map(|n| index.line(n)).collect(),
        }
    }

    /// The length of the whole file, in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of lines of the whole file (one more than its newlines).
    pub fn line_count(&self) -> usize {
        self.line_count
    }

    pub fn ends_with_newline(&self) -> bool {
        self.ends_with_newline
    }

    /// The kept line holding `offset` (the last one starting at or before it).
    fn holding(&self, offset: usize) -> Option<&Line> {
        let after = self.lines.partition_point(|l| l.start <= offset);
        after.checked_sub(1).map(|i| &self.lines[i])
    }

    fn numbered(&self, number: usize) -> Option<&Line> {
        self.lines
            .binary_search_by_key(&number, |l| l.number)
            .ok()
            .map(|i| &self.lines[i])
    }

    /// `offset` clamped to the file and moved back to a character boundary.
    pub fn floor_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.len);
        if let Some(line) = self.holding(offset) {
            while offset > line.start
                && offset < line.start + line.text.len()
                && !line.text.is_char_boundary(offset - line.start)
            {
                offset -= 1;
            }
        }
        offset
    }

    /// The 1-based line holding `offset` (clamped to the file).
    pub fn line_of(&self, offset: usize) -> usize {
        self.holding(offset.min(self.len)).map_or(1, |l| l.number)
    }

    /// The byte range of a 1-based line, without its newline.
    pub fn line_range(&self, number: usize) -> Range<usize> {
        self.numbered(number)
            .map_or(self.len..self.len, |l| l.start..l.end)
    }

    /// Where the line after `number` starts (the end of the file after the last).
    pub fn next_start(&self, number: usize) -> usize {
        self.numbered(number)
            .map_or(self.len, |l| l.start + l.text.len())
    }

    /// The text of `range`, which lies within one kept line (empty otherwise).
    pub fn slice(&self, range: Range<usize>) -> &str {
        self.holding(range.start)
            .and_then(|l| {
                let from = range.start.checked_sub(l.start)?;
                let to = range.end.checked_sub(l.start)?;
                l.text.get(from..to)
            })
            .unwrap_or("")
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_boundary(offset);
        let line = self.line_of(offset);
        let start = self.line_range(line).start;
        LineCol {
            line,
            column: self.slice(start..offset).chars().count() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_lines_around_each_span_at_their_offsets() {
        let text: String = (1..=100).map(|i| format!("line {i}\r\n")).collect();
        let at = text.find("line 50").unwrap();
        let excerpt = Excerpt::around(&text, &[at..at + 4, at + 1..at + 2]);
        let kept: Vec<usize> = excerpt.lines.iter().map(|l| l.number).collect();
        assert_eq!(kept, [49, 50, 51]);
        assert_eq!(excerpt.line_count(), 101);
        assert_eq!(excerpt.line_of(at + 2), 50);
        assert_eq!(excerpt.line_range(50), at..at + 7);
        assert_eq!(excerpt.next_start(50), at + 9);
        assert_eq!(excerpt.slice(at..at + 7), "line 50");
        assert_eq!(
            excerpt.line_col(at + 5),
            LineCol {
                line: 50,
                column: 6
            }
        );
    }

    #[test]
    fn a_long_span_keeps_its_first_line_and_a_whole_text_every_line() {
        let text = "é\n".repeat(200);
        let excerpt = Excerpt::around(&text, &[0..300, 301..302]);
        let kept: Vec<usize> = excerpt.lines.iter().map(|l| l.number).collect();
        assert_eq!(kept, [1, 2, 100, 101, 102]);
        // Inside `é`: back to its start.
        assert_eq!(excerpt.floor_boundary(1), 0);
        let whole = Excerpt::whole("a\nb");
        assert_eq!(whole.lines.len(), 2);
        assert!(!whole.ends_with_newline());
        assert_eq!(whole.line_col(99), LineCol { line: 2, column: 2 });
    }
}
