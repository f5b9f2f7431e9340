//! `tests-placement`: test files where they get shipped. `scope = "import-package"` looks
//! inside projects' import packages (TST001); other scopes (Lambda code roots) can be added
//! as variants of [`Scope`] with their own collection of folders to search.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
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

/// `test_*.py`, `*_test.py` and `conftest.py`: the files pytest collects or loads.
pub fn is_test_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".py") else {
        return false;
    };
    stem == "conftest" || stem.starts_with("test_") || stem.ends_with("_test")
}

/// Test files and `tests/` folders below `dir`; a `tests/` folder is reported once, not its files.
pub fn test_paths_below(repo: &Repo, dir: &RelPath) -> Vec<(RelPath, bool)> {
    let mut found: Vec<(RelPath, bool)> = Vec::new();
    // Entries come in path order, so everything below a `tests/` folder follows it.
    let mut inside: Option<RelPath> = None;
    for entry in repo.files.descendants(dir) {
        if inside.as_ref().is_some_and(|t| entry.path.starts_with(t)) {
            continue;
        }
        if repo.files.is_dir(&entry.path) && entry.path.file_name() == "tests" {
            inside = Some(entry.path.clone());
            found.push((entry.path.clone(), true));
        } else if repo.files.is_file(&entry.path) && is_test_file(entry.path.file_name()) {
            found.push((entry.path.clone(), false));
        }
    }
    found
}

fn import_package(repo: &Repo) -> Vec<Finding> {
    let mut findings = Vec::new();
    for project in repo.projects() {
        for package in project.packages.iter().filter(|p| !p.is_module) {
            for (path, is_dir) in test_paths_below(repo, &package.path) {
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
    let mut seen: std::collections::HashSet<&RelPath> = std::collections::HashSet::new();
    for handler in repo.handlers() {
        let CodeRoot::Local(root) = &handler.code_root else {
            continue;
        };
        if !repo.files.is_dir(root) || !seen.insert(root) {
            continue;
        }
        let key = handler.tool.code_key();
        for (path, is_dir) in test_paths_below(repo, root) {
            let what = if is_dir { "test folder" } else { "test file" };
            findings.push(
                Finding::new(
                    Location::path(path.clone()),
                    format!(
                        "{what} `{path}` is inside the code root `{root}` of `{}` ({}): {key} is packaged whole, so it is deployed with the function",
                        handler.logical_id, handler.template
                    ),
                )
                .with_help(format!(
                    "move the tests out of `{root}` (for example to a `tests/` folder beside `{}`)",
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
