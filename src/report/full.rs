//! `full`: miette's graphical report, with the source snippet and a label on the span.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

use super::ReportContext;
use super::escape::{escape, escaped};
use super::snippet::{self, Label, Snippet};
use crate::diagnostic::{Diagnostic, LineCol, Location, Severity};
use crate::sink::Excerpt;

/// One diagnostic as miette sees it; related places in other files become related reports.
/// Every text from the repository is escaped, and snippets are [`Snippet`] windows.
pub(crate) struct Rendered {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    fn new(d: &Diagnostic, cx: &ReportContext<'_>) -> Self {
        let severity = match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        };
        let mut rendered = Self {
            code: escaped(&format!("{} {}", d.code, d.rule)),
            message: escaped(&d.message),
            severity,
            help: d.help.as_deref().map(escaped),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        let mut notes = Vec::new();
        match &d.location.span {
            Some(span) => {
                let mut labels = vec![Label {
                    text: None,
                    span: span.clone(),
                    primary: true,
                }];
                for related in &d.related {
                    if let Some(span) = &related.location.span
                        && related.location.path == d.location.path
                    {
                        labels.push(Label {
                            text: Some(escaped(&related.message)),
                            span: span.clone(),
                            primary: false,
                        });
                    }
                }
                match snippet(cx, &d.location, d.start, &labels) {
                    Some((source, spans)) => {
                        rendered.source = Some(source);
                        rendered.labels = spans;
                    }
                    // The file could not be read: say where instead of showing it.
                    None => {
                        rendered.message =
                            format!("{}: {}", super::position(d, &cx.paths), rendered.message)
                    }
                }
            }
            None => {
                rendered.message = format!(
                    "{}: {}",
                    escape(&cx.paths.show(&d.location.path)),
                    rendered.message
                );
            }
        }
        for related in &d.related {
            match &related.location.span {
                Some(_)
                    if related.location.path == d.location.path && rendered.source.is_some() => {}
                Some(span) => {
                    let label = Label {
                        text: Some(escaped(&related.message)),
                        span: span.clone(),
                        primary: true,
                    };
                    rendered.related.push(
                        match snippet(cx, &related.location, related.start, &[label]) {
                            Some((source, labels)) => {
                                Self::note(escaped(&related.message), Some(source), labels)
                            }
                            None => Self::note(
                                format!(
                                    "{}: {}",
                                    escape(&cx.paths.show(&related.location.path)),
                                    escape(&related.message)
                                ),
                                None,
                                Vec::new(),
                            ),
                        },
                    );
                }
                // A whole file or folder has no snippet to show: a note under the help says where.
                None => notes.push(format!(
                    "related: {}: {}",
                    escape(&cx.paths.show(&related.location.path)),
                    escape(&related.message)
                )),
            }
        }
        for note in notes {
            rendered.help = Some(match rendered.help.take() {
                Some(help) => format!("{help}\n{note}"),
                None => note,
            });
        }
        rendered
    }

    fn note(message: String, source: Option<Snippet>, labels: Vec<LabeledSpan>) -> Self {
        let labels = if source.is_some() { labels } else { Vec::new() };
        Self {
            code: String::new(),
            message,
            severity: miette::Severity::Advice,
            help: None,
            source,
            labels,
            related: Vec::new(),
        }
    }

    /// Any miette diagnostic (a configuration error) made safe the same way: its source
    /// text, when it has one, is shown through a [`Snippet`].
    pub(crate) fn from_diagnostic(diagnostic: &dyn miette::Diagnostic) -> Self {
        let text = |t: Option<Box<dyn fmt::Display + '_>>| t.map(|t| escaped(&t.to_string()));
        let mut rendered = Self {
            code: text(diagnostic.code()).unwrap_or_default(),
            message: escaped(&diagnostic.to_string()),
            severity: diagnostic.severity().unwrap_or(miette::Severity::Error),
            help: text(diagnostic.help()),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        let labels: Vec<LabeledSpan> = diagnostic
            .labels()
            .map(Iterator::collect)
            .unwrap_or_default();
        let Some(source) = diagnostic.source_code() else {
            return rendered;
        };
        // The whole text: no span is needed with unbounded context.
        let Ok(whole) = source.read_span(&SourceSpan::from(0..0), usize::MAX, usize::MAX) else {
            return rendered;
        };
        let name = whole.name().map(escaped).unwrap_or_default();
        let file = Excerpt::whole(&String::from_utf8_lossy(whole.data()));
        let Some(first) = labels.first() else {
            return rendered;
        };
        let start = file.line_col(first.offset());
        let ours: Vec<Label> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| Label {
                text: l.label().map(escaped),
                span: l.offset()..l.offset() + l.len(),
                primary: i == 0,
            })
            .collect();
        let (snippet, spans) = snippet::build(
            format!("{name}:{}:{}", start.line, start.column),
            &file,
            &ours,
        );
        rendered.source = Some(snippet);
        rendered.labels = spans;
        rendered
    }
}

/// The snippet of `location`'s file showing `labels`, headed `path:line:column`.
fn snippet(
    cx: &ReportContext<'_>,
    location: &Location,
    start: Option<LineCol>,
    labels: &[Label],
) -> Option<(Snippet, Vec<LabeledSpan>)> {
    let file = cx.excerpts.get(&location.path)?;
    let start = start.unwrap_or_else(|| file.line_col(labels.first().map_or(0, |l| l.span.start)));
    let name = format!(
        "{}:{}:{}",
        escape(&cx.paths.show(&location.path)),
        start.line,
        start.column
    );
    Some(snippet::build(name, file, labels))
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

pub fn write(
    diagnostics: &[Diagnostic],
    cx: &ReportContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if cx.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = handler(theme);
    for d in diagnostics {
        let mut text = String::new();
        handler
            .render_report(&mut text, &Rendered::new(d, cx))
            .map_err(io::Error::other)?;
        write!(out, "{text}")?;
        writeln!(out)?;
    }
    Ok(())
}

/// The graphical handler every report uses. The snippet's name carries the location, so
/// miette does not compute it (it counts bytes, and a [`Snippet`] holds a window).
pub(crate) fn handler(theme: GraphicalTheme) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(120)
        .without_primary_span_start()
}
