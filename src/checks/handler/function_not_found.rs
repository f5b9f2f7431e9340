//! HDL002: the module imports but binds no top-level function of the handler's name
//! (`Runtime.HandlerNotFound`).

use super::{at, module_and_function};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::CodeRoot;

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
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
            .with_related(Location::path(module.clone()), "the handler module"),
    )
}
