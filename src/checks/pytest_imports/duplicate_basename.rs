//! TST003: two modules one run imports under the same name. In the `prepend` and
//! `append` modes a module is imported by its dotted path from its basedir (its first
//! ancestor folder without `__init__.py`): in a folder without `__init__.py`, its bare
//! basename. When the first module of a name imported fine, the second finds it in
//! `sys.modules` and pytest reports "import file mismatch"; when the first failed (its
//! own `ModuleNotFoundError`), the name is free again and the second imports cleanly.
//! [`simulate`] follows exactly that.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest_config::ImportMode;
use crate::model::pytest_runs::PytestRun;
use crate::model::pytest_sim::{Outcome, Start, simulate};
use crate::paths::RelPath;

pub(super) fn check(
    repo: &Repo,
    run: &PytestRun,
    installed: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    if run.config.import_mode == ImportMode::Importlib
        || run.unpredictable.is_some()
        || !run.uses_pytest
    {
        return Vec::new();
    }
    let outcomes = simulate(repo, run, Start::Bare, installed);
    let mut findings = Vec::new();
    for (item, outcome) in run.items.iter().zip(&outcomes) {
        let Outcome::Mismatch(earlier) = outcome else {
            continue;
        };
        if item.conftest {
            continue;
        }
        let name = item
            .path
            .strip_prefix(item.basedir.as_ref().unwrap_or(&RelPath::root()))
            .unwrap_or_default()
            .trim_end_matches(".py")
            .replace('/', ".");
        let why = if name.contains('.') {
            format!(
                "test module `{}` and `{earlier}` are both imported as `{name}` (their paths from the first folder up without `__init__.py`)",
                item.path
            )
        } else {
            format!(
                "test module `{}` has the same basename as `{earlier}` and neither folder holds `__init__.py`: both are imported as `{name}`",
                item.path
            )
        };
        let setting = match &run.config.config {
            Some(file) => format!("`--import-mode=importlib` in the `addopts` of `{file}`"),
            None => "`--import-mode=importlib` in a pytest configuration".to_string(),
        };
        findings.push(
            Finding::new(
                Location::path(item.path.clone()),
                format!("{why}; pytest imports `{earlier}` first and stops with \"import file mismatch\""),
            )
            .with_help(format!(
                "rename one of them, add `__init__.py` to the test folders so their import names differ, or set {setting}"
            ))
            .with_related(
                Location::path(earlier.clone()),
                format!("`{name}` is first imported from here"),
            ),
        );
    }
    findings
}
