//! HDL006: the handler cannot be called as `handler(event, context)`.

use super::{at, module_and_function};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::Arity {
        module,
        def_span,
        why,
    } = &resolved.verdict
    else {
        return None;
    };
    let h = &resolved.handler;
    let (_, function) = module_and_function(h);
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: `{function}` cannot be called as `{function}(event, context)`: {why} (\"TypeError: {function}() takes …\")",
                h.logical_id
            ),
        )
        .with_help(format!("define it as `def {function}(event, context):`"))
        .with_related(Location::span(module.clone(), def_span.clone()), "the `def`"),
    )
}
