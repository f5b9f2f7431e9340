//! `tests-placement`: test modules where they get shipped. A test module is what pytest
//! collects ([`TestModules`]), not a file name. `scope = "import-package"` looks
//! inside projects' import packages (TST001); other scopes (Lambda code roots) can be added
//! as variants of [`Scope`] with their own collection of folders to search.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest::TestModules;
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestsPlacement {
    pub scope: Scope,
}

/// Where test files must not be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Inside a project's import package: they are installed with it.
    ImportPackage,
    /// Inside a Lambda function's code root: SAM and `aws cloudformation package` ship
    /// the folder whole (TST002).
    CodeRoot,
}

impl TestsPlacement {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.scope {
            Scope::ImportPackage => import_package(repo),
            Scope::CodeRoot => code_root(repo),
        }
    }
}

/// Test modules (what pytest collects, see [`TestModules`]) and `tests/` folders holding
/// one below `dir`, kept when `deployed` says they ship; a `tests/` folder is reported
/// once, not its files.
pub fn test_paths_below(
    repo: &Repo,
    tests: &TestModules<'_>,
    dir: &RelPath,
    deployed: &dyn Fn(&RelPath) -> bool,
) -> Vec<(RelPath, bool)> {
    let mut found: Vec<(RelPath, bool)> = Vec::new();
    let is_shipped_test =
        |path: &RelPath| repo.files.is_file(path) && tests.is_test(path) && deployed(path);
    // Entries come in path order, so everything below a `tests/` folder follows it.
    let mut inside: Option<RelPath> = None;
    for entry in repo.files.descendants(dir) {
        if inside.as_ref().is_some_and(|t| entry.path.starts_with(t)) {
            continue;
        }
        if repo.files.is_dir(&entry.path) && entry.path.file_name() == "tests" {
            inside = Some(entry.path.clone());
            if repo
                .files
                .descendants(&entry.path)
                .any(|e| is_shipped_test(&e.path))
            {
                found.push((entry.path.clone(), true));
            }
        } else if is_shipped_test(&entry.path) {
            found.push((entry.path.clone(), false));
        }
    }
    found
}

fn import_package(repo: &Repo) -> Vec<Finding> {
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

fn code_root(repo: &Repo) -> Vec<Finding> {
    use crate::model::templates::CodeRoot;
    let mut findings = Vec::new();
    let mut reported: std::collections::HashSet<RelPath> = std::collections::HashSet::new();
    let tests = TestModules::new(repo);
    for handler in repo.handlers() {
        let CodeRoot::Local(root) = &handler.code_root else {
            continue;
        };
        if !repo.files.is_dir(root) {
            continue;
        }
        let filter = repo.deploy_filter(handler);
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
