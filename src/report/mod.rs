//! Output formats, one file each. Only this module writes diagnostics out.

mod concise;
mod display;
pub mod escape;
mod full;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;
mod snippet;

use std::io::{self, Write};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Registry;
use crate::sink::Excerpts;

pub use display::DisplayPaths;

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// miette's graphical report with source snippets and labels.
    Full,
    /// `path:line:col: CODE message`, one per line.
    Concise,
    /// One JSON document, versioned (`"version": 1`).
    Json,
    /// One JSON object per diagnostic per line.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: one test case per diagnostic.
    Junit,
}

impl OutputFormat {
    /// Every format, in the order `--help` lists them (tests and the fuzz harness write
    /// each, so a new format is covered without a list to update).
    pub fn all() -> &'static [OutputFormat] {
        <Self as clap::ValueEnum>::value_variants()
    }
}

/// What a report needs besides the diagnostics. Nothing here reads a file: snippets come
/// from the excerpts the engine kept.
pub struct ReportContext<'a> {
    /// The lines around each span, from the run's [`crate::sink::Sink`].
    pub excerpts: &'a Excerpts,
    /// The repository root (SARIF states it).
    pub root: &'a Path,
    /// The number of files in the model, for the summary.
    pub files: usize,
    /// Every known rule (SARIF describes them all).
    pub registry: &'a Registry,
    pub color: bool,
    /// Leave out the summary line.
    pub quiet: bool,
    /// How paths print: relative to the working directory.
    pub paths: DisplayPaths,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn new(files: usize, diagnostics: &[Diagnostic]) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Self {
            files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }

    /// `Found 3 problems (2 errors, 1 warning) in 12 files.` or `All checks passed!`
    pub fn line(&self) -> String {
        let total = self.errors + self.warnings + self.infos;
        if total == 0 {
            return "All checks passed!".into();
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let parts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| plural(n, w))
        .collect();
        format!(
            "Found {} ({}) in {}.",
            plural(total, "problem"),
            parts.join(", "),
            plural(self.files, "file")
        )
    }
}

/// Writes the diagnostics in `format`.
pub fn write(
    format: OutputFormat,
    diagnostics: &[Diagnostic],
    cx: &ReportContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = Summary::new(cx.files, diagnostics);
    match format {
        OutputFormat::Full => full::write(diagnostics, cx, out)?,
        OutputFormat::Concise => concise::write(diagnostics, &cx.paths, out)?,
        OutputFormat::Json => return json::write(diagnostics, &summary, &cx.paths, out),
        OutputFormat::JsonLines => return json::write_lines(diagnostics, &cx.paths, out),
        OutputFormat::Github => return github::write(diagnostics, &cx.paths, out),
        OutputFormat::Sarif => return sarif::write(diagnostics, cx, out),
        OutputFormat::Gitlab => return gitlab::write(diagnostics, &cx.paths, out),
        OutputFormat::Junit => return junit::write(diagnostics, &cx.paths, out),
    }
    if !cx.quiet {
        writeln!(out, "{}", summary.line())?;
    }
    Ok(())
}

/// `path:line:col` (or just the path when there is no span), the path escaped.
pub fn position(diagnostic: &Diagnostic, paths: &DisplayPaths) -> String {
    let shown = paths.show(&diagnostic.location.path);
    let path = escape::escape(&shown);
    match diagnostic.start {
        Some(start) => format!("{path}:{}:{}", start.line, start.column),
        None => path.into_owned(),
    }
}

/// Renders an error that stops the run (a configuration error) like `full` does: location
/// in the header, long lines cut, control characters escaped.
pub fn render_error(error: &dyn miette::Diagnostic, color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut text = String::new();
    let safe = full::Rendered::from_diagnostic(error);
    if full::handler(theme)
        .render_report(&mut text, &safe)
        .is_err()
    {
        text = safe.to_string();
    }
    text
}
