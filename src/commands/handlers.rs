//! `laylint check --show-handlers`: every handler declaration found, with what laylint
//! understood of it: tool, file:line, handler, code root, verdict.

use std::io::{self, Write};

use serde_json::json;

use crate::model::Repo;
use crate::model::handlers::Verdict;
use crate::model::templates::{CodeRoot, Gap};
use crate::report::escape::escape;

fn verdict(verdict: &Verdict) -> (&'static str, String) {
    match verdict {
        Verdict::Ok {
            module: Some(module),
        } => ("ok", module.to_string()),
        Verdict::Ok { module: None } => ("ok", String::new()),
        Verdict::Skipped(why) => ("skipped", why.clone()),
        Verdict::DeployTime(why) => ("deploy-time", why.clone()),
        Verdict::Malformed(why) => ("malformed", why.clone()),
        Verdict::ModuleNotFound(missing) => ("module-not-found", missing.reason.clone()),
        Verdict::FunctionNotFound { module, .. } => ("function-not-found", module.to_string()),
        Verdict::Async { module, .. } => ("async", module.to_string()),
        Verdict::RelativeImport(error) => ("relative-import", error.module.to_string()),
        Verdict::CodeRootMissing(root) => ("code-root-missing", root.to_string()),
        Verdict::ModulePrefix { fixed, .. } => ("module-prefix", format!("should be `{fixed}`")),
        Verdict::Arity { why, .. } => ("arity", why.clone()),
    }
}

fn code_root(root: &CodeRoot) -> String {
    match root {
        CodeRoot::Local(path) => path.to_string(),
        CodeRoot::Inline(_) => "(inline code: index.py)".into(),
        CodeRoot::EscapesRoot(path) => format!("{path} (outside the repository)"),
        CodeRoot::Skipped(why) => format!("({why})"),
    }
}

/// One listed function.
struct Row {
    tool: String,
    path: String,
    line: usize,
    name: String,
    handler: String,
    runtime: Option<String>,
    code_root: String,
    status: &'static str,
    detail: String,
}

pub fn write(repo: &Repo, as_json: bool, out: &mut dyn Write) -> io::Result<()> {
    let line_of = |path, offset| {
        repo.kept_source(path)
            .map_or(0, |s| s.line_col(offset).line)
    };
    let mut rows: Vec<Row> = repo
        .resolved_handlers()
        .iter()
        .map(|resolved| {
            let h = &resolved.handler;
            let (status, detail) = verdict(&resolved.verdict);
            Row {
                tool: h.tool.to_string(),
                path: h.template.to_string(),
                line: line_of(&h.template, h.handler_span.start),
                name: h.logical_id.clone(),
                handler: h.handler.clone(),
                runtime: h.runtime.clone(),
                code_root: code_root(&h.code_root),
                status,
                detail,
            }
        })
        .collect();
    rows.extend(repo.function_gaps().iter().filter_map(|gap| {
        let (status, detail) = match &gap.gap {
            Gap::Unresolvable(why) => ("unresolvable", why.clone()),
            Gap::DeployTime(why) => ("deploy-time", why.clone()),
            Gap::MissingHandler => ("handler-missing", String::new()),
            // The function is listed with its handler already.
            Gap::MissingRuntime => return None,
        };
        Some(Row {
            tool: gap.tool.to_string(),
            path: gap.file.to_string(),
            line: line_of(&gap.file, gap.span.start),
            name: gap.name.clone(),
            handler: "-".into(),
            runtime: gap.runtime.clone(),
            code_root: "-".into(),
            status,
            detail,
        })
    }));
    rows.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if as_json {
        let list: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "tool": r.tool, "path": r.path, "line": r.line, "resource": r.name,
                    "handler": r.handler, "runtime": r.runtime, "code_root": r.code_root,
                    "verdict": r.status, "detail": r.detail,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        return writeln!(out);
    }
    for r in &rows {
        let detail = if r.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.detail)
        };
        // Names, handler strings and paths come from the repository: escaped.
        writeln!(
            out,
            "{:<14} {}:{} {} {} [code root: {}] {}{}",
            r.tool,
            escape(&r.path),
            r.line,
            escape(&r.name),
            escape(&r.handler),
            escape(&r.code_root),
            r.status,
            escape(&detail)
        )?;
    }
    writeln!(
        out,
        "{} handler declaration{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
