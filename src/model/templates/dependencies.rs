//! What laylint cannot see of a function's dependencies, read where the function is
//! declared: a layer that is not a local folder of the same file (an ARN, a parameter, an
//! SSM value, an import from another stack), a build step laylint does not model (SAM
//! `Metadata: BuildMethod` other than `python…`), or a service-wide installer (the
//! Serverless `serverless-python-requirements` plugin, `custom.pythonRequirements`).
//! PKG001 stays silent about such functions.

use std::collections::HashSet;

use super::layers::ref_target;
use super::yaml::YamlNode;
use super::{Declarations, Template};
use crate::paths::RelPath;

const FUNCTIONS: [&str; 2] = ["AWS::Serverless::Function", "AWS::Lambda::Function"];

/// A function whose dependencies may come from somewhere laylint cannot see.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct UnseenDependencies {
    /// The declaring file.
    pub file: RelPath,
    /// Logical id or Serverless function name (a handler's `logical_id`).
    pub function: String,
    pub why: String,
}

fn items(node: Option<&YamlNode>) -> &[YamlNode] {
    match node.map(|n| &n.value) {
        Some(super::yaml::YamlValue::Sequence(items)) => items,
        _ => &[],
    }
}

/// Why the layers a function lists may hold what laylint cannot see, or `None` when each
/// is a layer of the same file with a local content folder (already in `out.layers`).
fn unseen_layer(layers: Option<&YamlNode>, local: &HashSet<&str>) -> Option<String> {
    let layers = layers?;
    if !matches!(layers.value, super::yaml::YamlValue::Sequence(_)) {
        return Some("its layers are not a literal list".into());
    }
    items(Some(layers)).iter().find_map(|reference| {
        let known = ref_target(reference).is_some_and(|id| local.contains(id));
        (!known).then(|| {
            "it uses a layer that is not a local folder of the same file (an ARN, a parameter, another stack's layer)".to_string()
        })
    })
}

/// The names of the layers with a local content folder that `file` declares.
fn local_layers<'a>(file: &RelPath, out: &'a Declarations) -> HashSet<&'a str> {
    out.layers
        .iter()
        .filter(|l| &l.file == file)
        .map(|l| l.name.as_str())
        .collect()
}

/// SAM and CloudFormation functions (call after the file's layers are extracted).
pub fn extract_template(template: &Template, out: &mut Declarations) {
    let root = &template.root;
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let globals = root.get("Globals").and_then(|g| g.get("Function"));
    let local = local_layers(&template.path, out);
    let mut unseen = Vec::new();
    for (id, resource) in resources.entries() {
        let (Some(function), Some(kind)) =
            (id.as_str(), resource.get("Type").and_then(YamlNode::as_str))
        else {
            continue;
        };
        if !FUNCTIONS.contains(&kind) {
            continue;
        }
        let own = resource.get("Properties").and_then(|p| p.get("Layers"));
        let global = globals
            .filter(|_| kind == FUNCTIONS[0])
            .and_then(|g| g.get("Layers"));
        let method = resource
            .get("Metadata")
            .and_then(|m| m.get("BuildMethod"))
            .map(|m| m.as_str().unwrap_or_default());
        let why = match method {
            Some(m) if !m.starts_with("python") => Some(format!(
                "its `Metadata: BuildMethod` (`{m}`) is a build step laylint does not model"
            )),
            _ => unseen_layer(own, &local).or_else(|| unseen_layer(global, &local)),
        };
        if let Some(why) = why {
            unseen.push(UnseenDependencies {
                file: template.path.clone(),
                function: function.to_string(),
                why,
            });
        }
    }
    out.unseen_dependencies.extend(unseen);
}

/// Serverless functions (call after the service's layers are extracted). `plugins`: the
/// plugins the service lists.
pub(super) fn extract_serverless(
    path: &RelPath,
    root: &YamlNode,
    plugins: &[&str],
    out: &mut Declarations,
) {
    let installer = if plugins.contains(&"serverless-python-requirements") {
        Some("the service uses `serverless-python-requirements`".to_string())
    } else if root
        .get("custom")
        .and_then(|c| c.get("pythonRequirements"))
        .is_some()
    {
        Some("the service sets `custom.pythonRequirements`".to_string())
    } else {
        None
    };
    let local = local_layers(path, out);
    let provider = root.get("provider");
    let functions = root.get("functions");
    let mut entries: Vec<&(YamlNode, YamlNode)> = functions
        .map_or(&[][..], YamlNode::entries)
        .iter()
        .collect();
    if let Some(super::yaml::YamlValue::Sequence(list)) = functions.map(|f| &f.value) {
        entries.extend(list.iter().flat_map(|item| item.entries().iter()));
    }
    let mut unseen = Vec::new();
    for (key, function) in entries {
        let Some(name) = key.as_str() else {
            continue;
        };
        let layers = function
            .get("layers")
            .or_else(|| provider.and_then(|p| p.get("layers")));
        if let Some(why) = installer.clone().or_else(|| unseen_layer(layers, &local)) {
            unseen.push(UnseenDependencies {
                file: path.clone(),
                function: name.to_string(),
                why,
            });
        }
    }
    out.unseen_dependencies.extend(unseen);
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::model::Repo;
    use crate::paths::RelPath;

    fn unseen(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let sources = files
            .iter()
            .map(|(p, t)| (RelPath::parse(p).expect("path"), (*t).into()))
            .collect();
        let repo = Repo::from_sources(PathBuf::from("/nonexistent"), sources);
        repo.unseen_dependencies()
            .iter()
            .map(|u| (u.file.to_string(), u.function.clone()))
            .collect()
    }

    #[test]
    fn sam_functions_with_layers_or_builds_laylint_cannot_see() {
        let template = "Transform: AWS::Serverless-2016-10-31\nParameters:\n  L:\n    Type: String\n\
            Resources:\n  Local:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: layer/\n\
            \x20 Plain:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.h\n      Runtime: python3.12\n      CodeUri: src/\n      Layers: [!Ref Local]\n\
            \x20 ByParam:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.h\n      Runtime: python3.12\n      CodeUri: src/\n      Layers: [!Ref Local, !Ref L]\n\
            \x20 Make:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.h\n      Runtime: python3.12\n      CodeUri: src/\n    Metadata:\n      BuildMethod: makefile\n";
        assert_eq!(
            unseen(&[("template.yaml", template)]),
            [
                ("template.yaml".to_string(), "ByParam".to_string()),
                ("template.yaml".to_string(), "Make".to_string())
            ]
        );
    }

    #[test]
    fn serverless_installers_hide_every_function() {
        let service = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n\
            custom:\n  pythonRequirements:\n    dockerizePip: true\n\
            functions:\n  a:\n    handler: app.a\n";
        assert_eq!(
            unseen(&[("serverless.yml", service)]),
            [("serverless.yml".to_string(), "a".to_string())]
        );
    }
}
