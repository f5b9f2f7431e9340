//! Terraform: `resource "aws_lambda_function"` blocks in `*.tf` files, parsed with
//! `hcl-edit` (spans included). `filename = data.archive_file.<name>.output_path` is
//! followed to the archive's `source_dir` / `source_file`; `${path.module}` and
//! `${path.root}` are the folder of the `.tf` file (laylint does not know which module
//! is the root). Variables, locals and functions are not evaluated: such a handler or
//! code location is a gap (INF001), except in a folder that a local `module` call names,
//! where each call declares the function with its arguments (`terraform_modules.rs`).

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::visit::Visit;

use super::excludes::{DeployFilter, FilterFor};
pub(super) use super::terraform_hcl::{
    MODULE_DIR, ReadsVariables, attr, eval_string, labels, reads_variables, resolve_path,
    traversal_path,
};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let mut by_dir: HashMap<RelPath, Vec<(RelPath, Body)>> = HashMap::new();
    let files: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| e.path.extension() == Some("tf"))
        .map(|e| e.path.clone())
        .collect();
    for path in files {
        let Some(source) = repo.read_or_report(&path) else {
            continue;
        };
        match hcl_edit::parser::parse_body(&source.text) {
            Ok(body) => by_dir
                .entry(path.parent().unwrap_or_default())
                .or_default()
                .push((path, body)),
            Err(error) => {
                let at = source_offset(
                    &source.text,
                    error.location().line(),
                    error.location().column(),
                );
                repo.report_problem(
                    &path,
                    Some(at..at),
                    format!("`{path}` is not valid HCL: {}", error.message()),
                );
            }
        }
    }
    let mut dirs: Vec<_> = by_dir.into_iter().collect();
    dirs.sort_by(|a, b| a.0.cmp(&b.0));
    // Folders that other modules call: their functions are declared by each call.
    let called = super::terraform_modules::extract(repo, &dirs, out);
    for (dir, bodies) in &dirs {
        let archives = archives(bodies);
        super::layers_code::terraform(dir, bodies, &archives, out);
        for (path, body) in bodies {
            for block in body.get_blocks("resource") {
                if let ["aws_lambda_function", name] = labels(block).as_slice() {
                    if called.contains(dir) && uses_variables(&block.body, &archives) {
                        continue;
                    }
                    function(path, dir, name, block, &archives, out);
                }
            }
        }
    }
}

/// The `data "archive_file"` blocks of one module, by name.
pub(super) fn archives(bodies: &[(RelPath, Body)]) -> HashMap<&str, &Body> {
    bodies
        .iter()
        .flat_map(|(_, body)| body.get_blocks("data"))
        .filter_map(|block| match labels(block).as_slice() {
            ["archive_file", name] => Some((*name, &block.body)),
            _ => None,
        })
        .collect()
}

/// Whether a function's handler, runtime or code (through its `archive_file`) reads a
/// `var.*`: then only a call of its module can tell what it is.
pub(super) fn uses_variables(body: &Body, archives: &HashMap<&str, &Body>) -> bool {
    let mut found = ReadsVariables(false);
    for key in ["handler", "runtime", "filename"] {
        if let Some(expr) = attr(body, key) {
            found.visit_expr(expr);
        }
    }
    if let Some(archive) = attr(body, "filename")
        .and_then(traversal_path)
        .and_then(|path| match path.as_slice() {
            [data, kind, name, _] if data == "data" && kind == "archive_file" => {
                archives.get(name.as_str()).copied()
            }
            _ => None,
        })
    {
        for key in ["source_dir", "source_file"] {
            if let Some(expr) = attr(archive, key) {
                found.visit_expr(expr);
            }
        }
    }
    found.0
}

/// The byte offset of a 1-based line and column.
fn source_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

