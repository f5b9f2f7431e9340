//! The registry module `terraform-aws-modules/lambda/aws`: one function per call, from the
//! call's literal arguments. `handler`, `runtime`; the code is `source_path` (a path, or a
//! list of paths or of `{ path, patterns }` objects, relative to the calling module), or,
//! with `create_package = false`, the prebuilt `local_existing_package` archive (or an S3
//! object). `create = false`, `create_function = false` and `create_layer = true` declare
//! no function. The module's `patterns` (Python regular expressions, `!` excluding, the
//! last that fully matches a path deciding) filter what ships.

use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;
use hcl_edit::template::Element;

use super::excludes::{DeployFilter, FilterFor};
use super::terraform::{MODULE_DIR, attr, eval_string, labels, local};
use super::terraform_modules::{Call, Unknown, Value};
use super::{CodeRoot, Declarations, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

/// Whether a module `source` names the registry module (any host, or its git repository).
pub(super) fn is_registry_source(source: &str) -> bool {
    let source = source.split('?').next().unwrap_or_default();
    let source = source.strip_prefix("git::").unwrap_or(source);
    let source = source
        .trim_start_matches("https://")
        .trim_start_matches("ssh://")
        .trim_start_matches("git@")
        .trim_end_matches('/');
    let source = source.strip_suffix(".git").unwrap_or(source);
    source
        .strip_prefix("registry.terraform.io/")
        .or_else(|| source.strip_prefix("app.terraform.io/"))
        .unwrap_or(source)
        == "terraform-aws-modules/lambda/aws"
        || matches!(
            source,
            "github.com/terraform-aws-modules/terraform-aws-lambda"
                | "github.com:terraform-aws-modules/terraform-aws-lambda"
        )
}

/// Whether a local module declares the registry module's interface (its own examples call
/// it as `source = "../../"`).
pub(super) fn has_interface(module: &[(RelPath, Body)]) -> bool {
    let declared = |wanted: &str| {
        module.iter().any(|(_, body)| {
            body.get_blocks("variable")
                .any(|block| labels(block).as_slice() == [wanted])
        })
    };
    [
        "source_path",
        "create_package",
        "local_existing_package",
        "handler",
    ]
    .iter()
    .all(|name| declared(name))
}

fn literal_bool(body: &Body, key: &str) -> Option<bool> {
    match attr(body, key)? {
        Expression::Bool(value) => Some(*value.value()),
        _ => None,
    }
}

/// Evaluates a string argument of the registry module's block, in the context of the
/// call being declared.
pub(super) type Eval<'a> = &'a dyn Fn(&Expression) -> Result<Value, Unknown>;

/// The function that `args` (a registry module block) declares, reported at `call`:
/// the same block, or a local module's call when the block is inside that module.
pub(super) fn declare(
    repo: &Repo,
    call: &Call,
    name: String,
    args: &Body,
    eval: Eval,
    out: &mut Declarations,
) {
    if literal_bool(args, "create") == Some(false)
        || literal_bool(args, "create_function") == Some(false)
        || literal_bool(args, "create_layer") == Some(true)
    {
        return;
    }
    let string = |key| attr(args, key).map(eval);
    // The module's own wrappers pass every argument (`image_uri = try(…)`): only a
    // literal image says that this is not a zip function.
    if string("package_type")
        .and_then(Result::ok)
        .is_some_and(|t| t.text == "Image")
        || string("image_uri").is_some_and(|uri| uri.is_ok())
    {
        return;
    }
    // The runtime, and where the call writes it (HDL011's fix rewrites it there).
    let (runtime, runtime_span) = match string("runtime") {
        Some(Ok(runtime)) if !runtime.text.starts_with("python") => return,
        Some(Ok(runtime)) => (Some(runtime.text), runtime.span),
        Some(Err(_)) | None => (None, None),
    };
    let gap = |span, gap| call.gap(&name, span, gap, runtime.clone());
    match call.repeated(args) {
        Ok(true) => {}
        Ok(false) => return,
        Err((why, span)) => return out.gaps.push(gap(span, Gap::Unresolvable(why))),
    }
    if attr(args, "runtime").is_none() {
        out.gaps.push(gap(call.span.clone(), Gap::MissingRuntime));
    }
    let Some(handler) = string("handler") else {
        return out.gaps.push(gap(call.span.clone(), Gap::MissingHandler));
    };
    let handler = match handler {
        Ok(handler) if !handler.text.contains(MODULE_DIR) => handler,
        Ok(handler) => {
            let why = "the handler is built from `path.module`".to_string();
            let span = handler.span.unwrap_or(call.span.clone());
            return out.gaps.push(gap(span, Gap::Unresolvable(why)));
        }
        Err(unknown) => {
            let why = format!("the handler {}", unknown.why);
            return out.gaps.push(gap(unknown.span, Gap::Unresolvable(why)));
        }
    };
    let code = if literal_bool(args, "create_package") == Some(false) {
        prebuilt(args, eval)
    } else {
        match attr(args, "source_path") {
            None => Ok((CodeRoot::Skipped("no `source_path`".into()), None, None)),
            Some(expr) => source_path(repo, expr, eval, &handler.text, call.span.clone()),
        }
    };
    let (code_root, code_span, filter) = match code {
        Ok(code) => code,
        Err(unknown) => {
            let why = format!("the code location {}", unknown.why);
            return out.gaps.push(gap(unknown.span, Gap::Unresolvable(why)));
        }
    };
    if let Some(filter) = filter {
        out.filters.push(FilterFor {
            file: call.file.clone(),
            name: name.clone(),
            filter,
        });
    }
    out.handlers.push(std::sync::Arc::new(HandlerRef {
        runtime_span,
        code_shared: false,
        tool: Tool::TerraformModule,
        template: call.file.clone(),
        logical_id: name,
        handler: handler.text,
        handler_span: handler.span.unwrap_or(call.span.clone()),
        runtime,
        code_root,
        code_span,
        package_module: None,
    }));
}

type Code = (CodeRoot, Option<Range<usize>>, Option<DeployFilter>);

/// `create_package = false`: an archive built elsewhere.
fn prebuilt(args: &Body, eval: Eval) -> Result<Code, Unknown> {
    if let Some(expr) = attr(args, "local_existing_package") {
        let value = eval(expr).map_err(|unknown| Unknown {
            why: format!("`local_existing_package` {}", unknown.why),
            span: unknown.span,
        })?;
        return Ok((local(&value.text, &value.dir), value.span, None));
    }
    let why = if attr(args, "s3_existing_package").is_some() {
        "code in S3 (`s3_existing_package`)"
    } else {
        "`create_package = false` without `local_existing_package`"
    };
    Ok((CodeRoot::Skipped(why.into()), None, None))
}

/// One `source_path` entry: its folder (a file's parent) and its `patterns`.
struct Entry {
    root: CodeRoot,
    /// The file when the entry names one: the package holds only it.
    file: Option<RelPath>,
    patterns: Vec<String>,
}

/// The code root of `source_path`: the entry that holds the handler's module (the first
/// one when none does); entries with `prefix_in_zip` land elsewhere in the package.
fn source_path(
    repo: &Repo,
    expr: &Expression,
    eval: Eval,
    handler: &str,
    call_span: Range<usize>,
) -> Result<Code, Unknown> {
    let entry = |value: &Value, patterns: Vec<String>| match local(&value.text, &value.dir) {
        CodeRoot::Local(path) if repo.files.is_file(&path) => Entry {
            root: CodeRoot::Local(path.parent().unwrap_or_default()),
            file: Some(path),
            patterns,
        },
        root => Entry {
            root,
            file: None,
            patterns,
        },
    };
    let mut span = expr.span();
    let entries: Vec<Entry> = match expr {
        Expression::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Expression::Object(object) => {
                    let get = |key: &str| {
                        object.iter().find_map(|(k, v)| {
                            let name = match k {
                                ObjectKey::Ident(ident) => ident.value().to_string(),
                                ObjectKey::Expression(e) => eval_string(e).ok()?,
                            };
                            (name == key).then_some(v.expr())
                        })
                    };
                    if get("prefix_in_zip").is_some() {
                        return None;
                    }
                    let path = eval(get("path")?).ok()?;
                    Some(entry(
                        &path,
                        get("patterns").map(patterns).unwrap_or_default(),
                    ))
                }
                other => Some(entry(&eval(other).ok()?, Vec::new())),
            })
            .collect(),
        other => {
            let value = eval(other).map_err(|unknown| Unknown {
                why: format!("`source_path` {}", unknown.why),
                span: unknown.span,
            })?;
            span = value.span.clone();
            vec![entry(&value, Vec::new())]
        }
    };
    let module = handler
        .rsplit_once('.')
        .map_or(handler, |(m, _)| m)
        .replace('.', "/");
    let holds = |e: &Entry| match (&e.root, &e.file) {
        (_, Some(file)) => file.file_name() == format!("{module}.py"),
        (CodeRoot::Local(root), None) => [format!("{module}.py"), format!("{module}/__init__.py")]
            .iter()
            .any(|p| root.join_relative(p).is_ok_and(|p| repo.files.is_file(&p))),
        _ => false,
    };
    let chosen = match entries.iter().position(holds) {
        Some(i) => entries.into_iter().nth(i),
        None => entries.into_iter().next(),
    };
    let Some(chosen) = chosen else {
        return Err(Unknown {
            why: "`source_path` is a list without a literal `path`".into(),
            span: span.unwrap_or(call_span),
        });
    };
    let mut patterns = chosen.patterns;
    if let (Some(file), CodeRoot::Local(root)) = (&chosen.file, &chosen.root) {
        // Only that file ships: everything else in its folder is left out.
        let name = file
            .strip_prefix(root)
            .unwrap_or_default()
            .trim_start_matches('/');
        patterns.splice(0..0, ["!.*".to_string(), regex::escape(name)]);
    }
    let filter = match &chosen.root {
        CodeRoot::Local(root) => DeployFilter::lambda_module(root, &patterns),
        _ => None,
    };
    Ok((chosen.root, span, filter))
}

/// `patterns`: a list of strings, or a string (a heredoc) with one per line.
fn patterns(expr: &Expression) -> Vec<String> {
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    };
    match expr {
        Expression::Array(items) => items.iter().filter_map(|i| eval_string(i).ok()).collect(),
        Expression::HeredocTemplate(heredoc) => {
            let mut text = String::new();
            for element in heredoc.template.iter() {
                match element {
                    Element::Literal(literal) => text.push_str(literal.value()),
                    _ => return Vec::new(),
                }
            }
            lines(&text)
        }
        other => eval_string(other).map(|t| lines(&t)).unwrap_or_default(),
    }
}
