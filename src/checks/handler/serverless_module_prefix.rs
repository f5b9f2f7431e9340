//! HDL012: with serverless-python-requirements' `module:`, the handler repeats the
//! folder that becomes the code root.

use super::{at, module_and_function};
use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
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
        .with_help(format!("write `handler: {fixed}`")),
    )
}
