//! Handler declarations of `AWS::Serverless::Function` (SAM, with `Globals.Function`
//! merged in) and `AWS::Lambda::Function` (CloudFormation) resources.

use std::ops::Range;

use super::yaml::{YamlNode, YamlValue};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, InlineCode, Template, Tool};
use crate::paths::RelPath;

const SAM_FUNCTION: &str = "AWS::Serverless::Function";
const CFN_FUNCTION: &str = "AWS::Lambda::Function";

/// A function property, from the resource or from `Globals.Function`.
fn property<'a>(
    properties: Option<&'a YamlNode>,
    globals: Option<&'a YamlNode>,
    key: &str,
) -> Option<&'a YamlNode> {
    properties
        .and_then(|p| p.get(key))
        .or_else(|| globals.and_then(|g| g.get(key)))
}

/// The handlers a template declares. Functions whose runtime is not Python, or that ship
/// as images, are left out; a handler built with an intrinsic is a gap (INF001), and so
/// is a zip function without `Handler` or `Runtime` (HDL010).
pub fn extract_handlers(template: &Template, out: &mut Declarations) {
    let root = &template.root;
    let globals = root.get("Globals").and_then(|g| g.get("Function"));
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let base = template.path.parent().unwrap_or_default();
    for (id, resource) in resources.entries() {
        let Some(logical_id) = id.as_str() else {
            continue;
        };
        let tool = match resource.get("Type").and_then(YamlNode::as_str) {
            Some(SAM_FUNCTION) => Tool::Sam,
            Some(CFN_FUNCTION) => Tool::CloudFormation,
            _ => continue,
        };
        let properties = resource.get("Properties");
        let globals = if tool == Tool::Sam { globals } else { None };
        let get = |key: &str| property(properties, globals, key);
        if get("PackageType").and_then(YamlNode::as_str) == Some("Image") {
            continue;
        }
        let runtime_node = get("Runtime");
        let runtime = runtime_node.and_then(YamlNode::as_str).map(str::to_string);
        let runtime_span = runtime_node
            .filter(|n| n.as_str().is_some())
            .map(|n| n.span.clone());
        if runtime.as_deref().is_some_and(|r| !r.starts_with("python")) {
            continue;
        }
        let gap = |span: &Range<usize>, gap: Gap| FunctionGap {
            tool,
            file: template.path.clone(),
            name: logical_id.to_string(),
            span: span.clone(),
            gap,
            runtime: runtime.clone(),
            runtime_span: runtime_span.clone(),
        };
        if runtime_node.is_none() {
            out.gaps.push(FunctionGap {
                runtime: None,
                ..gap(&id.span, Gap::MissingRuntime)
            });
        }
        let Some(handler_node) = get("Handler") else {
            out.gaps.push(gap(&id.span, Gap::MissingHandler));
            continue;
        };
        let (Some(handler), false) = (scalar_text(handler_node), handler_node.is_intrinsic())
        else {
            out.gaps.push(gap(
                &handler_node.span,
                Gap::Unresolvable("the handler is built with an intrinsic function".into()),
            ));
            continue;
        };
        if let Some(why) = web_adapter(handler, properties, globals) {
            out.gaps.push(gap(&handler_node.span, Gap::DeployTime(why)));
            continue;
        }
        let (code_root, code_span) = match tool {
            Tool::Sam => sam_code_root(template, &base, get("CodeUri"), get("InlineCode")),
            _ => cfn_code_root(template, &base, get("Code")),
        };
        out.handlers.push(std::sync::Arc::new(HandlerRef {
            tool,
            template: template.path.clone(),
            logical_id: logical_id.to_string(),
            handler: handler.to_string(),
            handler_span: handler_node.span.clone(),
            runtime,
            runtime_span,
            code_root,
            code_span,
            code_shared: ["CodeUri", "InlineCode"]
                .iter()
                .all(|key| properties.and_then(|p| p.get(key)).is_none())
                && globals.is_some_and(|g| g.get("CodeUri").is_some()),
            package_module: None,
        }));
    }
}

