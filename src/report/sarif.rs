//! `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::ReportContext;
use crate::diagnostic::{Diagnostic, Edit, Fix, LineCol, Severity};
use crate::rules::DOC_SECTIONS;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(start: Option<LineCol>, end: Option<LineCol>) -> Option<Value> {
    let start = start?;
    let end = end.unwrap_or(start);
    Some(json!({
        "startLine": start.line, "startColumn": start.column,
        "endLine": end.line, "endColumn": end.column,
    }))
}

/// A repository path as a relative URI reference (RFC 3986): every byte but unreserved
/// characters and `/` percent-encoded (a `:` too, which would read as a scheme).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical(path: &str, start: Option<LineCol>, end: Option<LineCol>) -> Value {
    let mut location = json!({"artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}});
    if let Some(region) = region(start, end) {
        location["region"] = region;
    }
    json!({"physicalLocation": location})
}

/// A SARIF `fix`: one `artifactChange` per edit, its region in bytes (a new file is an
/// insertion at offset 0).
fn sarif_fix(fix: &Fix, cx: &ReportContext<'_>) -> Value {
    let changes: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let (offset, length) = match edit {
                Edit::Replace { range, .. } => (range.start, range.end.saturating_sub(range.start)),
                Edit::Create { .. } => (0, 0),
            };
            json!({
                "artifactLocation": {"uri": uri(&cx.paths.show(edit.path())), "uriBaseId": "%SRCROOT%"},
                "replacements": [{
                    "deletedRegion": {"byteOffset": offset, "byteLength": length},
                    "insertedContent": {"text": edit.content()},
                }],
            })
        })
        .collect();
    json!({
        "description": {"text": fix.message},
        "artifactChanges": changes,
    })
}

pub fn write(
    diagnostics: &[Diagnostic],
    cx: &ReportContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<_> = cx.registry.iter().collect();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|rule| {
            // The first section ("What it does") is the full description.
            let what = rule
                .docs
                .split(DOC_SECTIONS[1])
                .next()
                .unwrap_or_default()
                .replace(DOC_SECTIONS[0], "");
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary.trim()},
                "fullDescription": {"text": what.trim()},
                "helpUri": rule.url(),
                "help": {"text": rule.docs.trim(), "markdown": rule.docs.trim()},
                "defaultConfiguration": {"level": level(rule.severity), "enabled": rule.default},
                "properties": {"tags": [rule.group]},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": match &d.help { Some(help) => format!("{}\nhelp: {help}", d.message), None => d.message.clone() }},
                "locations": [physical(&cx.paths.show(&d.location.path), d.start, d.end)],
            });
            if let Some(index) = rules.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, r)| {
                        let mut location = physical(&cx.paths.show(&r.location.path), r.start, r.start);
                        location["id"] = json!(id);
                        location["message"] = json!({"text": r.message});
                        location
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([sarif_fix(fix, cx)]);
            }
            result
        })
        .collect();
    let base = cx.paths.base(cx.root);
    let root_uri = lsp_types::Url::from_directory_path(&base).map_or_else(
        |()| format!("file://{}/", uri(&base.to_string_lossy())),
        String::from,
    );
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "laylint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(super::uri("src/app.py"), "src/app.py");
        assert_eq!(
            super::uri("a b/c:d%e/\u{1b}é#?"),
            "a%20b/c%3Ad%25e/%1B%C3%A9%23%3F"
        );
    }
}
