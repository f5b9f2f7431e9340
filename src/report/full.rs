//! `full`: miette's graphical report, with the source snippet and a label on the span.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::ReportContext;
use crate::diagnostic::{Diagnostic, Location, Severity};

/// One diagnostic as miette sees it; related places in other files become related reports.
struct Rendered {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
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
            code: format!("{} {}", d.code, d.rule),
            message: d.message.clone(),
            severity,
            help: d.help.clone(),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        match &d.location.span {
            Some(span) => {
                rendered.source = source(cx, &d.location);
                rendered
                    .labels
                    .push(LabeledSpan::new_primary_with_span(None, span.clone()));
            }
            None => {
                rendered.message = format!("{}: {}", cx.paths.show(&d.location.path), d.message)
            }
        }
        for related in &d.related {
            match &related.location.span {
                Some(span)
                    if related.location.path == d.location.path && rendered.source.is_some() =>
                {
                    rendered.labels.push(LabeledSpan::new_with_span(
                        Some(related.message.clone()),
                        span.clone(),
                    ));
                }
                Some(span) => rendered.related.push(Self::note(
                    related.message.clone(),
                    source(cx, &related.location),
                    vec![LabeledSpan::new_with_span(
                        Some(related.message.clone()),
                        span.clone(),
                    )],
                )),
                // A whole file or folder has no snippet to show: a note under the help says where.
                None => {
                    let note = format!(
                        "related: {}: {}",
                        cx.paths.show(&related.location.path),
                        related.message
                    );
                    rendered.help = Some(match rendered.help.take() {
                        Some(help) => format!("{help}\n{note}"),
                        None => note,
                    });
                }
            }
        }
        rendered
    }

    fn note(
        message: String,
        source: Option<NamedSource<String>>,
        labels: Vec<LabeledSpan>,
    ) -> Self {
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
}

fn source(cx: &ReportContext<'_>, location: &Location) -> Option<NamedSource<String>> {
    let file = cx
        .repo
        .cached_source(&location.path)
        .or_else(|| cx.repo.read(&location.path).ok())?;
    Some(NamedSource::new(
        cx.paths.show(&location.path),
        file.text.to_string(),
    ))
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
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(120);
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
