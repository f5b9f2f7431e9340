//! HDL009: the code root folder does not exist and is not an ignored build output.

use super::{at, module_and_function};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::CodeRootMissing(root) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (module_name, _) = module_and_function(h);
    let finding = Finding::new(
        at(h),
        format!(
            "{}: handler `{}`: the code root `{root}` does not exist",
            h.logical_id, h.handler
        ),
    )
    .with_help(format!(
        "point `{}` at the folder that holds `{}.py`, or add the folder to .gitignore if a build step creates it",
        h.tool.code_key(),
        module_name.replace('.', "/")
    ));
    Some(match &h.code_span {
        Some(span) => finding.with_related(
            Location::span(h.template.clone(), span.clone()),
            "the code location",
        ),
        None => finding,
    })
}
