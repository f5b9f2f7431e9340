//! Zappa projects: `zappa_settings.json` (or `.yml` / `.yaml`), one deployment per stage.
//! A stage's `app_function` (`module.attr`, relative to the settings file's folder, the
//! package root) names the WSGI application Zappa's own handler imports; `runtime` is per
//! stage, and a stage inherits what it does not set from the stage it `extends`. Unset,
//! the runtime is the Python that runs `zappa deploy`, so a missing runtime is never
//! reported. `app_function` is an application object or a WSGI callable, not an
//! `(event, context)` handler, and an event's or authorizer's `function` may take zero,
//! one or two arguments (Zappa counts them): resolution does not check the arity of
//! Zappa's entry points (a custom `lambda_handler` included).

use std::sync::Arc;

use super::yaml::{self, YamlNode};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

const SETTINGS_FILES: [&str; 3] = [
    "zappa_settings.json",
    "zappa_settings.yml",
    "zappa_settings.yaml",
];
/// How many `extends` links are followed (a cycle stops here).
const MAX_EXTENDS: usize = 16;

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let files: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| SETTINGS_FILES.contains(&e.path.file_name()))
        .map(|e| e.path.clone())
        .collect();
    for path in files {
        let Some(source) = repo.read_or_report(&path) else {
            continue;
        };
        // Zappa reads `.json` settings with `json.load`: what it refuses declares nothing.
        if path.extension() == Some("json")
            && let Err(error) = serde_json::from_str::<serde_json::Value>(&source.text)
        {
            let at = super::chalice::json_error_span(&source.text, &error);
            repo.report_problem(&path, at, format!("`{path}` is not valid JSON: {error}"));
            continue;
        }
        // JSON is YAML: one parser gives the spans of both.
        match yaml::parse(&source.text) {
            Ok(Some(root)) => extract_settings(&path, &root, out),
            Ok(None) => {}
            Err(error) => repo.report_problem(
                &path,
                Some(error.span),
                format!("`{path}` is not valid: {}", error.message),
            ),
        }
    }
}

/// `key` in `stage`, or in the stages it extends.
fn setting<'a>(root: &'a YamlNode, stage: &'a YamlNode, key: &str) -> Option<&'a YamlNode> {
    let mut current = stage;
    for _ in 0..MAX_EXTENDS {
        if let Some(value) = current.get(key) {
            return Some(value);
        }
        current = root.get(current.get("extends")?.as_str()?)?;
    }
    None
}

fn extract_settings(path: &RelPath, root: &YamlNode, out: &mut Declarations) {
    let package_root = path.parent().unwrap_or_default();
    let extended: Vec<&str> = root
        .entries()
        .iter()
        .filter_map(|(_, stage)| stage.get("extends")?.as_str())
        .collect();
    for (key, stage) in root.entries() {
        let Some(name) = key.as_str() else {
            continue;
        };
        if stage.entries().is_empty() {
            continue;
        }
        let runtime = setting(root, stage, "runtime")
            .and_then(YamlNode::as_str)
            .map(str::to_string);
        let gap = |span: std::ops::Range<usize>, gap: Gap| FunctionGap {
            runtime_span: None,
            tool: Tool::Zappa,
            file: path.clone(),
            name: name.to_string(),
            span,
            gap,
            runtime: runtime.clone(),
        };
        let entry_points = events(path, &package_root, name, stage, runtime.as_ref(), out);
        let Some(app_function) = setting(root, stage, "app_function") else {
            if let Some(django) = setting(root, stage, "django_settings") {
                out.gaps.push(gap(
                    django.span.clone(),
                    Gap::DeployTime(
                        "a Django project: Zappa's handler loads `django_settings`, not an `app_function`"
                            .into(),
                    ),
                ));
            } else if entry_points == 0 && !extended.contains(&name) {
                out.gaps.push(gap(
                    key.span.clone(),
                    Gap::Unresolvable(
                        "the stage sets neither `app_function` nor `django_settings`".into(),
                    ),
                ));
            }
            continue;
        };
        let Some(handler) = app_function.as_str() else {
            out.gaps.push(gap(
                app_function.span.clone(),
                Gap::Unresolvable("`app_function` is not a string".into()),
            ));
            continue;
        };
        out.handlers.push(Arc::new(HandlerRef {
            runtime_span: None,
            code_shared: false,
            tool: Tool::Zappa,
            template: path.clone(),
            logical_id: name.to_string(),
            handler: handler.to_string(),
            handler_span: app_function.span.clone(),
            runtime,
            code_root: CodeRoot::Local(package_root.clone()),
            code_span: None,
            package_module: None,
        }));
    }
}

/// The stage's own entry points besides `app_function`: each `events[].function` and
/// `authorizer.function`, which Zappa's handler calls with the event (and the context if
/// the function takes two arguments), and a custom `lambda_handler`.
fn events(
    path: &RelPath,
    package_root: &RelPath,
    stage: &str,
    settings: &YamlNode,
    runtime: Option<&String>,
    out: &mut Declarations,
) -> usize {
    let mut entries: Vec<(String, &YamlNode)> = Vec::new();
    if let Some(yaml::YamlValue::Sequence(events)) = settings.get("events").map(|e| &e.value) {
        for (i, event) in events.iter().enumerate() {
            if let Some(function) = event.get("function") {
                entries.push((format!("{stage} event {}", i + 1), function));
            }
        }
    }
    if let Some(function) = settings.get("authorizer").and_then(|a| a.get("function")) {
        entries.push((format!("{stage} authorizer"), function));
    }
    if let Some(handler) = settings.get("lambda_handler") {
        entries.push((format!("{stage} lambda_handler"), handler));
    }
    let count = entries.len();
    for (name, function) in entries {
        let Some(handler) = function.as_str() else {
            continue;
        };
        out.handlers.push(Arc::new(HandlerRef {
            runtime_span: None,
            code_shared: false,
            tool: Tool::Zappa,
            template: path.clone(),
            logical_id: name,
            handler: handler.to_string(),
            handler_span: function.span.clone(),
            runtime: runtime.cloned(),
            code_root: CodeRoot::Local(package_root.clone()),
            code_span: None,
            package_module: None,
        }));
    }
    count
}
