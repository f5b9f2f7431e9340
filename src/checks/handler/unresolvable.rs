//! INF001 (informational): a function laylint cannot check, and why: its handler or code
//! path is not a literal, or its code exists only once it is built or deployed.

use super::at;
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::Gap;

const DEPLOY_TIME_HELP: &str = "nothing to fix: laylint checks what the repository holds, and this exists only once the function is built or deployed";

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    repo.function_gaps()
        .iter()
        .filter_map(|gap| {
            let (message, help) = match &gap.gap {
                Gap::Unresolvable(why) => (
                    format!("{}: laylint cannot resolve this handler: {why}", gap.name),
                    "use literal values for the handler and the code path, or suppress this informational diagnostic",
                ),
                Gap::DeployTime(why) => (format!("{}: not checked: {why}", gap.name), DEPLOY_TIME_HELP),
                // HDL010's.
                Gap::MissingHandler | Gap::MissingRuntime => return None,
            };
            Some(Finding::new(Location::span(gap.file.clone(), gap.span.clone()), message).with_help(help))
        })
        .chain(repo.resolved_handlers().iter().filter_map(deploy_time))
        .collect()
}

/// A handler whose code a build step makes.
fn deploy_time(resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::DeployTime(why) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: handler `{}` not checked: {why}",
                h.logical_id, h.handler
            ),
        )
        .with_help(DEPLOY_TIME_HELP),
    )
}
