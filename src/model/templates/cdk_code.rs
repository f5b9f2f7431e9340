//! What a CDK function's `code=` and `environment=` arguments say: the asset folder or
//! inline code, the asset's excludes, and the Lambda Web Adapter.

use ruff_python_ast::{Expr, ExprCall};

use super::cdk::{LAMBDA, span, string};
use super::cdk_paths::{PathError, PathEval, qualify};
use super::{CodeRoot, InlineCode};

/// `Code.from_asset(path)` → the folder; inline code → `index.py`; the rest is skipped.
pub(super) fn code_root(eval: &PathEval<'_>, text: &str, code: &Expr) -> Result<CodeRoot, String> {
    let Expr::Call(call) = code else {
        return Err("`code` is not a `Code.from_…(…)` call".into());
    };
    let name = qualify(&call.func, eval.aliases).unwrap_or_default();
    let Some((class, method)) = name.rsplit_once('.') else {
        return Err("`code` is not a `Code.from_…(…)` call".into());
    };
    let class_ok = LAMBDA.iter().any(|m| class == format!("{m}.Code"));
    match method {
        "from_asset" | "asset" if class_ok => {
            let Some(path) = call.arguments.find_argument_value("path", 0) else {
                return Err("`Code.from_asset` without a path".into());
            };
            Ok(match eval.eval_path(path) {
                Ok(path) => CodeRoot::Local(path),
                Err(PathError::Escapes(text)) => CodeRoot::EscapesRoot(text),
                Err(PathError::Unknown(what)) => {
                    return Err(format!(
                        "the asset path is built from {what}, which laylint does not evaluate"
                    ));
                }
            })
        }
        "from_inline" | "inline" if class_ok => Ok(inline_code(text, call)),
        _ if name.ends_with("InlineCode") => Ok(inline_code(text, call)),
        other => Ok(CodeRoot::Skipped(format!("code from `Code.{other}`"))),
    }
}

/// `Code.from_inline("…")` / `InlineCode("…")`: the code when it is a string literal.
fn inline_code(text: &str, call: &ExprCall) -> CodeRoot {
    let code = call
        .arguments
        .find_argument_value("code", 0)
        .and_then(|expr| Some((string(expr)?, span(expr))));
    CodeRoot::Inline(code.map(|(code, at)| InlineCode::new(code, text, at)))
}

/// `environment={"AWS_LAMBDA_EXEC_WRAPPER": "/opt/bootstrap", …}`: the Lambda Web Adapter.
pub(super) fn runs_web_adapter(environment: &Expr) -> bool {
    let Expr::Dict(dict) = environment else {
        return false;
    };
    dict.items.iter().any(|item| {
        item.key.as_ref().and_then(string) == Some("AWS_LAMBDA_EXEC_WRAPPER")
            && string(&item.value) == Some(super::sam::WEB_ADAPTER)
    })
}

/// `Code.from_asset(path, exclude=[…])`: the patterns written as string literals. With
/// `bundling=…` a command builds the asset from the folder: nothing in it ships as it is.
pub(super) fn asset_excludes(code: &Expr) -> Vec<String> {
    let Expr::Call(call) = code else {
        return Vec::new();
    };
    if call.arguments.find_keyword("bundling").is_some() {
        return vec!["**".to_string()];
    }
    let items = match call.arguments.find_keyword("exclude").map(|k| &k.value) {
        Some(Expr::List(list)) => &list.elts,
        Some(Expr::Tuple(tuple)) => &tuple.elts,
        _ => return Vec::new(),
    };
    items
        .iter()
        .filter_map(string)
        .map(str::to_string)
        .collect()
}
