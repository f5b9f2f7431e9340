//! Serverless Framework services: `serverless.yml` / `serverless.yaml`,
//! `functions.<name>.handler` (`path/to/module.function`) relative to the service
//! folder, the runtime from the function or `provider.runtime`, and
//! serverless-python-requirements' per-function `module:`, which becomes the code root.

use super::yaml::{self, YamlNode};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

const SERVICE_FILES: [&str; 2] = ["serverless.yml", "serverless.yaml"];

/// A `${…}` variable: resolved by the framework at deploy time, not by laylint.
fn has_variable(text: &str) -> bool {
    text.contains("${")
}

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let files: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| SERVICE_FILES.contains(&e.path.file_name()))
        .map(|e| e.path.clone())
        .collect();
    for path in files {
        let Some(source) = repo.read_or_report(&path) else {
            continue;
        };
        match yaml::parse(&source.text) {
            Ok(Some(root)) => extract_service(&path, &root, out),
            Ok(None) => {}
            Err(error) => repo.report_problem(
                &path,
                Some(error.span),
                format!("`{path}` is not valid YAML: {}", error.message),
            ),
        }
    }
}

fn extract_service(path: &RelPath, root: &YamlNode, out: &mut Declarations) {
    let service = path.parent().unwrap_or_default();
    if !deploys_to_aws(root) {
        return;
    }
    super::layers::extract_serverless(path, root, out);
    super::environment::extract_serverless(path, root, out);
    let provider = root.get("provider");
    let provider_runtime = provider
        .and_then(|p| p.get("runtime"))
        .filter(|n| n.as_str().is_some());
    let plugins = plugins(root);
    super::dependencies::extract_serverless(path, root, &plugins, out);
    let Some(functions) = root.get("functions") else {
        return;
    };
    // `functions` is a mapping, or (older services) a list of one-entry mappings.
    let mut entries: Vec<&(YamlNode, YamlNode)> = functions.entries().iter().collect();
    if let yaml::YamlValue::Sequence(items) = &functions.value {
        entries.extend(items.iter().flat_map(|item| item.entries().iter()));
    }
    for (key, function) in entries {
        let Some(name) = key.as_str() else {
            continue;
        };
        if function.get("image").is_some() {
            continue;
        }
        let runtime_node = function
            .get("runtime")
            .filter(|n| n.as_str().is_some())
            .or(provider_runtime);
        let runtime = runtime_node.and_then(YamlNode::as_str);
        if runtime.is_some_and(|r| !has_variable(r) && !r.starts_with("python")) {
            continue;
        }
        let runtime = runtime.filter(|r| !has_variable(r)).map(str::to_string);
        let runtime_span = runtime_node
            .filter(|_| runtime.is_some())
            .map(|n| n.span.clone());
        let gap = |span: &std::ops::Range<usize>, gap: Gap| FunctionGap {
            tool: Tool::Serverless,
            file: path.clone(),
            name: name.to_string(),
            span: span.clone(),
            gap,
            runtime: runtime.clone(),
            runtime_span: runtime_span.clone(),
        };
        let Some(handler_node) = function.get("handler") else {
            out.gaps.push(gap(&key.span, Gap::MissingHandler));
            continue;
        };
        let Some(handler) = handler_node.as_str() else {
            out.gaps.push(gap(
                &handler_node.span,
                Gap::Unresolvable("the handler is not a string".into()),
            ));
            continue;
        };
        if has_variable(handler) {
            out.gaps.push(gap(
                &handler_node.span,
                Gap::Unresolvable(format!(
                    "the handler `{handler}` uses a `${{…}}` variable that laylint does not resolve"
                )),
            ));
            continue;
        }
        if let Some(why) = deploy_time(handler, &plugins, [Some(function), provider]) {
            out.gaps.push(gap(&handler_node.span, Gap::DeployTime(why)));
            continue;
        }
        let module_node = function.get("module");
        let module = module_node.and_then(YamlNode::as_str).map(str::to_string);
        let code_root = match &module {
            Some(m) if has_variable(m) => {
                out.gaps.push(gap(
                    &handler_node.span,
                    Gap::Unresolvable(format!("the `module` `{m}` uses a `${{…}}` variable")),
                ));
                continue;
            }
            Some(m) if m.starts_with('/') || m.contains('\\') => CodeRoot::EscapesRoot(m.clone()),
            Some(m) => match service.join_relative(m.trim_end_matches('/')) {
                Ok(root) => CodeRoot::Local(root),
                Err(_) => CodeRoot::EscapesRoot(m.clone()),
            },
            // A prebuilt package is deployed instead of the service folder: committed, or
            // made by a build step (resolution tells).
            None => match artifact(function, root) {
                Some(artifact) => match service.join_relative(artifact) {
                    Ok(path)
                        if !has_variable(artifact)
                            && !artifact.starts_with('/')
                            && !artifact.contains([':', '\\']) =>
                    {
                        CodeRoot::Local(path)
                    }
                    _ => CodeRoot::Skipped(format!("the prebuilt package `{artifact}`")),
                },
                None => CodeRoot::Local(service.clone()),
            },
        };
        if let Some(filter) = super::excludes::serverless_filter(&service, root, function) {
            out.filters.push(super::excludes::FilterFor {
                file: path.clone(),
                name: name.to_string(),
                filter,
            });
        }
        out.handlers.push(std::sync::Arc::new(HandlerRef {
            tool: Tool::Serverless,
            template: path.clone(),
            logical_id: name.to_string(),
            handler: handler.to_string(),
            handler_span: handler_node.span.clone(),
            runtime,
            runtime_span,
            code_root,
            code_span: module_node.map(|n| n.span.clone()),
            code_shared: false,
            package_module: module,
        }));
    }
}

