//! Pulumi programs in Python. A program is the folder of a `Pulumi.yaml` whose `runtime`
//! is `python`; its `.py` files are parsed and every `pulumi_aws.lambda_.Function(…)` (or
//! `Function(name, args=FunctionArgs(…))`) is a declaration: `handler=`, `runtime=` (a
//! string, or a member of `lambda_.Runtime` such as `PYTHON3D12`), and `code=` as
//! `pulumi.FileArchive(path)` or `pulumi.AssetArchive({".": pulumi.FileArchive(path)})`,
//! the path relative to `Pulumi.yaml`'s folder, where `pulumi up` runs the program.

use std::collections::HashMap;

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{Expr, ExprCall, Stmt};

use super::cdk::{import_aliases, span, string};
use super::cdk_paths::{PathError, PathEval, constants, qualify};
use super::py_app::{FunctionCall, bound_once, declare, extract_programs, programs, variable};
use super::yaml::{self, YamlNode};
use super::{CodeRoot, Declarations, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

const FUNCTION: &str = "pulumi_aws.lambda_.Function";
const FUNCTION_ARGS: &str = "pulumi_aws.lambda_.FunctionArgs";
/// How many assignments a `code=` variable is followed through.
const MAX_DEPTH: usize = 4;

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let programs = programs(repo, "Pulumi.yaml", runs_python);
    if !programs.is_empty() {
        extract_programs(repo, &programs, "lambda_", extract_file, out);
    }
}

/// Whether `Pulumi.yaml` says `runtime: python` (or `runtime: {name: python}`).
fn runs_python(repo: &Repo, project: &RelPath) -> bool {
    let Some(source) = repo.read_or_report(project) else {
        return false;
    };
    match yaml::parse(&source.text) {
        Ok(Some(root)) => root
            .get("runtime")
            .and_then(|r| {
                r.as_str()
                    .or_else(|| r.get("name").and_then(YamlNode::as_str))
            })
            .is_some_and(|name| name == "python"),
        Ok(None) => false,
        Err(error) => {
            repo.report_problem(
                project,
                Some(error.span),
                format!("`{project}` is not valid YAML: {}", error.message),
            );
            false
        }
    }
}

struct Calls<'a> {
    aliases: &'a HashMap<String, String>,
    found: Vec<&'a ExprCall>,
}

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && qualify(&call.func, self.aliases).as_deref() == Some(FUNCTION)
        {
            self.found.push(call);
        }
        walk_expr(self, expr);
    }
}

fn extract_file(file: &RelPath, program: &RelPath, _text: &str, body: &[Stmt]) -> Declarations {
    let aliases = import_aliases(body);
    let mut calls = Calls {
        aliases: &aliases,
        found: Vec::new(),
    };
    calls.visit_body(body);
    let eval = PathEval {
        file,
        app_dir: program,
        aliases: &aliases,
        constants: constants(body),
    };
    let mut out = Declarations::default();
    for call in calls.found {
        function(&eval, body, call, &mut out);
    }
    out
}

/// `Runtime.PYTHON3D12` → `python3.12`, a string as written; `Err` for another language,
/// `Ok(None)` for anything laylint does not evaluate.
pub(super) fn runtime(expr: Option<&Expr>) -> Result<Option<String>, ()> {
    match expr {
        Some(Expr::StringLiteral(literal)) => {
            let value = literal.value.to_str();
            if value.starts_with("python") {
                Ok(Some(value.to_string()))
            } else {
                Err(())
            }
        }
        Some(Expr::Attribute(attribute))
            if matches!(attribute.value.as_ref(),
                Expr::Name(n) if n.id.as_str() == "Runtime")
                || matches!(attribute.value.as_ref(),
                Expr::Attribute(p) if p.attr.as_str() == "Runtime") =>
        {
            match attribute.attr.as_str().strip_prefix("PYTHON") {
                Some(version) => Ok(Some(format!("python{}", version.replace('D', ".")))),
                None => Err(()),
            }
        }
        _ => Ok(None),
    }
}

