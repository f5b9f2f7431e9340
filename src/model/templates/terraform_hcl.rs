//! Reading HCL as laylint needs it: string expressions (literals, and templates over
//! `path.module` / `path.root`), traversals, block labels and arguments, paths relative to
//! a module folder, and whether a block reads a `var.*`. Nothing is evaluated beyond that.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::template::Element;
use hcl_edit::visit::{Visit, visit_expr};

use crate::paths::RelPath;

/// Evaluates a string expression: literals, and templates whose interpolations are
/// `path.module` / `path.root` only. `Err` names what could not be evaluated.
pub(super) fn eval_string(expr: &Expression) -> Result<String, String> {
    match expr {
        Expression::String(s) => Ok(s.value().to_string()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                match element {
                    Element::Literal(literal) => text.push_str(literal.value()),
                    Element::Interpolation(interp) => match traversal_path(&interp.expr) {
                        Some(path) if path == ["path", "module"] || path == ["path", "root"] => {
                            // An absolute path at run time: marked, resolved by `resolve_path`.
                            text.push(MODULE_DIR);
                        }
                        _ => return Err("an interpolation laylint does not evaluate".into()),
                    },
                    Element::Directive(_) => return Err("a template directive".into()),
                }
            }
            Ok(text)
        }
        Expression::Traversal(_) => Err(match traversal_path(expr) {
            Some(path) => format!("`{}`", path.join(".")),
            None => "an expression".into(),
        }),
        Expression::FuncCall(_) => Err("a function call".into()),
        _ => Err("an expression".into()),
    }
}

/// `a.b.c` as its names; `None` for splats and indexes.
pub(super) fn traversal_path(expr: &Expression) -> Option<Vec<String>> {
    match expr {
        Expression::Variable(ident) => Some(vec![ident.value().to_string()]),
        Expression::Traversal(traversal) => {
            let mut path = traversal_path(&traversal.expr)?;
            for op in &traversal.operators {
                match op.value() {
                    TraversalOperator::GetAttr(ident) => path.push(ident.value().to_string()),
                    _ => return None,
                }
            }
            Some(path)
        }
        _ => None,
    }
}

/// Stands for `${path.module}` / `${path.root}` in an evaluated string.
pub(super) const MODULE_DIR: char = '\u{1}';

/// A path as evaluated by [`eval_string`], made repository-relative.
pub(super) fn resolve_path(text: &str, module_dir: &RelPath) -> Result<RelPath, String> {
    let shown = || text.replace(MODULE_DIR, "${path.module}");
    let relative = match text.strip_prefix(MODULE_DIR) {
        Some(rest) => rest.trim_start_matches('/'),
        None => text,
    };
    if relative.contains(MODULE_DIR) {
        return Err(shown());
    }
    let relative = if relative.is_empty() { "." } else { relative };
    if relative.starts_with('/') || relative.contains('\\') || relative.contains(':') {
        return Err(shown());
    }
    module_dir.join_relative(relative).map_err(|_| shown())
}

pub(super) fn labels(block: &Block) -> Vec<&str> {
    block
        .labels
        .iter()
        .map(|label| match label {
            BlockLabel::Ident(ident) => ident.value().as_str(),
            BlockLabel::String(s) => s.value().as_str(),
        })
        .collect()
}

pub(super) fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a Expression> {
    body.get_attribute(key).map(|a| &a.value)
}

/// Whether any argument of a block reads a `var.*`.
pub(super) fn reads_variables(body: &Body) -> bool {
    let mut found = ReadsVariables(false);
    found.visit_body(body);
    found.0
}

/// Finds `var.<name>` anywhere in an expression.
pub(super) struct ReadsVariables(pub(super) bool);

impl Visit for ReadsVariables {
    fn visit_expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Variable(ident) if ident.value().as_str() == "var" => self.0 = true,
            _ => visit_expr(self, expr),
        }
    }
}
