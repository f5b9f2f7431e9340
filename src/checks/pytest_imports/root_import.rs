//! TST004: a test module imports, at module level, a name that only the run's folder
//! provides (a folder or module there, not an installed project's package), and
//! [`simulate`] finds that the bare `pytest` run fails on that import with
//! `ModuleNotFoundError` (nothing imported earlier put the folder on `sys.path`: no
//! `pythonpath` entry, no `conftest.py` or test module whose basedir it is, no module
//! adding it) while `python -m pytest`, which starts with the current folder on
//! `sys.path`, imports the module cleanly.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest_runs::PytestRun;
use crate::model::pytest_sim::{Outcome, Start, simulate};
use crate::python::test_defs::TopImport;

pub(super) fn check(
    repo: &Repo,
    run: &PytestRun,
    installed: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let root = &run.root;
    if run.unpredictable.is_some() || !run.uses_pytest {
        return Vec::new();
    }
    let bare = simulate(repo, run, Start::Bare, installed);
    if !bare
        .iter()
        .any(|o| matches!(o, Outcome::NotFound { span: Some(_), .. }))
    {
        return Vec::new();
    }
    let module = simulate(repo, run, Start::Module, installed);
    let mut findings = Vec::new();
    for ((item, bare), module) in run.items.iter().zip(&bare).zip(&module) {
        let Outcome::NotFound {
            module: failed,
            span: Some(span),
        } = bare
        else {
            continue;
        };
        if item.conftest || *module != Outcome::Imported {
            continue;
        }
        let import = TopImport {
            module: failed.clone(),
            span: span.clone(),
        };
        let top = import.module.split('.').next().unwrap_or_default();
        let folder = if root.is_root() {
            "the repository root".to_string()
        } else {
            format!("`{root}/`")
        };
        repo.keep_text(&item.path);
        findings.push(
            Finding::new(
                Location::span(item.path.clone(), import.span.clone()),
                format!(
                    "`{}` imports `{}`, which only {folder} provides (`{top}`), but bare `pytest` does not put {folder} on `sys.path`: it fails with ModuleNotFoundError where `python -m pytest` passes",
                    item.path, import.module
                ),
            )
            .with_help(format!(
                "add an empty `conftest.py` to {folder}, or `pythonpath = [\".\"]` to the pytest configuration, or install the code as a package"
            )),
        );
    }
    findings
}