/// A scalar's text even when it looks like a number (`Handler: 1.5` is a string to Lambda).
fn scalar_text(node: &YamlNode) -> Option<&str> {
    match &node.value {
        YamlValue::Scalar(text) if node.tag.is_none() => Some(text),
        _ => None,
    }
}

/// The Lambda Web Adapter's wrapper: the function's `Handler` is a script it starts.
pub const WEB_ADAPTER: &str = "/opt/bootstrap";

/// Why the function is run by the Lambda Web Adapter (`AWS_LAMBDA_EXEC_WRAPPER`), or `None`.
fn web_adapter(
    handler: &str,
    properties: Option<&YamlNode>,
    globals: Option<&YamlNode>,
) -> Option<String> {
    let wrapper = [properties, globals].into_iter().flatten().find_map(|p| {
        p.get("Environment")?
            .get("Variables")?
            .get("AWS_LAMBDA_EXEC_WRAPPER")
    })?;
    (wrapper.as_str()? == WEB_ADAPTER).then(|| web_adapter_reason(handler))
}

/// What INF001 says of a Lambda Web Adapter function.
pub fn web_adapter_reason(handler: &str) -> String {
    format!(
        "`AWS_LAMBDA_EXEC_WRAPPER: {WEB_ADAPTER}` runs the function through the Lambda Web Adapter, which starts `{handler}` as a script instead of importing a Python handler"
    )
}

/// Inline code written as a plain scalar; `None` (not evaluated) for an intrinsic.
fn inline_code(template: &Template, node: &YamlNode) -> CodeRoot {
    CodeRoot::Inline(
        scalar_text(node).map(|text| InlineCode::new(text, &template.text, node.span.clone())),
    )
}

fn sam_code_root(
    template: &Template,
    base: &RelPath,
    code_uri: Option<&YamlNode>,
    inline: Option<&YamlNode>,
) -> (CodeRoot, Option<Range<usize>>) {
    // SAM's own order (samtranslator `_construct_code_dict`): `InlineCode` wins over
    // `CodeUri`, the function's or one from `Globals`.
    match (inline, code_uri) {
        (Some(node), _) => (inline_code(template, node), Some(node.span.clone())),
        (None, Some(node)) => (code_location(base, node), Some(node.span.clone())),
        // SAM CLI builds the template's own folder when `CodeUri` is absent.
        (None, None) => (CodeRoot::Local(base.clone()), None),
    }
}

fn cfn_code_root(
    template: &Template,
    base: &RelPath,
    code: Option<&YamlNode>,
) -> (CodeRoot, Option<Range<usize>>) {
    let Some(node) = code else {
        return (CodeRoot::Skipped("no `Code` property".into()), None);
    };
    let span = Some(node.span.clone());
    if node.as_str().is_some() || node.is_intrinsic() {
        return (code_location(base, node), span);
    }
    let root = if let Some(zip_file) = node.get("ZipFile") {
        inline_code(template, zip_file)
    } else if node.get("S3Bucket").is_some() || node.get("S3Key").is_some() {
        CodeRoot::Skipped("code in S3 (`S3Bucket`/`S3Key`)".into())
    } else if node.get("ImageUri").is_some() {
        CodeRoot::Skipped("container image".into())
    } else {
        CodeRoot::Skipped("`Code` is not a local path".into())
    };
    (root, span)
}

/// A `CodeUri` / `Code` value: a local path relative to the template, or something
/// laylint cannot follow.
fn code_location(base: &RelPath, node: &YamlNode) -> CodeRoot {
    if node.is_intrinsic() {
        return CodeRoot::Skipped("built with an intrinsic function".into());
    }
    let Some(text) = node.as_str() else {
        return CodeRoot::Skipped("code in S3 (`Bucket`/`Key`)".into());
    };
    let text = text.trim();
    if text.contains("://") {
        return CodeRoot::Skipped(format!("remote location `{text}`"));
    }
    if text.starts_with('/') || text.contains('\\') || text.contains(':') {
        return CodeRoot::EscapesRoot(text.to_string());
    }
    match base.join_relative(text) {
        Ok(path) => CodeRoot::Local(path),
        Err(_) => CodeRoot::EscapesRoot(text.to_string()),
    }
}