/// Only `provider.name: aws` (or no name) deploys Lambda functions; `google`, `azure`,
/// `knative`, `openwhisk`… services declare other clouds' functions.
fn deploys_to_aws(root: &YamlNode) -> bool {
    let name = match root.get("provider") {
        Some(provider) => provider.get("name").or(Some(provider)),
        None => None,
    };
    name.and_then(YamlNode::as_str)
        .is_none_or(|name| name.trim() == "aws" || has_variable(name))
}

/// The plugins a service lists: `plugins: [a, b]`, or `plugins: {modules: [a, b]}`.
fn plugins(root: &YamlNode) -> Vec<&str> {
    let Some(plugins) = root.get("plugins") else {
        return Vec::new();
    };
    let list = plugins.get("modules").unwrap_or(plugins);
    match &list.value {
        yaml::YamlValue::Sequence(items) => items.iter().filter_map(YamlNode::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Handlers a listed plugin writes into the package when the service is packaged:
/// serverless-wsgi's `wsgi_handler.py` (`wsgi.py` in its early releases).
const GENERATED: [(&str, &[&str]); 1] =
    [("serverless-wsgi", &["wsgi_handler.handler", "wsgi.handler"])];

/// Why the handler exists only at deploy time (a listed plugin generates it, or the Lambda
/// Web Adapter runs it as a script), or `None`. `scopes`: the function, then the provider.
fn deploy_time(handler: &str, plugins: &[&str], scopes: [Option<&YamlNode>; 2]) -> Option<String> {
    for (plugin, handlers) in GENERATED {
        if plugins.contains(&plugin) && handlers.contains(&handler) {
            return Some(format!(
                "the `{plugin}` plugin generates `{handler}` when it packages the service"
            ));
        }
    }
    let wrapper = scopes
        .into_iter()
        .flatten()
        .find_map(|scope| scope.get("environment")?.get("AWS_LAMBDA_EXEC_WRAPPER"))?;
    (wrapper.as_str()? == super::sam::WEB_ADAPTER).then(|| super::sam::web_adapter_reason(handler))
}

/// `package.artifact` of the function, else of the service.
fn artifact<'a>(function: &'a YamlNode, root: &'a YamlNode) -> Option<&'a str> {
    [function, root]
        .into_iter()
        .find_map(|scope| scope.get("package")?.get("artifact")?.as_str())
}
