//! Chalice apps: a `.chalice/config.json` beside `app.py`. Chalice deploys the handler
//! `app.app`, so `app.py` must bind `app` at its top level; only `app.py`, `chalicelib/`
//! and `vendor/` are packaged. Chalice takes the runtime from the Python that runs
//! `chalice deploy`, so a missing runtime is never reported.

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
            .unwrap_or_else(|| project.file_name())
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
