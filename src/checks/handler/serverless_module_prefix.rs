//! HDL012: with serverless-python-requirements' `module:`, the handler repeats the
//! folder that becomes the code root.

use super::{at, handler_edit, module_and_function};
use crate::diagnostic::{Finding, Fix};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::HandlerRef;

pub(super) fn check(repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::ModulePrefix { module, fixed } = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (module_name, _) = module_and_function(h);
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: handler `{}` repeats the `module: {module}` folder; serverless-python-requirements packages `{module}/` as the code root, so the runtime looks for `{module}/{}.py`",
                h.logical_id,
                h.handler,
                module_name.replace('.', "/")
            ),
        )
        .with_help(format!("write `handler: {fixed}`"))
        .with_fix(drop_prefix(repo, h, module)),
    )
}

/// Deletes the `module:` folder's segments from the start of the handler (its
/// separators kept as written). The resolution checked that the rest imports.
fn drop_prefix(repo: &Repo, h: &HandlerRef, module: &str) -> Option<Fix> {
    let segments = module
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .count();
    let (cut, _) = h
        .handler
        .match_indices(['.', '/'])
        .nth(segments.checked_sub(1)?)?;
    let fixed = h.handler.get(cut + 1..)?;
    let edit = handler_edit(repo, h, 0..cut + 1, "")?;
    Some(Fix::safe(
        format!("write the handler as `{fixed}`"),
        vec![edit],
    ))
}
