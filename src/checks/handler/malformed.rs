//! HDL003: a handler the runtime rejects by its shape (`Runtime.MalformedHandlerName`)
//! or that can never import.

use super::{at, handler_edit, module_and_function, resolves};
use crate::diagnostic::{Finding, Fix};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::HandlerRef;

pub(super) fn check(repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::Malformed(why) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    Some(
        Finding::new(
            at(h),
            format!("{}: malformed handler `{}`: {why}", h.logical_id, h.handler),
        )
        .with_help("write the handler as `module.function`, e.g. `app.lambda_handler`, or `package.module.function`")
        .with_fix(drop_py(repo, h)),
    )
}

/// `app.py.handler` → `app.handler`: the `.py` the module part ends with, dropped, when
/// the result resolves.
fn drop_py(repo: &Repo, h: &HandlerRef) -> Option<Fix> {
    let (module, function) = module_and_function(h);
    let stem = module.strip_suffix(".py")?;
    let fixed = format!("{stem}.{function}");
    if !resolves(repo, h, &fixed) {
        return None;
    }
    let edit = handler_edit(repo, h, stem.len()..module.len(), "")?;
    Some(Fix::safe(
        format!("write the handler as `{fixed}`"),
        vec![edit],
    ))
}
