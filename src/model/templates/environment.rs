//! Lambda functions' environment variables, per tool: SAM and CloudFormation
//! `Environment.Variables` (SAM's `Globals.Function` ones once, where they are written),
//! Serverless `provider.environment` and `functions.<name>.environment`; CDK, Pulumi and
//! Terraform in `environment_code.rs`. Each value keeps its kind (a literal string, a
//! number, a boolean, or a reference or expression evaluated at deploy time) and span.
//! Functions of every runtime count: a secret is one whatever reads it.

use std::ops::Range;

use super::yaml::{YamlNode, YamlValue};
use super::{Declarations, Template, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

const FUNCTIONS: [&str; 2] = ["AWS::Serverless::Function", "AWS::Lambda::Function"];

/// What an environment variable's value is, as written.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// A literal string, evaluated by no tool. Never print it: it may be a secret.
    Text(String),
    Number,
    Bool,
    /// A reference, a variable, a call, an intrinsic or a dynamic reference: resolved
    /// when the stack is deployed.
    Expression,
}

impl EnvValue {
    /// The kind of a literal written as text (YAML scalars, strings in programs): numbers
    /// and booleans are told apart from strings by their text.
    pub fn of_text(text: &str) -> Self {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off"
        ) {
            EnvValue::Bool
        } else if !trimmed.is_empty() && trimmed.replace('_', "").parse::<f64>().is_ok() {
            EnvValue::Number
        } else {
            EnvValue::Text(text.to_string())
        }
    }
}

/// One environment variable of one function (or of SAM's `Globals`, or of a Serverless
/// provider, shared by the functions).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub tool: Tool,
    pub file: RelPath,
    /// The function's logical id, name or address; `Globals` or `provider` when shared.
    pub function: String,
    pub name: String,
    pub name_span: Range<usize>,
    pub value: EnvValue,
    pub value_span: Range<usize>,
}

impl Repo {
    /// Every Lambda environment variable that any tool declares.
    pub fn environment_variables(&self) -> &[EnvVar] {
        &self.declarations().environment
    }
}

/// A YAML value's kind. `serverless`: `${…}` is one of the framework's variables.
fn yaml_value(node: &YamlNode, serverless: bool) -> EnvValue {
    match (&node.tag, &node.value) {
        (None, YamlValue::Scalar(text)) => {
            if (serverless && text.contains("${")) || text.contains("{{resolve:") {
                EnvValue::Expression
            } else {
                EnvValue::of_text(text)
            }
        }
        // `!Sub` over text without `${…}` substitutes nothing: the text is the value.
        (Some(tag), YamlValue::Scalar(text)) if tag == "!Sub" && !text.contains("${") => {
            EnvValue::of_text(text)
        }
        _ => EnvValue::Expression,
    }
}

fn push_variables(
    (tool, file, function): (Tool, &RelPath, &str),
    variables: Option<&YamlNode>,
    serverless: bool,
    out: &mut Declarations,
) {
    let Some(variables) = variables else {
        return;
    };
    for (key, value) in variables.entries() {
        let Some(name) = key.as_str() else {
            continue;
        };
        out.environment.push(EnvVar {
            tool,
            file: file.clone(),
            function: function.to_string(),
            name: name.to_string(),
            name_span: key.span.clone(),
            value: yaml_value(value, serverless),
            value_span: value.span.clone(),
        });
    }
}

/// SAM and CloudFormation functions' `Environment.Variables`, and SAM's `Globals`.
pub fn extract_template(template: &Template, out: &mut Declarations) {
    let root = &template.root;
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let file = &template.path;
    fn variables(scope: Option<&YamlNode>) -> Option<&YamlNode> {
        scope?.get("Environment")?.get("Variables")
    }
    let globals = root.get("Globals").and_then(|g| g.get("Function"));
    if globals.is_some() {
        push_variables((Tool::Sam, file, "Globals"), variables(globals), false, out);
    }
    for (id, resource) in resources.entries() {
        let Some(function) = id.as_str() else {
            continue;
        };
        let tool = match resource.get("Type").and_then(YamlNode::as_str) {
            Some(kind) if kind == FUNCTIONS[0] => Tool::Sam,
            Some(kind) if kind == FUNCTIONS[1] => Tool::CloudFormation,
            _ => continue,
        };
        let properties = resource.get("Properties");
        push_variables((tool, file, function), variables(properties), false, out);
    }
}

/// Serverless `provider.environment` and each function's `environment`.
pub(super) fn extract_serverless(path: &RelPath, root: &YamlNode, out: &mut Declarations) {
    let scope = (Tool::Serverless, path, "provider");
    let provider = root.get("provider").and_then(|p| p.get("environment"));
    push_variables(scope, provider, true, out);
    let functions = root.get("functions").map_or(&[][..], YamlNode::entries);
    for (key, function) in functions {
        if let Some(name) = key.as_str() {
            let scope = (Tool::Serverless, path, name);
            push_variables(scope, function.get("environment"), true, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_kinds_apart() {
        let parse = |text: &str| {
            let root = super::super::yaml::parse(text).unwrap().unwrap();
            yaml_value(root.get("v").unwrap(), true)
        };
        assert_eq!(parse("v: hunter2"), EnvValue::Text("hunter2".into()));
        assert_eq!(parse("v: '3600'"), EnvValue::Number);
        assert_eq!(parse("v: 1_000"), EnvValue::Number);
        assert_eq!(parse("v: True"), EnvValue::Bool);
        assert_eq!(parse("v: !Ref Secret"), EnvValue::Expression);
        assert_eq!(parse("v: !Sub '${A}-b'"), EnvValue::Expression);
        assert_eq!(parse("v: !Sub 'plain'"), EnvValue::Text("plain".into()));
        assert_eq!(parse("v: ${ssm:/a/b}"), EnvValue::Expression);
        assert_eq!(
            parse("v: '{{resolve:secretsmanager:s}}'"),
            EnvValue::Expression
        );
        assert_eq!(parse("v: {Ref: X}"), EnvValue::Expression);
    }
}
