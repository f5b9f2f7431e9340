//! Environment variables written in programs: CDK and Pulumi dictionaries
//! (`environment={"K": "v"}`, Pulumi's `FunctionEnvironmentArgs(variables={…})`) and
//! Terraform's `environment { variables = { K = "v" } }`. Only keys written as literals
//! are variables laylint knows; a dictionary built by code is not read.

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;
use hcl_edit::template::Element;
use ruff_python_ast::{Expr, Number};

use super::cdk::{span, string};
use super::environment::{EnvValue, EnvVar};
use super::terraform_hcl::attr;
use super::{Declarations, Tool};
use crate::paths::RelPath;

/// A Python value's kind.
fn python_value(expr: &Expr) -> EnvValue {
    match expr {
        Expr::StringLiteral(literal) => EnvValue::of_text(literal.value.to_str()),
        Expr::NumberLiteral(number) if !matches!(number.value, Number::Complex { .. }) => {
            EnvValue::Number
        }
        Expr::BooleanLiteral(_) => EnvValue::Bool,
        _ => EnvValue::Expression,
    }
}

/// The entries of a dictionary display whose keys are string literals.
pub(super) fn push_python(
    (tool, file, function): (Tool, &RelPath, &str),
    dict: &Expr,
    out: &mut Declarations,
) {
    let Expr::Dict(dict) = dict else {
        return;
    };
    for item in &dict.items {
        let Some(key) = &item.key else {
            continue;
        };
        let Some(name) = string(key) else {
            continue;
        };
        out.environment.push(EnvVar {
            tool,
            file: file.clone(),
            function: function.to_string(),
            name: name.to_string(),
            name_span: span(key),
            value: python_value(&item.value),
            value_span: span(&item.value),
        });
    }
}

/// Pulumi's `environment=`: `FunctionEnvironmentArgs(variables={…})` (however imported)
/// or a dictionary `{"variables": {…}}`.
pub(super) fn push_pulumi(
    scope: (Tool, &RelPath, &str),
    environment: &Expr,
    out: &mut Declarations,
) {
    let variables = match environment {
        Expr::Call(call) => call.arguments.find_argument_value("variables", 0),
        Expr::Dict(dict) => dict
            .items
            .iter()
            .find(|item| item.key.as_ref().and_then(string) == Some("variables"))
            .map(|item| &item.value),
        _ => None,
    };
    if let Some(variables) = variables {
        push_python(scope, variables, out);
    }
}

/// An HCL value's kind: a template is a literal only when it interpolates nothing.
fn hcl_value(expr: &Expression) -> EnvValue {
    match expr {
        Expression::String(text) => EnvValue::of_text(text.value()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                match element {
                    Element::Literal(literal) => text.push_str(literal.value()),
                    _ => return EnvValue::Expression,
                }
            }
            EnvValue::of_text(&text)
        }
        Expression::Number(_) => EnvValue::Number,
        Expression::Bool(_) => EnvValue::Bool,
        _ => EnvValue::Expression,
    }
}

/// `environment { variables = { … } }` of a Terraform function block.
pub(super) fn push_terraform(file: &RelPath, function: &str, body: &Body, out: &mut Declarations) {
    for block in body.get_blocks("environment") {
        let Some(Expression::Object(variables)) = attr(&block.body, "variables") else {
            continue;
        };
        for (key, value) in variables.iter() {
            let name = match key {
                ObjectKey::Ident(ident) => ident.value().to_string(),
                ObjectKey::Expression(Expression::String(text)) => text.value().to_string(),
                ObjectKey::Expression(_) => continue,
            };
            let (Some(name_span), Some(value_span)) = (key.span(), value.expr().span()) else {
                continue;
            };
            out.environment.push(EnvVar {
                tool: Tool::Terraform,
                file: file.clone(),
                function: function.to_string(),
                name,
                name_span,
                value: hcl_value(value.expr()),
                value_span,
            });
        }
    }
}
