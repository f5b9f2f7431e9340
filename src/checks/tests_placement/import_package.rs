//! TST001: test modules inside a project's import package, installed and deployed with it.

use super::test_paths_below;
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest::TestModules;

pub(super) fn check(repo: &Repo) -> Vec<Finding> {
    let mut findings = Vec::new();
    let tests = TestModules::new(repo);
    for project in repo.projects() {
        for package in project.packages.iter().filter(|p| !p.is_module) {
            for (path, is_dir) in test_paths_below(repo, &tests, &package.path, &|_| true) {
                let what = if is_dir { "test folder" } else { "test file" };
                findings.push(
                    Finding::new(
                        Location::path(path.clone()),
                        format!(
                            "{what} `{path}` is inside import package `{}`; it is installed and deployed with it",
                            package.name
                        ),
                    )
                    .with_help(format!(
                        "move it to a `tests/` folder beside `{}` (outside the package)",
                        project.manifest.file_name()
                    )),
                );
            }
        }
    }
    findings
}
