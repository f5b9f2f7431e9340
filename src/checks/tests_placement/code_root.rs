//! TST002: test modules inside a Lambda function's code root, which SAM and
//! `aws cloudformation package` ship whole (unless the tool's exclude settings leave
//! them out).

use super::test_paths_below;
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest::TestModules;
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo) -> Vec<Finding> {
    use crate::model::templates::CodeRoot;
    let mut findings = Vec::new();
    let mut reported: std::collections::HashSet<RelPath> = std::collections::HashSet::new();
    let tests = TestModules::new(repo);
    let mut walked: std::collections::HashSet<(&RelPath, usize)> = std::collections::HashSet::new();
    for handler in repo.handlers() {
        let CodeRoot::Local(root) = &handler.code_root else {
            continue;
        };
        if !repo.files.is_dir(root) {
            continue;
        }
        let filter = repo.deploy_filter(handler);
        // Functions sharing a code root and package settings ship the same files: the
        // first one's walk reports them all (a template of twelve functions walks once).
        let settings = filter.map_or(0, |f| std::ptr::from_ref(f) as usize);
        if !walked.insert((root, settings)) {
            continue;
        }
        let deployed = |path: &RelPath| !filter.is_some_and(|f| f.excludes(path));
        let key = handler.tool.code_key();
        let how = if filter.is_some() {
            "its exclude settings leave it in the package"
        } else {
            "is packaged whole"
        };
        for (path, is_dir) in test_paths_below(repo, &tests, root, &deployed) {
            if !reported.insert(path.clone()) {
                continue;
            }
            let what = if is_dir { "test folder" } else { "test file" };
            let message = if filter.is_some() {
                format!(
                    "{what} `{path}` is inside the code root `{root}` of `{}` ({}): {how}, so it is deployed with the function",
                    handler.logical_id, handler.template
                )
            } else {
                format!(
                    "{what} `{path}` is inside the code root `{root}` of `{}` ({}): {key} {how}, so it is deployed with the function",
                    handler.logical_id, handler.template
                )
            };
            findings.push(
                Finding::new(Location::path(path.clone()), message)
                    .with_help(format!(
                        "move the tests out of `{root}` (for example to a `tests/` folder beside `{}`), or exclude them in the tool's package settings",
                        handler.template.file_name()
                    ))
                    .with_related(
                        Location::span(handler.template.clone(), handler.handler_span.clone()),
                        "the function whose code root holds it",
                    ),
            );
        }
    }
    findings
}
