//! HDL003: a handler the runtime rejects by its shape (`Runtime.MalformedHandlerName`)
//! or that can never import.

use super::at;
use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::Malformed(why) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    Some(
        Finding::new(
            at(h),
            format!("{}: malformed handler `{}`: {why}", h.logical_id, h.handler),
        )
        .with_help("write the handler as `module.function`, e.g. `app.lambda_handler`, or `package.module.function`"),
    )
}
