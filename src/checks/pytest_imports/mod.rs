//! `pytest-imports`: what pytest's import of test modules does to a bare `pytest` run,
//! from the runs [`pytest_runs`] predicts. `finding` picks the rule: two modules one
//! import name (`duplicate-basename`, TST003), a module importing what only the run's
//! folder provides (`root-import`, TST004), a src-layout project left in the default
//! import mode (`import-mode-hint`, TST005). A run laylint cannot predict (a plugin, a
//! `conftest.py` that changes collection, …) gives no finding.

mod duplicate_basename;
mod import_mode_hint;
mod root_import;

use std::collections::HashSet;

use serde::Deserialize;

use crate::checks::handler::shadows_stdlib::is_stdlib_module;
use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::pytest::TestModules;
use crate::model::pytest_runs::pytest_runs;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PytestImports {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: PytestImportsFinding,
}

/// The rule a `pytest-imports` check reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PytestImportsFinding {
    DuplicateBasename,
    RootImport,
    ImportModeHint,
}

impl PytestImports {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let tests = TestModules::new(repo);
        let packages = project_packages(repo);
        let installed =
            |top: &str| is_stdlib_module(top) || top == "pytest" || packages.contains(top);
        match self.finding {
            PytestImportsFinding::DuplicateBasename => pytest_runs(repo, &tests)
                .iter()
                .flat_map(|run| duplicate_basename::check(repo, run, &installed))
                .collect(),
            PytestImportsFinding::RootImport => pytest_runs(repo, &tests)
                .iter()
                .flat_map(|run| root_import::check(repo, run, &installed))
                .collect(),
            PytestImportsFinding::ImportModeHint => import_mode_hint::check(repo, &tests),
        }
    }
}

/// The top-level package names of the repository's projects: installed in their runs.
fn project_packages(repo: &Repo) -> HashSet<String> {
    repo.projects()
        .iter()
        .flat_map(|p| p.packages.iter().map(|k| k.name.to_string()))
        .collect()
}
