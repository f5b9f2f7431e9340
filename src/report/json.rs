//! `json` and `json-lines`: the public, versioned shape (`"version": 1`) scripts rely on.

use std::io::{self, Write};

use serde::Serialize;

use super::{DisplayPaths, Summary};
use crate::diagnostic::{Diagnostic, Edit, Fix};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    /// `path` as the other formats print it: relative to the working directory.
    cwd_path: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
    url: &'a str,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

/// A fix: `applicability` (`safe` or `unsafe`), what it does, and its edits.
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// `replace` the bytes `start..end` of `path` with `content`, or `create` `path`
/// holding `content` (`start` and `end` are then absent).
#[derive(Serialize)]
struct JsonEdit<'a> {
    kind: &'a str,
    path: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    content: &'a str,
}

fn fix(fix: &Fix) -> JsonFix<'_> {
    JsonFix {
        applicability: fix.applicability.as_str(),
        message: &fix.message,
        edits: fix
            .edits
            .iter()
            .map(|edit| match edit {
                Edit::Replace {
                    path,
                    range,
                    content,
                } => JsonEdit {
                    kind: "replace",
                    path: path.as_str(),
                    start: Some(range.start),
                    end: Some(range.end),
                    content,
                },
                Edit::Create { path, content } => JsonEdit {
                    kind: "create",
                    path: path.as_str(),
                    start: None,
                    end: None,
                    content,
                },
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    cwd_path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

fn convert<'a>(d: &'a Diagnostic, paths: &DisplayPaths) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.code.as_str(),
        rule: &d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        path: d.location.path.as_str(),
        cwd_path: paths.show(&d.location.path).into_owned(),
        line: d.start.map(|s| s.line),
        column: d.start.map(|s| s.column),
        end_line: d.end.map(|e| e.line),
        end_column: d.end.map(|e| e.column),
        help: d.help.as_deref(),
        url: &d.url,
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                path: r.location.path.as_str(),
                cwd_path: paths.show(&r.location.path).into_owned(),
                line: r.start.map(|s| s.line),
                column: r.start.map(|s| s.column),
                message: &r.message,
            })
            .collect(),
        fix: d.fix.as_ref().map(fix),
    }
}

pub fn write(
    diagnostics: &[Diagnostic],
    summary: &Summary,
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    let document = Document {
        version: 1,
        diagnostics: diagnostics.iter().map(|d| convert(d, paths)).collect(),
        summary,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

pub fn write_lines(
    diagnostics: &[Diagnostic],
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    for d in diagnostics {
        serde_json::to_writer(&mut *out, &convert(d, paths))?;
        writeln!(out)?;
    }
    Ok(())
}
