//! Lambda layers whose content is a folder of the repository, and which functions use
//! them. Read per tool, in the file that declares them: SAM `AWS::Serverless::LayerVersion`
//! (`ContentUri`, `Metadata: BuildMethod`, `CompatibleRuntimes`), CloudFormation
//! `AWS::Lambda::LayerVersion` (a local `Content` path), Serverless `layers.<name>.path`;
//! CDK and Terraform in `cdk_layers.rs` and `terraform.rs`. A function's reference to a
//! layer is resolved only when it names a layer of the same file (`!Ref X`,
//! `{Ref: XLambdaLayer}`, a CDK variable, `aws_lambda_layer_version.x.arn`); anything
//! else (an ARN, a parameter, an import) is not a layer laylint knows.

use std::ops::Range;

use super::yaml::{YamlNode, YamlValue};
use super::{Declarations, Template, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

const SAM_LAYER: &str = "AWS::Serverless::LayerVersion";
const CFN_LAYER: &str = "AWS::Lambda::LayerVersion";
const FUNCTIONS: [&str; 2] = ["AWS::Serverless::Function", "AWS::Lambda::Function"];

/// A layer whose content is a local folder, zipped as the layer (its top is `/opt`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LayerDecl {
    pub tool: Tool,
    /// The declaring file.
    pub file: RelPath,
    /// Logical id, Serverless layer name, CDK variable or Terraform address: what a
    /// function of the same file names it by.
    pub name: String,
    /// The content folder.
    pub content: RelPath,
    /// The value naming the content folder.
    pub content_span: Range<usize>,
    /// What ships: the folder as it is, or what a build step makes of it.
    pub build: LayerBuild,
    /// `CompatibleRuntimes` / `compatible_runtimes` written as literals.
    pub compatible_runtimes: Vec<String>,
}

/// How the content folder becomes the layer's zip.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerBuild {
    /// Zipped as it is: the folder is `/opt`.
    AsIs,
    /// Its content lands under `python/` (SAM `BuildMethod: python3.x` copies the folder
    /// and installs its requirements there; so does CDK's `PythonLayerVersion`).
    IntoPython,
    /// A build step laylint does not model (`BuildMethod: makefile`, CDK bundling
    /// commands): the folder's layout says nothing about the layer's.
    Other,
}

impl LayerDecl {
    /// The folder of the repository that becomes `/opt/<inside>` (`inside` relative, with
    /// `/`), when the layer's build tells.
    pub fn shipped_from(&self, inside: &str) -> Option<RelPath> {
        let rest = match self.build {
            LayerBuild::AsIs => inside,
            LayerBuild::IntoPython if inside == "python" => ".",
            LayerBuild::IntoPython => inside.strip_prefix("python/")?,
            LayerBuild::Other => return None,
        };
        self.content.join_relative(rest).ok()
    }
}

/// A function that uses a layer of its own file.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LayerUse {
    pub file: RelPath,
    /// The function's logical id, name or address.
    pub function: String,
    /// [`LayerDecl::file`] and [`LayerDecl::name`] of the layer.
    pub layer_file: RelPath,
    pub layer: String,
    /// The function's runtime, when it is a literal.
    pub runtime: Option<String>,
    /// The reference to the layer in the function's `Layers`.
    pub span: Range<usize>,
}

impl Repo {
    /// Every layer with a local content folder.
    pub fn layers(&self) -> &[LayerDecl] {
        &self.declarations().layers
    }

    /// Every resolved use of such a layer by a function.
    pub fn layer_uses(&self) -> &[LayerUse] {
        &self.declarations().layer_uses
    }
}

/// The logical id `!Ref X` / `{"Ref": "X"}` names.
pub(super) fn ref_target(node: &YamlNode) -> Option<&str> {
    match (&node.tag, &node.value) {
        (Some(tag), YamlValue::Scalar(id)) if tag == "!Ref" => Some(id),
        (None, YamlValue::Mapping(entries)) if entries.len() == 1 => {
            let (key, value) = &entries[0];
            (key.as_str() == Some("Ref"))
                .then(|| value.as_str())
                .flatten()
        }
        _ => None,
    }
}

fn items(node: Option<&YamlNode>) -> &[YamlNode] {
    match node.map(|n| &n.value) {
        Some(YamlValue::Sequence(items)) => items,
        _ => &[],
    }
}

/// A local path written as a plain string, relative to `base`; `None` for S3 locations,
/// intrinsics, variables and paths leaving the repository.
fn local_path(base: &RelPath, node: &YamlNode) -> Option<RelPath> {
    let text = node.as_str()?.trim();
    if text.is_empty()
        || text.contains("://")
        || text.contains("${")
        || text.starts_with('/')
        || text.contains(['\\', ':'])
    {
        return None;
    }
    base.join_relative(text.trim_end_matches('/')).ok()
}