fn function(
    path: &RelPath,
    dir: &RelPath,
    name: &str,
    block: &Block,
    archives: &HashMap<&str, &Body>,
    out: &mut Declarations,
) {
    let body = &block.body;
    let address = format!("aws_lambda_function.{name}");
    let block_span = block.ident.span().unwrap_or(0..0);
    super::environment_code::push_terraform(path, &address, body, out);
    if attr(body, "package_type")
        .and_then(|e| eval_string(e).ok())
        .is_some_and(|t| t == "Image")
        || attr(body, "image_uri").is_some()
    {
        return;
    }
    let runtime = match attr(body, "runtime").map(eval_string) {
        Some(Ok(runtime)) if !runtime.starts_with("python") => return,
        Some(Ok(runtime)) => Some(runtime),
        Some(Err(_)) | None => None,
    };
    // Where a literal runtime is written (HDL011's fix rewrites it there).
    let runtime_span = attr(body, "runtime")
        .filter(|_| runtime.is_some())
        .and_then(|e| e.span());
    let gap = |span: Range<usize>, gap: Gap| FunctionGap {
        tool: Tool::Terraform,
        file: path.clone(),
        name: address.clone(),
        span,
        gap,
        runtime: runtime.clone(),
        runtime_span: runtime_span.clone(),
    };
    if attr(body, "runtime").is_none() {
        out.gaps.push(gap(block_span.clone(), Gap::MissingRuntime));
    }
    let Some(handler_expr) = attr(body, "handler") else {
        out.gaps.push(gap(block_span, Gap::MissingHandler));
        return;
    };
    let handler_span = handler_expr.span().unwrap_or(block_span);
    let handler = match eval_string(handler_expr) {
        Ok(handler) if !handler.contains(MODULE_DIR) => handler,
        Ok(_) | Err(_) => {
            out.gaps.push(gap(
                handler_span,
                Gap::Unresolvable(
                    "the handler is built from an expression laylint does not evaluate".into(),
                ),
            ));
            return;
        }
    };
    if runs_web_adapter(body) {
        let why = super::sam::web_adapter_reason(&handler);
        out.gaps.push(gap(handler_span, Gap::DeployTime(why)));
        return;
    }
    let filename = attr(body, "filename");
    let code_span = filename.and_then(Span::span);
    let code_root = match filename {
        None if attr(body, "s3_bucket").is_some() => {
            CodeRoot::Skipped("code in S3 (`s3_bucket`/`s3_key`)".into())
        }
        None => CodeRoot::Skipped("no `filename`".into()),
        Some(expr) => match archive_root(expr, dir, archives) {
            Ok(root) => root,
            Err(why) => {
                out.gaps.push(gap(
                    handler_span,
                    Gap::Unresolvable(format!("the code location is {why}")),
                ));
                return;
            }
        },
    };
    if let CodeRoot::Local(root) = &code_root
        && let Some(filter) = filename
            .and_then(|expr| archive_excludes(expr, archives))
            .and_then(|patterns| DeployFilter::terraform(root, &patterns))
    {
        out.filters.push(FilterFor {
            file: path.clone(),
            name: address.clone(),
            filter,
        });
    }
    out.handlers.push(std::sync::Arc::new(HandlerRef {
        tool: Tool::Terraform,
        template: path.clone(),
        logical_id: address,
        handler,
        handler_span,
        runtime,
        runtime_span,
        code_root,
        code_span,
        code_shared: false,
        package_module: None,
    }));
}

/// The code root behind `filename`: an `archive_file`'s `source_dir`, or the folder of
/// its `source_file` (the archive holds that one file at its top).
pub(super) fn archive_root(
    expr: &Expression,
    dir: &RelPath,
    archives: &HashMap<&str, &Body>,
) -> Result<CodeRoot, String> {
    if let Some(path) = traversal_path(expr) {
        return match path.as_slice() {
            [data, kind, name, attribute]
                if data == "data" && kind == "archive_file" && attribute == "output_path" =>
            {
                let archive = archives.get(name.as_str()).ok_or_else(|| {
                    format!("`data.archive_file.{name}`, not declared in `{dir}`")
                })?;
                if let Some(source_dir) = attr(archive, "source_dir") {
                    let text = eval_string(source_dir)?;
                    return Ok(local(&text, dir));
                }
                if let Some(source_file) = attr(archive, "source_file") {
                    let text = eval_string(source_file)?;
                    return Ok(match local(&text, dir) {
                        CodeRoot::Local(file) => CodeRoot::Local(file.parent().unwrap_or_default()),
                        other => other,
                    });
                }
                Err(format!(
                    "`data.archive_file.{name}` without `source_dir` or `source_file`"
                ))
            }
            _ => Err(format!("`{}`", path.join("."))),
        };
    }
    // A literal archive path: committed, or made by a build step (resolution tells).
    let text = eval_string(expr)?;
    Ok(local(&text, dir))
}

pub(super) fn local(text: &str, dir: &RelPath) -> CodeRoot {
    match resolve_path(text, dir) {
        Ok(path) => CodeRoot::Local(path),
        Err(text) => CodeRoot::EscapesRoot(text),
    }
}

/// The literal `excludes` of the `archive_file` behind `filename`.
pub(super) fn archive_excludes(
    expr: &Expression,
    archives: &HashMap<&str, &Body>,
) -> Option<Vec<String>> {
    let path = traversal_path(expr)?;
    let [data, kind, name, _] = path.as_slice() else {
        return None;
    };
    if data != "data" || kind != "archive_file" {
        return None;
    }
    let Expression::Array(items) = attr(archives.get(name.as_str())?, "excludes")? else {
        return None;
    };
    Some(
        items
            .iter()
            .filter_map(|item| eval_string(item).ok())
            .filter(|text| !text.contains(MODULE_DIR))
            .collect(),
    )
}

/// `environment { variables = { AWS_LAMBDA_EXEC_WRAPPER = "/opt/bootstrap" } }`: the
/// Lambda Web Adapter runs the handler as a script.
pub(super) fn runs_web_adapter(body: &Body) -> bool {
    body.get_blocks("environment").any(|block| {
        let Some(Expression::Object(variables)) = attr(&block.body, "variables") else {
            return false;
        };
        variables.iter().any(|(key, value)| {
            let name = match key {
                ObjectKey::Ident(ident) => Some(ident.value().to_string()),
                ObjectKey::Expression(expr) => eval_string(expr).ok(),
            };
            name.as_deref() == Some("AWS_LAMBDA_EXEC_WRAPPER")
                && eval_string(value.expr()).ok().as_deref() == Some(super::sam::WEB_ADAPTER)
        })
    })
}
