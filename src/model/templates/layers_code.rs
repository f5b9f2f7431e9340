//! Layers declared in programs: CDK `LayerVersion(code=Code.from_asset(p))` and
//! `PythonLayerVersion(entry=p)` bound to a variable that a function's `layers=[…]`
//! names, and Terraform `aws_lambda_layer_version` zipped by an `archive_file` from a
//! `source_dir`, used through `layers = [aws_lambda_layer_version.x.arn]`.

use std::collections::HashMap;

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, ExprCall, Stmt};

use super::cdk::{runtime, span};
use super::cdk_code::{asset_excludes, code_root};
use super::cdk_paths::{PathEval, qualify};
use super::layers::{LayerBuild, LayerDecl, LayerUse};
use super::py_app::variable;
use super::terraform_hcl::{attr, eval_string, labels, resolve_path, traversal_path};
use super::{CodeRoot, Declarations, Tool};
use crate::paths::RelPath;

const LAYER: &str = "aws_cdk.aws_lambda.LayerVersion";
const PYTHON_LAYER: [&str; 2] = [
    "aws_cdk.aws_lambda_python_alpha.PythonLayerVersion",
    "aws_cdk.aws_lambda_python.PythonLayerVersion",
];
const FUNCTIONS: [&str; 3] = [
    "aws_cdk.aws_lambda.Function",
    "aws_cdk.aws_lambda_python_alpha.PythonFunction",
    "aws_cdk.aws_lambda_python.PythonFunction",
];

/// Layer constructs bound to a variable, and function calls.
struct Found<'a> {
    aliases: &'a HashMap<String, String>,
    layers: Vec<(&'a str, &'a ExprCall, bool)>,
    functions: Vec<&'a ExprCall>,
}

impl<'a> Visitor<'a> for Found<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt
            && let [target] = assign.targets.as_slice()
            && let Some(name) = variable(target)
            && let Expr::Call(call) = assign.value.as_ref()
        {
            match qualify(&call.func, self.aliases).as_deref() {
                Some(LAYER) => self.layers.push((name, call, false)),
                Some(class) if PYTHON_LAYER.contains(&class) => {
                    self.layers.push((name, call, true));
                }
                _ => {}
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && qualify(&call.func, self.aliases).is_some_and(|c| FUNCTIONS.contains(&c.as_str()))
        {
            self.functions.push(call);
        }
        walk_expr(self, expr);
    }
}

/// The CDK layers of one file whose content is a local folder, and their uses.
pub(super) fn cdk(eval: &PathEval<'_>, text: &str, body: &[Stmt], out: &mut Declarations) {
    let mut found = Found {
        aliases: eval.aliases,
        layers: Vec::new(),
        functions: Vec::new(),
    };
    found.visit_body(body);
    let mut bound: HashMap<&str, usize> = HashMap::new();
    for (name, _, _) in &found.layers {
        *bound.entry(name).or_default() += 1;
    }
    let mut known: Vec<&str> = Vec::new();
    for (name, call, python) in &found.layers {
        // A name bound to two layers is ambiguous: neither is followed.
        if bound.get(name) != Some(&1) {
            continue;
        }
        let args = &call.arguments;
        let (content, build) = if *python {
            let Some(entry) = args.find_keyword("entry").map(|k| &k.value) else {
                continue;
            };
            let content = eval.eval_path(entry).ok().map(|p| (p, span(entry)));
            (content, LayerBuild::IntoPython)
        } else {
            let Some(code) = args.find_keyword("code").map(|k| &k.value) else {
                continue;
            };
            let built = match asset_excludes(code) == ["**"] {
                true => LayerBuild::Other,
                false => LayerBuild::AsIs,
            };
            match code_root(eval, text, code) {
                Ok(CodeRoot::Local(path)) => (Some((path, span(code))), built),
                _ => continue,
            }
        };
        let Some((content, content_span)) = content else {
            continue;
        };
        known.push(name);
        out.layers.push(LayerDecl {
            tool: Tool::Cdk,
            file: eval.file.clone(),
            name: (*name).to_string(),
            content,
            content_span,
            build,
            compatible_runtimes: Vec::new(),
        });
    }
    for call in found.functions {
        let keyword = |key: &str| call.arguments.find_keyword(key).map(|k| &k.value);
        let items = match keyword("layers") {
            Some(Expr::List(list)) => &list.elts,
            Some(Expr::Tuple(tuple)) => &tuple.elts,
            _ => continue,
        };
        let function = call
            .arguments
            .args
            .get(1)
            .and_then(super::cdk::string)
            .unwrap_or("Function");
        let runtime = runtime(keyword("runtime")).ok().flatten();
        for item in items {
            if let Some(layer) = variable(item).filter(|v| known.contains(v)) {
                out.layer_uses.push(LayerUse {
                    file: eval.file.clone(),
                    function: function.to_string(),
                    layer_file: eval.file.clone(),
                    layer: layer.to_string(),
                    runtime: runtime.clone(),
                    span: span(item),
                });
            }
        }
    }
}

