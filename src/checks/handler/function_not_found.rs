//! HDL002: the module imports but binds no top-level function of the handler's name
//! (`Runtime.HandlerNotFound`).

use super::{at, handler_edit, module_and_function, resolves};
use crate::diagnostic::{Finding, Fix, Location};
use crate::model::Repo;
use crate::model::handlers::arity_problem;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::{CodeRoot, HandlerRef};
use crate::paths::RelPath;
use crate::python::BindingKind;

pub(super) fn check(repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::FunctionNotFound { module, namespace } = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (module_name, function) = module_and_function(h);
    if matches!(h.code_root, CodeRoot::Inline(_)) {
        let finding = Finding::new(
            at(h),
            format!(
                "{}: Handler '{function}' missing on module '{module_name}': the inline code binds no top-level `{function}`",
                h.logical_id
            ),
        );
        return Some(
            match &h.code_span {
                Some(span) => finding.with_related(
                    Location::span(h.template.clone(), span.clone()),
                    "the inline code (`index.py`)",
                ),
                None => finding,
            }
            .with_help(format!(
                "define `def {function}(event, context):` at the top level of the inline code (methods and nested functions do not count), or point the handler at a function it defines"
            )),
        );
    }
    let message = if *namespace {
        format!(
            "{}: Handler '{function}' missing on module '{module_name}': `{module}/` has no `__init__.py`, so it imports as an empty namespace package",
            h.logical_id
        )
    } else {
        format!(
            "{}: Handler '{function}' missing on module '{module_name}': `{module}` binds no top-level `{function}`",
            h.logical_id
        )
    };
    Some(
        Finding::new(at(h), message)
            .with_help(format!(
                "define `def {function}(event, context):` at the top level of `{module}` (methods and nested functions do not count), or point the handler at a function it defines"
            ))
            .with_related(Location::path(module.clone()), "the handler module")
            .with_fix((!*namespace).then(|| rename(repo, h, module)).flatten()),
    )
}

/// Points the handler at the module's one top-level `def` written as a handler (not
/// `async`, callable with two arguments, its first two parameters `event` and
/// `context`), when there is exactly one. Unsafe: the author may have meant to write the
/// missing function instead.
fn rename(repo: &Repo, h: &HandlerRef, module: &RelPath) -> Option<Fix> {
    let py = repo.python_module(module)?;
    let mut candidates = py.bindings.iter().filter(|(_, b)| {
        matches!(&b.kind, BindingKind::Function(info)
            if info.event_context && !info.is_async && arity_problem(info).is_none())
    });
    let (name, _) = candidates.next()?;
    if candidates.next().is_some() {
        return None;
    }
    let (module_name, function) = module_and_function(h);
    let fixed = format!("{module_name}.{name}");
    if !resolves(repo, h, &fixed) {
        return None;
    }
    let edit = handler_edit(repo, h, module_name.len() + 1..h.handler.len(), name)?;
    Some(Fix::unsafe_(
        format!("point the handler at `{name}` instead of the missing `{function}`"),
        vec![edit],
    ))
}
