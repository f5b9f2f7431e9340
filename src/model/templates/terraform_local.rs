//! A local module (`source = "./…"` or `"../…"`) called with arguments: each call
//! declares one function per `aws_lambda_function` of the module that reads `var.*` in its
//! handler, runtime or code (directly or through its `archive_file`), and one per
//! registry-module block of the module that reads `var.*` (a wrapper). The variables are
//! the call's literal arguments, else the module's `variable` defaults, one level deep.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;

use super::excludes::{DeployFilter, FilterFor};
use super::terraform::{
    MODULE_DIR, archive_excludes, archives, attr, eval_string, labels, local, reads_variables,
    traversal_path, uses_variables,
};
use super::terraform_modules::{Call, Unknown, Value, module_blocks};
use super::terraform_registry as registry;
use super::{CodeRoot, Declarations, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

pub(super) fn call(
    repo: &Repo,
    call: &Call,
    module_dir: &RelPath,
    module: &[(RelPath, Body)],
    out: &mut Declarations,
) {
    let archives = archives(module);
    let defaults: HashMap<&str, Option<&Expression>> = module
        .iter()
        .flat_map(|(_, body)| body.get_blocks("variable"))
        .filter_map(|block| match labels(block).as_slice() {
            [name] => Some((*name, attr(&block.body, "default"))),
            _ => None,
        })
        .collect();
    let scope = Scope {
        call,
        module_dir,
        defaults,
    };
    // A wrapper around the registry module: its block, read with this call's arguments.
    for (_, block, source) in module_blocks(module) {
        if let [inner] = labels(block).as_slice()
            && registry::is_registry_source(&source)
            && reads_variables(&block.body)
        {
            let id = format!("module.{}.module.{inner}", call.name);
            let eval = |expr: &Expression| scope.eval(expr);
            registry::declare(repo, call, id, &block.body, &eval, out);
        }
    }
    for (_, body) in module {
        for block in body.get_blocks("resource") {
            if let ["aws_lambda_function", resource] = labels(block).as_slice()
                && uses_variables(&block.body, &archives)
            {
                scope.function(resource, block, &archives, out);
            }
        }
    }
}

/// The variables of one call of one local module.
struct Scope<'a> {
    call: &'a Call<'a>,
    module_dir: &'a RelPath,
    defaults: HashMap<&'a str, Option<&'a Expression>>,
}

/// `var.<name>` or `"${var.<name>}"`.
fn variable(expr: &Expression) -> Option<String> {
    if let Expression::StringTemplate(template) = expr {
        let mut elements = template.iter();
        return match (elements.next(), elements.next()) {
            (Some(Element::Interpolation(interp)), None) => variable(&interp.expr),
            _ => None,
        };
    }
    match traversal_path(expr)?.as_slice() {
        [var, name] if var == "var" => Some(name.clone()),
        _ => None,
    }
}