/// SAM and CloudFormation layers of a template, and the functions that use them.
pub fn extract_template(template: &Template, out: &mut Declarations) {
    let root = &template.root;
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let base = template.path.parent().unwrap_or_default();
    for (id, resource) in resources.entries() {
        let (Some(name), Some(kind)) =
            (id.as_str(), resource.get("Type").and_then(YamlNode::as_str))
        else {
            continue;
        };
        let properties = resource.get("Properties");
        let (tool, content) = match kind {
            SAM_LAYER => (Tool::Sam, properties.and_then(|p| p.get("ContentUri"))),
            CFN_LAYER => (
                Tool::CloudFormation,
                properties.and_then(|p| p.get("Content")),
            ),
            _ => continue,
        };
        let Some((content, node)) = content.and_then(|n| Some((local_path(&base, n)?, n))) else {
            continue;
        };
        let method = resource.get("Metadata").and_then(|m| m.get("BuildMethod"));
        let build = match method {
            _ if tool != Tool::Sam => LayerBuild::AsIs,
            None => LayerBuild::AsIs,
            Some(m) if m.as_str().is_some_and(|m| m.starts_with("python")) => {
                LayerBuild::IntoPython
            }
            Some(_) => LayerBuild::Other,
        };
        out.layers.push(LayerDecl {
            tool,
            file: template.path.clone(),
            name: name.to_string(),
            content,
            content_span: node.span.clone(),
            build,
            compatible_runtimes: items(properties.and_then(|p| p.get("CompatibleRuntimes")))
                .iter()
                .filter_map(YamlNode::as_str)
                .map(str::to_string)
                .collect(),
        });
    }
    let globals = root.get("Globals").and_then(|g| g.get("Function"));
    for (id, resource) in resources.entries() {
        let Some(function) = id.as_str() else {
            continue;
        };
        let kind = resource.get("Type").and_then(YamlNode::as_str);
        let Some(kind) = kind.filter(|k| FUNCTIONS.contains(k)) else {
            continue;
        };
        let globals = globals.filter(|_| kind == FUNCTIONS[0]);
        let get = |key: &str| {
            resource
                .get("Properties")
                .and_then(|p| p.get(key))
                .or_else(|| globals.and_then(|g| g.get(key)))
        };
        let runtime = get("Runtime")
            .and_then(YamlNode::as_str)
            .map(str::to_string);
        for reference in items(get("Layers")) {
            if let Some(layer) = ref_target(reference) {
                out.layer_uses.push(LayerUse {
                    file: template.path.clone(),
                    function: function.to_string(),
                    layer_file: template.path.clone(),
                    layer: layer.to_string(),
                    runtime: runtime.clone(),
                    span: reference.span.clone(),
                });
            }
        }
    }
}

/// The logical id the Serverless Framework gives layer `name`: `{Ref: <Name>LambdaLayer}`
/// (first letter upper-cased, `-` spelled `Dash`, `_` spelled `Underscore`).
fn serverless_layer_id(name: &str) -> String {
    let normalized = name.replace('-', "Dash").replace('_', "Underscore");
    let mut chars = normalized.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}LambdaLayer", first.unwrap_or_default(), chars.as_str())
}

/// Serverless `layers.<name>.path` and the functions (or the provider, for all of them)
/// whose `layers:` name one with `{Ref: <Name>LambdaLayer}`.
pub(super) fn extract_serverless(path: &RelPath, root: &YamlNode, out: &mut Declarations) {
    let service = path.parent().unwrap_or_default();
    for (key, layer) in root.get("layers").map_or(&[][..], YamlNode::entries) {
        let Some(name) = key.as_str() else {
            continue;
        };
        let Some(node) = layer.get("path") else {
            continue;
        };
        let Some(content) = local_path(&service, node) else {
            continue;
        };
        out.layers.push(LayerDecl {
            tool: Tool::Serverless,
            file: path.clone(),
            name: serverless_layer_id(name),
            content,
            content_span: node.span.clone(),
            build: LayerBuild::AsIs,
            compatible_runtimes: items(layer.get("compatibleRuntimes"))
                .iter()
                .filter_map(YamlNode::as_str)
                .map(str::to_string)
                .collect(),
        });
    }
    let provider = root.get("provider");
    let runtime_of = |scope: Option<&YamlNode>| {
        scope
            .and_then(|s| s.get("runtime"))
            .and_then(YamlNode::as_str)
            .filter(|r| !r.contains("${"))
            .map(str::to_string)
    };
    let functions = root.get("functions").map_or(&[][..], YamlNode::entries);
    for (key, function) in functions {
        let Some(name) = key.as_str() else {
            continue;
        };
        let runtime = runtime_of(Some(function)).or_else(|| runtime_of(provider));
        let layers = function
            .get("layers")
            .or_else(|| provider.and_then(|p| p.get("layers")));
        for reference in items(layers) {
            if let Some(layer) = ref_target(reference) {
                out.layer_uses.push(LayerUse {
                    file: path.clone(),
                    function: name.to_string(),
                    layer_file: path.clone(),
                    layer: layer.to_string(),
                    runtime: runtime.clone(),
                    span: reference.span.clone(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_serverless_layers_as_the_framework_does() {
        assert_eq!(serverless_layer_id("common"), "CommonLambdaLayer");
        assert_eq!(
            serverless_layer_id("my-shared_lib"),
            "MyDashsharedUnderscorelibLambdaLayer"
        );
    }
}
