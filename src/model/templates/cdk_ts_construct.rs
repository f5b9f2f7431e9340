//! One `new lambda.Function(…)` / `new PythonFunction(…)` of a TypeScript or JavaScript
//! CDK app: its properties, paths and runtime.

use std::ops::Range;

use oxc_ast::ast::{Expression, NewExpression, ObjectExpression, ObjectPropertyKind};
use oxc_span::GetSpan;

use super::cdk_ts::Scope;
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};

/// What a relative path is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Base {
    /// The folder of `cdk.json`, where the CDK CLI runs the app.
    App,
    /// The source file's folder (`__dirname`).
    File,
}

/// A string an expression evaluates to.
#[derive(Debug, Clone)]
pub(super) struct Value {
    text: String,
    base: Base,
    /// `Code.fromAsset(text)`: the value is that asset.
    asset: bool,
}

fn span(expr: &impl GetSpan) -> Range<usize> {
    let span = expr.span();
    span.start as usize..span.end as usize
}

/// `path.join` / `path.resolve` (or `join` / `resolve` imported from `path`).
fn is_path_join(scope: &Scope, callee: &Expression) -> bool {
    let from_path = |module: &str| matches!(module, "path" | "node:path");
    match callee.without_parentheses() {
        Expression::StaticMemberExpression(member) => {
            matches!(member.property.name.as_str(), "join" | "resolve")
                && matches!(&member.object, Expression::Identifier(ident)
                    if ident.name == "path"
                        || scope.import(ident.name.as_str()).is_some_and(|(m, _)| from_path(m)))
        }
        Expression::Identifier(ident) => scope
            .import(ident.name.as_str())
            .is_some_and(|(module, name)| from_path(module) && matches!(name, "join" | "resolve")),
        _ => false,
    }
}

/// `Code.fromAsset` / `lambda.Code.fromAsset`.
fn is_from_asset(callee: &Expression) -> bool {
    let Expression::StaticMemberExpression(member) = callee.without_parentheses() else {
        return false;
    };
    member.property.name == "fromAsset"
        && match &member.object {
            Expression::Identifier(ident) => ident.name == "Code",
            Expression::StaticMemberExpression(parent) => parent.property.name == "Code",
            _ => false,
        }
}

