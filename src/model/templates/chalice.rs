//! Chalice apps: a `.chalice/config.json` beside `app.py`. Chalice deploys the handler
//! `app.app`, so `app.py` must bind `app` at its top level; only `app.py`, `chalicelib/`
//! and `vendor/` are packaged. Chalice takes the runtime from the Python that runs
//! `chalice deploy`, so a missing runtime is never reported.

use std::ops::Range;
use std::sync::Arc;

use super::excludes::{DeployFilter, FilterFor};
use super::yaml;
use super::{CodeRoot, Declarations, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

/// The handler Chalice gives every app's function.
const HANDLER: &str = "app.app";
/// What `chalice package` puts in the deployment package, relative to the project.
const SHIPPED: [&str; 4] = ["!**", "app.py", "chalicelib/**", "vendor/**"];

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let configs: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| {
            e.path.file_name() == "config.json"
                && e.path.parent().is_some_and(|p| p.file_name() == ".chalice")
        })
        .map(|e| e.path.clone())
        .collect();
    for config in configs {
        let Some(project) = config.parent().and_then(|p| p.parent()) else {
            continue;
        };
        let Some(source) = repo.read_or_report(&config) else {
            continue;
        };
        // Chalice reads the file with `json.load`: what it refuses declares nothing.
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&source.text) {
            repo.report_problem(
                &config,
                json_error_span(&source.text, &error),
                format!("`{config}` is not valid JSON: {error}"),
            );
            continue;
        }
        // Parsed again for the spans (JSON is YAML).
        let root = match yaml::parse(&source.text) {
            Ok(root) => root,
            Err(error) => {
                repo.report_problem(
                    &config,
                    Some(error.span),
                    format!("`{config}` is not valid JSON: {}", error.message),
                );
                continue;
            }
        };
        let app_name = root.as_ref().and_then(|r| r.get("app_name"));
        let name = app_name
            .and_then(yaml::YamlNode::as_str)
            .or_else(|| Some(project.file_name()).filter(|n| !n.is_empty()))
            .unwrap_or("app")
            .to_string();
        // The config names no handler: findings point at `app_name`, or the file's start.
        let handler_span = app_name.map_or(0..0, |node| node.span.clone());
        let patterns: Vec<String> = SHIPPED.iter().map(|p| (*p).to_string()).collect();
        if let Some(filter) = DeployFilter::serverless(&project, &[], &[], &patterns) {
            out.filters.push(FilterFor {
                file: config.clone(),
                name: name.clone(),
                filter,
            });
        }
        out.handlers.push(Arc::new(HandlerRef {
            runtime_span: None,
            code_shared: false,
            tool: Tool::Chalice,
            template: config.clone(),
            logical_id: name,
            handler: HANDLER.to_string(),
            handler_span,
            runtime: None,
            code_root: CodeRoot::Local(project),
            code_span: None,
            package_module: None,
        }));
    }
}

/// Where `serde_json` stopped, as a one-byte span (its line and column are 1-based).
pub(super) fn json_error_span(text: &str, error: &serde_json::Error) -> Option<Range<usize>> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(error.line().checked_sub(1)?)
        .map(str::len)
        .sum();
    let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let width = text.get(at..)?.chars().next().map_or(0, char::len_utf8);
    Some(at..at + width)
}