/// The function's arguments: its keywords, or those of `args=FunctionArgs(…)`.
fn keywords<'a>(eval: &PathEval<'_>, call: &'a ExprCall) -> &'a ruff_python_ast::Arguments {
    let args = call
        .arguments
        .find_keyword("args")
        .map(|k| &k.value)
        .or_else(|| call.arguments.args.get(1));
    match args {
        Some(Expr::Call(inner))
            if qualify(&inner.func, eval.aliases).as_deref() == Some(FUNCTION_ARGS) =>
        {
            &inner.arguments
        }
        _ => &call.arguments,
    }
}

fn function(eval: &PathEval<'_>, body: &[Stmt], call: &ExprCall, out: &mut Declarations) {
    let args = keywords(eval, call);
    let keyword = |name: &str| args.find_keyword(name).map(|k| &k.value);
    let name = call
        .arguments
        .find_argument_value("resource_name", 0)
        .and_then(string)
        .unwrap_or("Function")
        .to_string();
    let call_span = span(call.func.as_ref());
    if let Some(environment) = keyword("environment") {
        let scope = (Tool::Pulumi, eval.file, name.as_str());
        super::environment_code::push_pulumi(scope, environment, out);
    }
    if keyword("image_uri").is_some() || keyword("package_type").and_then(string) == Some("Image") {
        return;
    }
    let Ok(runtime) = runtime(keyword("runtime")) else {
        return;
    };
    declare(
        FunctionCall {
            tool: Tool::Pulumi,
            file: eval.file,
            name,
            call_span,
            args,
            runtime,
            code_key: "code",
        },
        |code| code_root(eval, body, code, 0),
        out,
    );
}

/// `FileArchive(path)`, `AssetArchive({".": FileArchive(path)})`, or a variable bound
/// once to either.
fn code_root(
    eval: &PathEval<'_>,
    body: &[Stmt],
    code: &Expr,
    depth: usize,
) -> Result<CodeRoot, String> {
    if let Some(name) = variable(code) {
        return match bound_once(body, name) {
            Some(value) if depth < MAX_DEPTH => code_root(eval, body, value, depth + 1),
            _ => Err(format!(
                "`code` is the variable `{name}`, not bound once to an archive"
            )),
        };
    }
    let Expr::Call(call) = code else {
        return Err("`code` is not a `pulumi.FileArchive(…)` or `pulumi.AssetArchive(…)`".into());
    };
    let class = qualify(&call.func, eval.aliases).unwrap_or_default();
    match class.as_str() {
        "pulumi.FileArchive" | "pulumi.asset.FileArchive" => {
            let Some(path) = call.arguments.find_argument_value("path", 0) else {
                return Err("`FileArchive` without a path".into());
            };
            match eval.eval_path(path) {
                Ok(path) => Ok(CodeRoot::Local(path)),
                Err(PathError::Escapes(text)) => Ok(CodeRoot::EscapesRoot(text)),
                Err(PathError::Unknown(what)) => Err(format!(
                    "the archive path is built from {what}, which laylint does not evaluate"
                )),
            }
        }
        "pulumi.AssetArchive" | "pulumi.asset.AssetArchive" => {
            let root = match call.arguments.find_argument_value("assets", 0) {
                Some(Expr::Dict(dict)) => dict
                    .items
                    .iter()
                    .find(|item| item.key.as_ref().and_then(string) == Some("."))
                    .map(|item| &item.value),
                _ => None,
            };
            match root {
                Some(value) => code_root(eval, body, value, depth + 1),
                None => Err(
                    "the `AssetArchive` has no `\".\"` entry; laylint reads only an archive of a folder"
                        .into(),
                ),
            }
        }
        "pulumi.RemoteArchive" | "pulumi.asset.RemoteArchive" => {
            Ok(CodeRoot::Skipped("code from a `RemoteArchive`".into()))
        }
        other => Err(format!(
            "`code` is built by `{other}`, which laylint does not evaluate"
        )),
    }
}
