//! `laylint check --show-handlers`: every handler declaration found, with what laylint
//! understood of it: tool, file:line, handler, code root, verdict.

use std::io::{self, Write};

use serde_json::json;

use crate::model::Repo;
use crate::model::handlers::Verdict;
use crate::model::templates::CodeRoot;

fn verdict(verdict: &Verdict) -> (&'static str, String) {
    match verdict {
        Verdict::Ok {
            module: Some(module),
        } => ("ok", module.to_string()),
        Verdict::Ok { module: None } => ("ok", String::new()),
        Verdict::Skipped(why) => ("skipped", why.clone()),
        Verdict::Malformed(why) => ("malformed", why.clone()),
        Verdict::ModuleNotFound(missing) => ("module-not-found", missing.reason.clone()),
        Verdict::FunctionNotFound { module, .. } => ("function-not-found", module.to_string()),
        Verdict::Async { module, .. } => ("async", module.to_string()),
        Verdict::RelativeImport(error) => ("relative-import", error.module.to_string()),
    }
}

fn code_root(root: &CodeRoot) -> String {
    match root {
        CodeRoot::Local(path) => path.to_string(),
        CodeRoot::Inline => "(inline code: index.py)".into(),
        CodeRoot::EscapesRoot(path) => format!("{path} (outside the repository)"),
        CodeRoot::Skipped(why) => format!("({why})"),
    }
}

pub fn write(repo: &Repo, as_json: bool, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<_> = repo
        .resolved_handlers()
        .iter()
        .map(|resolved| {
            let h = &resolved.handler;
            let line = repo
                .cached_source(&h.template)
                .map_or(0, |s| s.line_col(h.handler_span.start).line);
            let (status, detail) = verdict(&resolved.verdict);
            (h, line, status, detail)
        })
        .collect();
    if as_json {
        let list: Vec<_> = rows
            .iter()
            .map(|(h, line, status, detail)| {
                json!({
                    "tool": h.tool.to_string(), "path": h.template, "line": line, "resource": h.logical_id,
                    "handler": h.handler, "runtime": h.runtime, "code_root": code_root(&h.code_root),
                    "verdict": status, "detail": detail,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        return writeln!(out);
    }
    for (h, line, status, detail) in &rows {
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({detail})")
        };
        writeln!(
            out,
            "{:<14} {}:{line} {} {} [code root: {}] {status}{detail}",
            h.tool.to_string(),
            h.template,
            h.logical_id,
            h.handler,
            code_root(&h.code_root)
        )?;
    }
    writeln!(
        out,
        "{} handler declaration{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
