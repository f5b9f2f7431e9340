//! HDL010: a zip-packaged function declares no handler or no runtime. Read from the
//! declarations' gaps, since such a function has no handler to resolve.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::templates::Gap;

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    repo.function_gaps()
        .iter()
        .filter_map(|gap| {
            let key = gap.tool.handler_key();
            let message = match &gap.gap {
                Gap::MissingHandler => format!(
                    "{}: the {} function declares no `{key}`; a zip-packaged function needs one",
                    gap.name, gap.tool
                ),
                Gap::MissingRuntime => format!(
                    "{}: the {} function declares no runtime; a zip-packaged function needs one",
                    gap.name, gap.tool
                ),
                // INF001's.
                Gap::Unresolvable(_) | Gap::DeployTime(_) => return None,
            };
            Some(
                Finding::new(Location::span(gap.file.clone(), gap.span.clone()), message)
                    .with_help("declare the handler (`module.function`) and a Python runtime on the function, or in the template's `Globals` / the provider"),
            )
        })
        .collect()
}
