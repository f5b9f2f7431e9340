//! AWS CDK apps in Python. An app is the folder of a `cdk.json` whose `app` runs Python;
//! only then are its `.py` files (not `tests/`, `.venv/`, `cdk.out/`) parsed, with the
//! same parser as handler modules. Found: `aws_lambda.Function(handler=…,
//! code=Code.from_asset(…))` and `aws_lambda_python_alpha.PythonFunction(entry=…,
//! index=…, handler=…)`, however the modules were imported or aliased.

use std::collections::HashMap;
use std::ops::Range;

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::cdk_code::{asset_excludes, code_root, runs_web_adapter};
use super::cdk_paths::{PathError, PathEval, constants, qualify};
use super::excludes::{DeployFilter, FilterFor};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

/// Folders of an app that hold no construct code.
const SKIPPED_DIRS: [&str; 6] = ["tests", "test", ".venv", "venv", "cdk.out", "node_modules"];
pub(super) const LAMBDA: [&str; 1] = ["aws_cdk.aws_lambda"];
const PYTHON_LAMBDA: [&str; 2] = [
    "aws_cdk.aws_lambda_python_alpha",
    "aws_cdk.aws_lambda_python",
];

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let apps: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| e.path.file_name() == "cdk.json" && runs_python(repo, &e.path))
        .filter_map(|e| e.path.parent())
        .collect();
    if apps.is_empty() {
        return;
    }
    let mut files: Vec<(RelPath, RelPath)> = repo
        .files
        .files()
        .filter(|e| e.path.extension() == Some("py"))
        .filter_map(|e| {
            // The nearest enclosing app.
            let app = apps
                .iter()
                .filter(|app| e.path.starts_with(app))
                .max_by_key(|app| app.depth())?;
            let inner = e.path.strip_prefix(app)?;
            let skipped = inner
                .split('/')
                .rev()
                .skip(1)
                .any(|dir| SKIPPED_DIRS.contains(&dir) || dir.starts_with('.'));
            (!skipped).then(|| (e.path.clone(), app.clone()))
        })
        .collect();
    files.sort();
    for (file, app) in files {
        let Some(source) = repo.read_or_report(&file) else {
            continue;
        };
        // Cheap pre-filter: a file that never names the Lambda modules declares nothing.
        if !source.text.contains("aws_lambda") {
            continue;
        }
        let (path, app_dir, text) = (file.clone(), app.clone(), source.text.clone());
        match crate::python::with_module(&source.text, move |body| {
            extract_file(&path, &app_dir, &text, body)
        }) {
            Ok(found) => out.absorb(found),
            Err(error) => repo.report_problem(
                &file,
                Some(error.span),
                format!("`{file}` is not valid Python: {}", error.message),
            ),
        }
    }
}

/// Whether `cdk.json`'s `app` command runs Python (`python3 app.py`, `poetry run python …`).
fn runs_python(repo: &Repo, cdk_json: &RelPath) -> bool {
    let Some(source) = repo.read_or_report(cdk_json) else {
        return false;
    };
    match serde_json::from_str::<serde_json::Value>(&source.text) {
        Ok(value) => value
            .get("app")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|app| app.contains("python") || app.contains(".py")),
        Err(error) => {
            repo.report_problem(
                cdk_json,
                None,
                format!("`{cdk_json}` is not valid JSON: {error}"),
            );
            false
        }
    }
}

/// Local names of imported modules and classes → qualified names. Imports at any depth
/// count (`from aws_cdk import aws_lambda as lambda_` inside a stack's `__init__` is
/// common); as at module level, the last import of a name wins.
pub(super) fn import_aliases(body: &[Stmt]) -> HashMap<String, String> {
    struct Imports(HashMap<String, String>);
    impl<'a> Visitor<'a> for Imports {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let aliases = &mut self.0;
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let name = alias.name.as_str();
                        let (local, qualified) = match &alias.asname {
                            Some(asname) => (asname.as_str(), name),
                            None => {
                                let top = name.split('.').next().unwrap_or(name);
                                (top, top)
                            }
                        };
                        aliases.insert(local.to_string(), qualified.to_string());
                    }
                }
                Stmt::ImportFrom(from) if from.level == 0 => {
                    let module = from.module.as_ref().map_or("", |m| m.as_str());
                    for alias in &from.names {
                        let local = alias.asname.as_ref().unwrap_or(&alias.name);
                        aliases.insert(local.to_string(), format!("{module}.{}", alias.name));
                    }
                }
                _ => walk_stmt(self, stmt),
            }
        }

        // Expressions hold no import statements.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut imports = Imports(HashMap::new());
    imports.visit_body(body);
    imports.0
}

struct Calls<'a> {
    aliases: &'a HashMap<String, String>,
    found: Vec<(&'a ExprCall, bool)>,
}

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Some(name) = qualify(&call.func, self.aliases)
            && let Some((module, class)) = name.rsplit_once('.')
        {
            if LAMBDA.contains(&module) && class == "Function" {
                self.found.push((call, false));
            } else if PYTHON_LAMBDA.contains(&module) && class == "PythonFunction" {
                self.found.push((call, true));
            }
        }
        walk_expr(self, expr);
    }
}

fn extract_file(file: &RelPath, app_dir: &RelPath, text: &str, body: &[Stmt]) -> Declarations {
    let aliases = import_aliases(body);
    let mut calls = Calls {
        aliases: &aliases,
        found: Vec::new(),
    };
    for stmt in body {
        calls.visit_stmt(stmt);
    }
    let eval = PathEval {
        file,
        app_dir,
        aliases: &aliases,
        constants: constants(body),
    };
    let mut out = Declarations::default();
    for (call, python_function) in calls.found {
        construct(&eval, text, call, python_function, &mut out);
    }
    super::layers_code::cdk(&eval, text, body, &mut out);
    out
}