/// The `source_dir` of the `archive_file` behind a layer's `filename`.
fn archive_dir(
    expr: &Expression,
    dir: &RelPath,
    archives: &HashMap<&str, &Body>,
) -> Option<RelPath> {
    let path = traversal_path(expr)?;
    let [data, kind, name, output] = path.as_slice() else {
        return None;
    };
    if data != "data" || kind != "archive_file" || output != "output_path" {
        return None;
    }
    let source = attr(archives.get(name.as_str())?, "source_dir")?;
    resolve_path(&eval_string(source).ok()?, dir).ok()
}

/// Terraform layers of one module folder and the functions there that use them.
pub(super) fn terraform(
    dir: &RelPath,
    bodies: &[(RelPath, Body)],
    archives: &HashMap<&str, &Body>,
    out: &mut Declarations,
) {
    let mut declared: HashMap<String, RelPath> = HashMap::new();
    for (path, body) in bodies {
        for block in body.get_blocks("resource") {
            let labels = labels(block);
            let ["aws_lambda_layer_version", name] = labels.as_slice() else {
                continue;
            };
            let Some(filename) = attr(&block.body, "filename") else {
                continue;
            };
            let Some(content) = archive_dir(filename, dir, archives) else {
                continue;
            };
            let runtimes = match attr(&block.body, "compatible_runtimes") {
                Some(Expression::Array(items)) => items
                    .iter()
                    .filter_map(|item| eval_string(item).ok())
                    .collect(),
                _ => Vec::new(),
            };
            let name = format!("aws_lambda_layer_version.{name}");
            declared.insert(name.clone(), path.clone());
            out.layers.push(LayerDecl {
                tool: Tool::Terraform,
                file: path.clone(),
                name,
                content,
                content_span: filename.span().unwrap_or(0..0),
                build: LayerBuild::AsIs,
                compatible_runtimes: runtimes,
            });
        }
    }
    for (path, body) in bodies {
        for block in body.get_blocks("resource") {
            let labels = labels(block);
            let ["aws_lambda_function", name] = labels.as_slice() else {
                continue;
            };
            let Some(Expression::Array(items)) = attr(&block.body, "layers") else {
                continue;
            };
            let runtime = attr(&block.body, "runtime").and_then(|e| eval_string(e).ok());
            for item in items.iter() {
                let Some(reference) = traversal_path(item) else {
                    continue;
                };
                let [kind, layer, _] = reference.as_slice() else {
                    continue;
                };
                let layer = format!("{kind}.{layer}");
                if let Some(layer_file) = declared.get(&layer) {
                    out.layer_uses.push(LayerUse {
                        file: path.clone(),
                        function: format!("aws_lambda_function.{name}"),
                        layer_file: layer_file.clone(),
                        layer,
                        runtime: runtime.clone(),
                        span: item.span().unwrap_or(0..0),
                    });
                }
            }
        }
    }
}