impl Scope<'_> {
    fn unknown(&self, why: String) -> Unknown {
        Unknown {
            why,
            span: self.call.span.clone(),
        }
    }

    /// `var.<name>` in this call: the call's argument, else the variable's default.
    fn input(&self, name: &str) -> Result<Value, Unknown> {
        if let Some(arg) = self.call.body.get_attribute(name) {
            let span = arg.value.span().unwrap_or(self.call.span.clone());
            return match eval_string(&arg.value) {
                Ok(text) => Ok(Value {
                    text,
                    dir: self.call.dir.clone(),
                    span: Some(span),
                }),
                Err(why) => Err(Unknown {
                    why: format!("is set by the argument `{name}`, which is {why}"),
                    span,
                }),
            };
        }
        let module = self.module_dir;
        match self.defaults.get(name) {
            Some(Some(default)) => match eval_string(default) {
                // Relative to where Terraform runs: the calling (root) module.
                Ok(text) => Ok(Value {
                    text,
                    dir: self.call.dir.clone(),
                    span: None,
                }),
                Err(why) => Err(self.unknown(format!(
                    "is `var.{name}`, whose default in `{module}` is {why}"
                ))),
            },
            Some(None) => Err(self.unknown(format!(
                "is `var.{name}`, which this call does not set and which has no default in `{module}`"
            ))),
            None => Err(self.unknown(format!("is `var.{name}`, which `{module}` does not declare"))),
        }
    }

    /// A string expression of the module, its variables taken from the call.
    fn eval(&self, expr: &Expression) -> Result<Value, Unknown> {
        if let Some(name) = variable(expr) {
            return self.input(&name);
        }
        let mut span = None;
        let text = match expr {
            Expression::StringTemplate(template) => {
                let mut text = String::new();
                for element in template.iter() {
                    match element {
                        Element::Literal(literal) => text.push_str(literal.value()),
                        Element::Interpolation(interp) => {
                            if traversal_path(&interp.expr).is_some_and(|p| p == ["path", "module"])
                            {
                                text.push(MODULE_DIR);
                            } else if let Some(name) = variable(&interp.expr) {
                                let value = self.input(&name)?;
                                if value.text.contains(MODULE_DIR) {
                                    return Err(Unknown {
                                        why: format!("joins the path `{name}` with more text"),
                                        span: value.span.unwrap_or(self.call.span.clone()),
                                    });
                                }
                                span = span.or(value.span);
                                text.push_str(&value.text);
                            } else {
                                return Err(self.unknown(format!(
                                    "is built in `{}` with an interpolation laylint does not evaluate",
                                    self.module_dir
                                )));
                            }
                        }
                        Element::Directive(_) => {
                            return Err(self.unknown("is built with a template directive".into()));
                        }
                    }
                }
                text
            }
            other => eval_string(other).map_err(|why| {
                self.unknown(format!("is built in `{}` from {why}", self.module_dir))
            })?,
        };
        Ok(Value {
            text,
            dir: self.module_dir.clone(),
            span,
        })
    }

    fn function(
        &self,
        resource: &str,
        block: &Block,
        archives: &HashMap<&str, &Body>,
        out: &mut Declarations,
    ) {
        let call = self.call;
        let body = &block.body;
        let name = format!("module.{}.aws_lambda_function.{resource}", call.name);
        let literal = |key| {
            attr(body, key)
                .and_then(|e| self.eval(e).ok())
                .map(|v| v.text)
        };
        if literal("package_type").is_some_and(|t| t == "Image")
            || attr(body, "image_uri").is_some()
        {
            return;
        }
        let runtime = match attr(body, "runtime").map(|e| self.eval(e)) {
            Some(Ok(value)) if !value.text.starts_with("python") => return,
            Some(Ok(value)) => Some(value.text),
            Some(Err(_)) | None => None,
        };
        let gap = |span, gap| call.gap(&name, span, gap, runtime.clone());
        match call.repeated(call.body) {
            Ok(true) => {}
            Ok(false) => return,
            Err((why, span)) => return out.gaps.push(gap(span, Gap::Unresolvable(why))),
        }
        if attr(body, "runtime").is_none() {
            out.gaps.push(gap(call.span.clone(), Gap::MissingRuntime));
        }
        let Some(handler) = attr(body, "handler") else {
            return out.gaps.push(gap(call.span.clone(), Gap::MissingHandler));
        };
        let handler = match self.eval(handler) {
            Ok(value) if !value.text.contains(MODULE_DIR) => value,
            Ok(value) => {
                let why = "the handler is built from `path.module`".to_string();
                let span = value.span.unwrap_or(call.span.clone());
                return out.gaps.push(gap(span, Gap::Unresolvable(why)));
            }
            Err(unknown) => {
                let why = format!("the handler {}", unknown.why);
                return out.gaps.push(gap(unknown.span, Gap::Unresolvable(why)));
            }
        };
        let handler_span = handler.span.clone().unwrap_or(call.span.clone());
        let filename = attr(body, "filename");
        let (code_root, code_span) = match filename {
            None if attr(body, "s3_bucket").is_some() => (
                CodeRoot::Skipped("code in S3 (`s3_bucket`/`s3_key`)".into()),
                None,
            ),
            None => (CodeRoot::Skipped("no `filename`".into()), None),
            Some(expr) => match self.code_root(expr, archives) {
                Ok(found) => found,
                Err(unknown) => {
                    let why = format!("the code location {}", unknown.why);
                    return out.gaps.push(gap(unknown.span, Gap::Unresolvable(why)));
                }
            },
        };
        if let CodeRoot::Local(root) = &code_root
            && let Some(filter) = filename
                .and_then(|expr| archive_excludes(expr, archives))
                .and_then(|patterns| DeployFilter::terraform(root, &patterns))
        {
            out.filters.push(FilterFor {
                file: call.file.clone(),
                name: name.clone(),
                filter,
            });
        }
        out.handlers.push(std::sync::Arc::new(HandlerRef {
            runtime_span: None,
            code_shared: false,
            tool: Tool::TerraformModule,
            template: call.file.clone(),
            logical_id: name,
            handler: handler.text,
            handler_span,
            runtime,
            code_root,
            code_span,
            package_module: None,
        }));
    }

    /// The code root behind `filename`: an `archive_file` of the module over a folder or
    /// a file, or an archive path.
    fn code_root(
        &self,
        expr: &Expression,
        archives: &HashMap<&str, &Body>,
    ) -> Result<(CodeRoot, Option<Range<usize>>), Unknown> {
        let path = traversal_path(expr).unwrap_or_default();
        let Some(name) = (match path.as_slice() {
            [data, kind, name, attribute]
                if data == "data" && kind == "archive_file" && attribute == "output_path" =>
            {
                Some(name)
            }
            _ => None,
        }) else {
            let value = self.eval(expr)?;
            return Ok((local(&value.text, &value.dir), value.span));
        };
        let module = self.module_dir;
        let archive = archives.get(name.as_str()).ok_or_else(|| {
            self.unknown(format!(
                "is `data.archive_file.{name}`, which `{module}` does not declare"
            ))
        })?;
        if let Some(source_dir) = attr(archive, "source_dir") {
            let value = self.eval(source_dir)?;
            return Ok((local(&value.text, &value.dir), value.span));
        }
        if let Some(source_file) = attr(archive, "source_file") {
            let value = self.eval(source_file)?;
            let root = match local(&value.text, &value.dir) {
                CodeRoot::Local(file) => CodeRoot::Local(file.parent().unwrap_or_default()),
                other => other,
            };
            return Ok((root, value.span));
        }
        Err(self.unknown(format!(
            "is `data.archive_file.{name}`, which has no `source_dir` or `source_file`"
        )))
    }
}