pub(super) fn span(expr: &impl Ranged) -> Range<usize> {
    let range = expr.range();
    range.start().to_usize()..range.end().to_usize()
}

pub(super) fn string(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(literal) => Some(literal.value.to_str()),
        _ => None,
    }
}

/// `Runtime.PYTHON_3_12` → `python3.12`; `Err` for other languages; `None` when unknown.
pub(super) fn runtime(expr: Option<&Expr>) -> Result<Option<String>, ()> {
    let Some(Expr::Attribute(attribute)) = expr else {
        return Ok(None);
    };
    // Only a member of `Runtime` names a language: `self.LAMBDA_RUNTIME` or
    // `constants.PYTHON_VERSION` is a value laylint does not evaluate.
    let on_runtime = match attribute.value.as_ref() {
        Expr::Name(name) => name.id.as_str() == "Runtime",
        Expr::Attribute(parent) => parent.attr.as_str() == "Runtime",
        _ => false,
    };
    if !on_runtime {
        return Ok(None);
    }
    let name = attribute.attr.as_str();
    match name.strip_prefix("PYTHON_") {
        Some(version) => Ok(Some(format!("python{}", version.replacen('_', ".", 1)))),
        None if name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
        {
            Err(())
        }
        None => Ok(None),
    }
}

fn construct(
    eval: &PathEval<'_>,
    text: &str,
    call: &ExprCall,
    python_function: bool,
    out: &mut Declarations,
) {
    let args = &call.arguments;
    let keyword = |name: &str| args.find_keyword(name).map(|k| &k.value);
    let name = args
        .args
        .get(1)
        .and_then(string)
        .map_or_else(|| "Function".to_string(), str::to_string);
    let call_span = span(call.func.as_ref());
    if let Some(environment) = keyword("environment") {
        let scope = (Tool::Cdk, eval.file, name.as_str());
        super::environment_code::push_python(scope, environment, out);
    }
    let Ok(runtime) = runtime(keyword("runtime")) else {
        return;
    };
    let gap = |span: Range<usize>, gap: Gap| FunctionGap {
        tool: Tool::Cdk,
        file: eval.file.clone(),
        name: name.clone(),
        span,
        gap,
        runtime: runtime.clone(),
        runtime_span: None,
    };
    // `**kwargs` may carry any argument laylint sees missing: unknown, not absent.
    let splat = args
        .keywords
        .iter()
        .find(|k| k.arg.is_none())
        .map(|k| &k.value);
    if !python_function && keyword("runtime").is_none() && splat.is_none() {
        out.gaps.push(gap(call_span.clone(), Gap::MissingRuntime));
    }
    let handler_node = keyword("handler");
    let handler_span = handler_node.map_or_else(|| call_span.clone(), span);
    let unresolvable = |why: String| gap(handler_span.clone(), Gap::Unresolvable(why));
    let (handler, code_root, code_span) = if python_function {
        let index = match keyword("index") {
            None => "index.py",
            Some(expr) => match string(expr) {
                Some(index) => index,
                None => {
                    return out
                        .gaps
                        .push(unresolvable("`index` is not a string literal".into()));
                }
            },
        };
        let function = match handler_node {
            None => "handler",
            Some(expr) => match string(expr) {
                Some(function) => function,
                None => {
                    return out
                        .gaps
                        .push(unresolvable("`handler` is not a string literal".into()));
                }
            },
        };
        let module = index.strip_suffix(".py").unwrap_or(index);
        let Some(entry) = keyword("entry") else {
            return out.gaps.push(unresolvable("no `entry`".into()));
        };
        let root = match eval.eval_path(entry) {
            Ok(path) => CodeRoot::Local(path),
            Err(PathError::Escapes(text)) => CodeRoot::EscapesRoot(text),
            Err(PathError::Unknown(what)) => {
                return out.gaps.push(unresolvable(format!(
                    "`entry` is built from {what}, which laylint does not evaluate"
                )));
            }
        };
        (format!("{module}.{function}"), root, Some(span(entry)))
    } else {
        let Some(handler_expr) = handler_node else {
            return out.gaps.push(match splat {
                Some(_) => unresolvable("`handler` may come from `**` arguments".into()),
                None => gap(call_span, Gap::MissingHandler),
            });
        };
        let Some(handler) = string(handler_expr) else {
            return out
                .gaps
                .push(unresolvable("`handler` is not a string literal".into()));
        };
        if keyword("environment").is_some_and(runs_web_adapter) {
            let why = super::sam::web_adapter_reason(handler);
            return out
                .gaps
                .push(gap(handler_span.clone(), Gap::DeployTime(why)));
        }
        let Some(code) = keyword("code") else {
            return out.gaps.push(unresolvable("no `code`".into()));
        };
        let root = match code_root(eval, text, code) {
            Ok(root) => root,
            Err(why) => return out.gaps.push(unresolvable(why)),
        };
        if let CodeRoot::Local(asset) = &root
            && let Some(filter) = DeployFilter::cdk(asset, &asset_excludes(code))
        {
            out.filters.push(FilterFor {
                file: eval.file.clone(),
                name: name.clone(),
                filter,
            });
        }
        (handler.to_string(), root, Some(span(code)))
    };
    out.handlers.push(std::sync::Arc::new(HandlerRef {
        tool: Tool::Cdk,
        template: eval.file.clone(),
        logical_id: name.clone(),
        handler,
        handler_span,
        runtime,
        runtime_span: None,
        code_root,
        code_span,
        code_shared: false,
        package_module: None,
    }));
}
