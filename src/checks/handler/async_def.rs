//! HDL005: the handler is an `async def`, which the runtime calls without awaiting.

use super::{at, module_and_function};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::Async { module, def_span } = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (_, function) = module_and_function(h);
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: `{function}` is `async def`; the runtime calls it without awaiting (\"coroutine '{function}' was never awaited\")",
                h.logical_id
            ),
        )
        .with_help(format!(
            "make `{function}` a plain `def` that runs the coroutine with `asyncio.run(...)`"
        ))
        .with_related(Location::span(module.clone(), def_span.clone()), "the `async def`"),
    )
}