/// Evaluates string literals, `__dirname`, `path.join`/`path.resolve` over them, and
/// `const` names bound to those. `Err` says what was not evaluated.
pub(super) fn eval(scope: &Scope, expr: &Expression) -> Result<Value, String> {
    match expr.without_parentheses() {
        Expression::StringLiteral(literal) => Ok(Value {
            text: literal.value.to_string(),
            base: Base::App,
            asset: false,
        }),
        Expression::TemplateLiteral(template) if template.expressions.is_empty() => {
            let text = template
                .quasis
                .first()
                .and_then(|quasi| quasi.value.cooked.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default();
            Ok(Value {
                text,
                base: Base::App,
                asset: false,
            })
        }
        Expression::Identifier(ident) if ident.name == "__dirname" => Ok(Value {
            text: String::new(),
            base: Base::File,
            asset: false,
        }),
        Expression::Identifier(ident) => match scope.constants.get(ident.name.as_str()) {
            Some(value) => value.clone(),
            None => Err(format!("`{}`", ident.name)),
        },
        Expression::CallExpression(call) if is_path_join(scope, &call.callee) => {
            let mut parts = Vec::new();
            let mut base = Base::App;
            for (i, argument) in call.arguments.iter().enumerate() {
                let Some(argument) = argument.as_expression() else {
                    return Err("a spread argument".into());
                };
                let value = eval(scope, argument)?;
                match (i, value.base) {
                    (0, found) => base = found,
                    (_, Base::File) => return Err("`__dirname` after the first argument".into()),
                    (_, Base::App) if value.text.starts_with('/') => {
                        return Err(format!("the absolute path `{}`", value.text));
                    }
                    _ => {}
                }
                if !value.text.is_empty() {
                    parts.push(value.text);
                }
            }
            Ok(Value {
                text: parts.join("/"),
                base,
                asset: false,
            })
        }
        Expression::CallExpression(call) if is_from_asset(&call.callee) => {
            let path = call
                .arguments
                .first()
                .and_then(|a| a.as_expression())
                .ok_or("`Code.fromAsset` without a path")?;
            let value = eval(scope, path).map_err(|what| {
                format!("the asset path is built from {what}, which laylint does not evaluate")
            })?;
            Ok(Value {
                asset: true,
                ..value
            })
        }
        Expression::StaticMemberExpression(member) => Err(format!("`….{}`", member.property.name)),
        Expression::CallExpression(_) => Err("a function call".into()),
        _ => Err("an expression".into()),
    }
}

fn local(scope: &Scope, value: &Value) -> CodeRoot {
    let dir = match value.base {
        Base::App => scope.app.clone(),
        Base::File => scope.file.parent().unwrap_or_default(),
    };
    let text = value.text.trim_end_matches('/');
    if text.starts_with('/') || text.contains('\\') {
        return CodeRoot::EscapesRoot(text.to_string());
    }
    match dir.join_relative(if text.is_empty() { "." } else { text }) {
        Ok(path) => CodeRoot::Local(path),
        Err(_) => CodeRoot::EscapesRoot(text.to_string()),
    }
}

/// `Runtime.PYTHON_3_12` → `python3.12`; `Err` for other languages; `None` when unknown.
fn runtime(expr: Option<&Expression>) -> Result<Option<String>, ()> {
    let Some(Expression::StaticMemberExpression(member)) = expr.map(|e| e.without_parentheses())
    else {
        return Ok(None);
    };
    let on_runtime = match &member.object {
        Expression::Identifier(ident) => ident.name == "Runtime",
        Expression::StaticMemberExpression(parent) => parent.property.name == "Runtime",
        _ => false,
    };
    if !on_runtime {
        return Ok(None);
    }
    let name = member.property.name.as_str();
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

/// A property of an object literal, by name; `Err` when a spread may hold it.
fn property<'e, 'a>(
    object: &'e ObjectExpression<'a>,
    key: &str,
) -> Result<Option<&'e Expression<'a>>, ()> {
    let mut spread = false;
    for property in &object.properties {
        match property {
            ObjectPropertyKind::ObjectProperty(p)
                if p.key.static_name().is_some_and(|k| k == key) =>
            {
                return Ok(Some(&p.value));
            }
            ObjectPropertyKind::SpreadProperty(_) => spread = true,
            ObjectPropertyKind::ObjectProperty(_) => {}
        }
    }
    if spread { Err(()) } else { Ok(None) }
}

/// The code root of `code`: `Code.fromAsset(p)`, or inline code.
fn code_root(scope: &Scope, code: &Expression) -> Result<CodeRoot, String> {
    match eval(scope, code) {
        Ok(value) if value.asset => return Ok(local(scope, &value)),
        Err(why) if why.starts_with("the asset path") => return Err(why),
        _ => {}
    }
    let method = match code.without_parentheses() {
        Expression::CallExpression(call) => match call.callee.without_parentheses() {
            Expression::StaticMemberExpression(member) => member.property.name.as_str(),
            _ => return Err("`code` is a function call laylint does not read".into()),
        },
        Expression::NewExpression(new) => match new.callee.without_parentheses() {
            Expression::StaticMemberExpression(member) if member.property.name == "InlineCode" => {
                return Ok(CodeRoot::Inline(None));
            }
            _ => return Err("`code` is an object laylint does not read".into()),
        },
        _ => return Err("`code` is an expression laylint does not evaluate".into()),
    };
    match method {
        "fromInline" => Ok(CodeRoot::Inline(None)),
        other => Err(format!(
            "`code` is `Code.{other}(…)`, not an asset in the repository"
        )),
    }
}

pub(super) fn construct(
    scope: &Scope,
    new: &NewExpression,
    python_function: bool,
    out: &mut Declarations,
) {
    let name = new
        .arguments
        .get(1)
        .and_then(|a| a.as_expression())
        .and_then(|id| eval(scope, id).ok())
        .map_or_else(|| "Function".to_string(), |id| id.text);
    let call_span = span(&new.callee);
    let props = match new.arguments.get(2).and_then(|a| a.as_expression()) {
        Some(Expression::ObjectExpression(object)) => Some(object.as_ref()),
        _ => None,
    };
    let get = |key: &str| props.map_or(Err(()), |p| property(p, key));
    let Ok(runtime) = runtime(get("runtime").ok().flatten()) else {
        return;
    };
    let gap = |span: Range<usize>, gap: Gap| FunctionGap {
        runtime_span: None,
        tool: Tool::Cdk,
        file: scope.file.clone(),
        name: name.clone(),
        span,
        gap,
        runtime: runtime.clone(),
    };
    if props.is_none() {
        let why = "the properties are not an object literal".to_string();
        return out.gaps.push(gap(call_span, Gap::Unresolvable(why)));
    }
    if !python_function && matches!(get("runtime"), Ok(None)) {
        out.gaps.push(gap(call_span.clone(), Gap::MissingRuntime));
    }
    let handler_node = get("handler").ok().flatten();
    let handler_span = handler_node.map_or_else(|| call_span.clone(), span);
    let unresolvable = |why: String| gap(handler_span.clone(), Gap::Unresolvable(why));
    let string = |expr: &Expression| eval(scope, expr).ok().map(|v| v.text);
    let (handler, code_root, code_span) = if python_function {
        let index = match get("index") {
            Ok(None) => "index.py".to_string(),
            Ok(Some(expr)) => match string(expr) {
                Some(index) => index,
                None => {
                    return out
                        .gaps
                        .push(unresolvable("`index` is not a string literal".into()));
                }
            },
            Err(()) => {
                return out
                    .gaps
                    .push(unresolvable("`index` may come from a spread".into()));
            }
        };
        let function = match (get("handler"), handler_node) {
            (_, Some(expr)) => match string(expr) {
                Some(function) => function,
                None => {
                    return out
                        .gaps
                        .push(unresolvable("`handler` is not a string literal".into()));
                }
            },
            (Err(()), None) => {
                return out
                    .gaps
                    .push(unresolvable("`handler` may come from a spread".into()));
            }
            (Ok(_), None) => "handler".to_string(),
        };
        let module = index.strip_suffix(".py").unwrap_or(&index).to_string();
        let Some(entry) = get("entry").ok().flatten() else {
            return out.gaps.push(unresolvable("no `entry`".into()));
        };
        let root = match eval(scope, entry) {
            Ok(value) => local(scope, &value),
            Err(what) => {
                return out.gaps.push(unresolvable(format!(
                    "`entry` is built from {what}, which laylint does not evaluate"
                )));
            }
        };
        (format!("{module}.{function}"), root, Some(span(entry)))
    } else {
        let Some(handler_expr) = handler_node else {
            return out.gaps.push(match get("handler") {
                Err(()) => unresolvable("`handler` may come from a spread".into()),
                Ok(_) => gap(call_span, Gap::MissingHandler),
            });
        };
        let Some(handler) = string(handler_expr) else {
            return out
                .gaps
                .push(unresolvable("`handler` is not a string literal".into()));
        };
        let Some(code) = get("code").ok().flatten() else {
            return out.gaps.push(unresolvable("no `code`".into()));
        };
        let root = match code_root(scope, code) {
            Ok(root) => root,
            Err(why) => return out.gaps.push(unresolvable(why)),
        };
        (handler, root, Some(span(code)))
    };
    out.handlers.push(std::sync::Arc::new(HandlerRef {
        runtime_span: None,
        code_shared: false,
        tool: Tool::Cdk,
        template: scope.file.clone(),
        logical_id: name,
        handler,
        handler_span,
        runtime,
        code_root,
        code_span,
        package_module: None,
    }));
}
