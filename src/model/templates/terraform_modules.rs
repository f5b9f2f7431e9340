//! Terraform `module` calls that deploy Lambda functions.
//!
//! - The registry module `terraform-aws-modules/lambda/aws` (its git and registry-host
//!   sources too, and a local folder with the same interface, which is how the module's
//!   own examples call it): read in [`super::terraform_registry`].
//! - A local module (`source = "./…"` or `"../…"`) whose functions read `var.*`: each
//!   call declares them with its arguments ([`super::terraform_local`]). Findings point
//!   into the calling file, at the argument that supplied the value, since that is what
//!   the user changes; the module's own declarations are then not reported.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::terraform::{attr, eval_string, labels, reads_variables};
use super::terraform_local as local;
use super::terraform_registry as registry;
use super::{Declarations, FunctionGap, Gap, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

/// The parsed `.tf` files of each folder (one Terraform module), sorted by folder.
pub(super) type Modules = [(RelPath, Vec<(RelPath, Body)>)];

/// One `module "<name>" { … }` block.
pub(super) struct Call<'a> {
    /// The calling `.tf` file and its folder.
    pub file: &'a RelPath,
    pub dir: &'a RelPath,
    pub name: &'a str,
    pub body: &'a Body,
    /// The `module` keyword: where a finding goes when no argument is to blame.
    pub span: Range<usize>,
}

impl Call<'_> {
    /// Why the call, or `args` (a module block inside the called module), declares an
    /// unknown number of functions (`for_each`, a `count` that is not a literal);
    /// `Ok(false)` for `count = 0`.
    pub fn repeated(&self, args: &Body) -> Result<bool, (String, Range<usize>)> {
        let mut once = self.repetition(self.body, true)?;
        if !std::ptr::eq(args, self.body) {
            once &= self.repetition(args, false)?;
        }
        Ok(once)
    }

    fn repetition(&self, body: &Body, here: bool) -> Result<bool, (String, Range<usize>)> {
        // Spans of a block in another file cannot be shown in this one.
        let span = |expr: &Expression| match here {
            true => expr.span().unwrap_or(self.span.clone()),
            false => self.span.clone(),
        };
        if let Some(expr) = attr(body, "for_each") {
            return Err((
                "the module is called with `for_each`: one function per item, which laylint does not evaluate".into(),
                span(expr),
            ));
        }
        match attr(body, "count") {
            None => Ok(true),
            Some(Expression::Number(n)) if n.value().as_u64() == Some(0) => Ok(false),
            Some(Expression::Number(n)) if n.value().as_u64() == Some(1) => Ok(true),
            Some(expr) => Err((
                "the module is called with a `count` laylint does not evaluate".into(),
                span(expr),
            )),
        }
    }

    pub fn gap(
        &self,
        name: &str,
        span: Range<usize>,
        gap: Gap,
        runtime: Option<String>,
    ) -> FunctionGap {
        FunctionGap {
            runtime_span: None,
            tool: Tool::TerraformModule,
            file: self.file.clone(),
            name: name.to_string(),
            span,
            gap,
            runtime,
        }
    }

    /// An argument of this call, as written.
    fn literal(&self, expr: &Expression) -> Result<Value, Unknown> {
        let span = expr.span();
        match eval_string(expr) {
            Ok(text) => Ok(Value {
                text,
                dir: self.dir.clone(),
                span,
            }),
            Err(why) => Err(Unknown {
                why: format!("is {why}"),
                span: span.unwrap_or(self.span.clone()),
            }),
        }
    }
}

/// The `module` blocks of the given `.tf` files, with their source.
pub(super) fn module_blocks(
    bodies: &[(RelPath, Body)],
) -> impl Iterator<Item = (&RelPath, &Block, String)> {
    bodies.iter().flat_map(|(file, body)| {
        body.get_blocks("module").filter_map(move |block| {
            let source = attr(&block.body, "source").and_then(|e| eval_string(e).ok())?;
            Some((file, block, source))
        })
    })
}

/// Declares the functions of every module call; returns the folders that local calls
/// name (their own `var.*` functions are declared by the calls, not by themselves).
pub(super) fn extract(repo: &Repo, modules: &Modules, out: &mut Declarations) -> HashSet<RelPath> {
    let by_dir: HashMap<&RelPath, &[(RelPath, Body)]> = modules
        .iter()
        .map(|(dir, bodies)| (dir, bodies.as_slice()))
        .collect();
    let called: HashSet<RelPath> = modules
        .iter()
        .flat_map(|(dir, bodies)| {
            module_blocks(bodies).filter_map(move |(_, _, source)| local_source(&source, dir))
        })
        .filter(|target| by_dir.contains_key(target))
        .collect();
    for (dir, bodies) in modules {
        for (file, block, source) in module_blocks(bodies) {
            let labels = labels(block);
            let [name] = labels.as_slice() else {
                continue;
            };
            let call = Call {
                file,
                dir,
                name,
                body: &block.body,
                span: block.ident.span().unwrap_or(0..0),
            };
            let id = format!("module.{name}");
            let literal = |expr: &Expression| call.literal(expr);
            if registry::is_registry_source(&source) {
                // Inside a called module, a call reading `var.*` is declared by its callers.
                if !(called.contains(dir) && reads_variables(&block.body)) {
                    registry::declare(repo, &call, id, &block.body, &literal, out);
                }
                continue;
            }
            let Some(module) = local_source(&source, dir).and_then(|t| by_dir.get_key_value(&t))
            else {
                continue;
            };
            if registry::has_interface(module.1) {
                registry::declare(repo, &call, id, &block.body, &literal, out);
            } else {
                local::call(repo, &call, module.0, module.1, out);
            }
        }
    }
    called
}

/// The folder of a local module source (`./x`, `../x`), when inside the repository.
fn local_source(source: &str, dir: &RelPath) -> Option<RelPath> {
    if !(source.starts_with("./") || source.starts_with("../")) || source.contains("//") {
        return None;
    }
    dir.join_relative(source.trim_end_matches('/')).ok()
}

/// A string as one call evaluates it.
pub(super) struct Value {
    pub text: String,
    /// What `MODULE_DIR` in `text`, and a relative path, are relative to.
    pub dir: RelPath,
    /// The call argument it came from.
    pub span: Option<Range<usize>>,
}

/// Why a value is unknown, and where in the calling file to say so.
pub(super) struct Unknown {
    pub why: String,
    pub span: Range<usize>,
}
