//! The part of a file that `full` shows, made safe for miette and for the terminal.
//!
//! miette's graphical handler panics on a column past 65,535 and prints lines raw. A
//! [`Snippet`] holds only the lines around the labels (others are left empty, so line
//! numbers stay true), cuts a long line to a window around its label, and escapes control
//! characters; the labels are moved to match.

use std::ops::Range;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{is_unsafe, push_escaped};
use crate::sink::{Excerpt, MAX_SPAN_LINES};

/// Lines longer than this (in bytes) are cut to a window around their label.
const LONG_LINE: usize = 1_000;
/// Characters kept on each side of the labelled point of a cut line.
const HALF_WINDOW: usize = 100;
/// Marks where a cut line continues.
const CUT: &str = "…";

/// One label to place in a snippet: a byte range of the original file.
pub struct Label {
    pub text: Option<String>,
    pub span: Range<usize>,
    pub primary: bool,
}

/// The lines of a file that a report shows; the name carries the location.
#[derive(Debug)]
pub struct Snippet {
    name: String,
    text: String,
    /// 0-based number of the file's line that is the snippet's first.
    first_line: usize,
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = <str as SourceCode>::read_span(
            self.text.as_str(),
            span,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A label end point: its offset in the file, clamped to where the snippet shows it.
struct Point {
    old: usize,
    new: usize,
}

/// The snippet of `file` that shows `labels`, and the labels in the snippet's offsets.
/// `name` is the header miette prints (`path:line:column`).
/// A label spanning more than [`MAX_SPAN_LINES`] lines is shortened to its first line.
pub fn build(name: String, file: &Excerpt, labels: &[Label]) -> (Snippet, Vec<LabeledSpan>) {
    let boundary = |offset: usize| file.floor_boundary(offset);
    // Each label as (first line, last line, start, end) in the file.
    let placed: Vec<(usize, usize, usize, usize)> = labels
        .iter()
        .map(|label| {
            let start = boundary(label.span.start);
            let mut end = boundary(label.span.end.max(start));
            let first = file.line_of(start);
            let mut last = file.line_of(end);
            if last - first > MAX_SPAN_LINES {
                end = file.line_range(first).end.max(start);
                last = first;
            }
            (first, last, start, end)
        })
        .collect();
    let line_count = file.line_count();
    let shown = |line: usize| {
        placed
            .iter()
            .any(|&(first, last, ..)| first.saturating_sub(1) <= line && line <= last + 1)
    };
    let first_line = placed.iter().map(|p| p.0).min().unwrap_or(1).max(2) - 1;
    // The empty "line" after a final newline is shown only when a label is on it.
    let context_lines = if file.ends_with_newline() {
        line_count - 1
    } else {
        line_count
    };
    let last_label_line = placed.iter().map(|p| p.1).max().unwrap_or(1);
    let last_line = (last_label_line + 1)
        .min(context_lines)
        .max(last_label_line);
    let mut points: Vec<Point> = placed
        .iter()
        .flat_map(|&(_, _, start, end)| [start, end])
        .map(|old| Point { old, new: 0 })
        .collect();
    let mut out = String::new();
    for line in first_line..=last_line {
        if shown(line) {
            let range = file.line_range(line);
            // The end of this line's region in the file: the next line's start.
            let next = file.next_start(line);
            write_line(&mut out, file, range, next, &mut points);
        }
        out.push('\n');
    }
    let spans = labels
        .iter()
        .zip(points.chunks(2))
        .map(|(label, pair)| {
            let (start, end) = (pair[0].new, pair[1].new.max(pair[0].new));
            let span = SourceSpan::from(start..end);
            if label.primary {
                LabeledSpan::new_primary_with_span(label.text.clone(), span)
            } else {
                LabeledSpan::new_with_span(label.text.clone(), span)
            }
        })
        .collect();
    let snippet = Snippet {
        name,
        text: out,
        first_line: first_line - 1,
    };
    (snippet, spans)
}

/// Writes one line (`range`, without its newline; `next` is where the next line starts),
/// cut to a window when long, and sets the snippet offset of the points it holds.
fn write_line(
    out: &mut String,
    file: &Excerpt,
    range: Range<usize>,
    next: usize,
    points: &mut [Point],
) {
    let on_line = |p: &Point| range.start <= p.old && (p.old < next || p.old == range.end);
    let window = if range.len() > LONG_LINE {
        let anchor = points
            .iter()
            .find(|p| on_line(p))
            .map_or(range.start, |p| p.old.min(range.end));
        let start = file
            .slice(range.start..anchor)
            .char_indices()
            .rev()
            .nth(HALF_WINDOW - 1)
            .map_or(range.start, |(i, _)| range.start + i);
        let end = file
            .slice(anchor..range.end)
            .char_indices()
            .nth(HALF_WINDOW)
            .map_or(range.end, |(i, _)| anchor + i);
        start..end
    } else {
        range.clone()
    };
    if window.start > range.start {
        out.push_str(CUT);
    }
    let base = out.len();
    let mut moved: Vec<(usize, usize)> = Vec::new();
    for (index, point) in points.iter().enumerate() {
        if on_line(point) {
            moved.push((point.old.clamp(window.start, window.end), index));
        }
    }
    moved.sort_unstable();
    let mut pending = moved.iter().peekable();
    for (i, c) in file.slice(window.clone()).char_indices() {
        while let Some(&&(old, index)) = pending.peek() {
            if old > window.start + i {
                break;
            }
            points[index].new = out.len();
            pending.next();
        }
        if c != '\t' && is_unsafe(c) {
            push_escaped(out, c);
        } else {
            out.push(c);
        }
    }
    for &(_, index) in pending {
        points[index].new = out.len();
    }
    debug_assert!(out.len() >= base);
    if window.end < range.end {
        out.push_str(CUT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(file: &Excerpt, labels: &[Label]) -> (String, Vec<(usize, usize)>) {
        let (snippet, spans) = build("f:1:1".into(), file, labels);
        let spans = spans.iter().map(|s| (s.offset(), s.len())).collect();
        (snippet.text, spans)
    }

    fn label(span: Range<usize>) -> Label {
        Label {
            text: None,
            span,
            primary: true,
        }
    }

    #[test]
    fn keeps_short_files_and_escapes_controls() {
        let file = Excerpt::whole("a\nb\x1bc\nd\ne\n");
        let (text, spans) = render(&file, &[label(3..5)]);
        assert_eq!(text, "a\nb\\u{1b}c\nd\n");
        assert_eq!(spans, [(3, 7)]);
    }

    #[test]
    fn cuts_long_lines_around_the_label() {
        let line = "x".repeat(200_000);
        let file = Excerpt::whole(&format!("{line}\n"));
        let (text, spans) = render(&file, &[label(150_000..150_003)]);
        assert!(text.len() < 300, "{}", text.len());
        assert!(text.starts_with(CUT) && text.trim_end().ends_with(CUT));
        assert_eq!(spans[0].1, 3);
        let at_end = render(&file, &[label(200_000..200_000), label(200_001..200_009)]);
        assert!(at_end.0.len() < 300);
    }

    #[test]
    fn far_apart_labels_leave_the_lines_between_empty() {
        let text: String = (0..1_000).map(|i| format!("line {i}\n")).collect();
        let file = Excerpt::whole(&text);
        let second = file.line_range(900);
        let (out, _) = render(&file, &[label(0..4), label(second)]);
        assert_eq!(out.lines().count(), 901);
        assert!(out.contains("line 899") && !out.contains("line 500"));
    }
}
