//! `tests-placement`: test modules where they get shipped. A test module is what pytest
//! collects ([`TestModules`]), not a file name. `scope` picks the rule: inside projects'
//! import packages (`import-package`, TST001) or inside Lambda code roots (`code-root`,
//! TST002). Each scope is one file below this folder; another place to search is a new
//! variant of [`Scope`] and its file.

mod code_root;
mod import_package;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::pytest::TestModules;
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TestsPlacement {
    #[serde(deserialize_with = "super::selector::scope")]
    pub scope: Scope,
}

/// Where test files must not be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Inside a project's import package: they are installed with it (TST001).
    ImportPackage,
    /// Inside a Lambda function's code root: SAM and `aws cloudformation package` ship
    /// the folder whole (TST002).
    CodeRoot,
}

impl TestsPlacement {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.scope {
            Scope::ImportPackage => import_package::check(repo),
            Scope::CodeRoot => code_root::check(repo),
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
