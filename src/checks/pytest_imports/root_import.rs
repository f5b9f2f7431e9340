//! TST004: a test module imports, at module level, a top-level name that only the run's
//! folder provides (a folder or module there, not an installed project's package), while
//! nothing in a bare `pytest` run has put that folder on `sys.path` by then: no
//! `pythonpath` entry for it, no `conftest.py` or test module imported earlier whose
//! basedir it is (in the `prepend` and `append` modes), and no module that may change
//! `sys.path` itself. Bare `pytest` then fails with `ModuleNotFoundError`, while
//! `python -m pytest`, which puts the current folder on `sys.path`, passes.

use std::collections::HashSet;

use crate::checks::handler::shadows_stdlib::is_stdlib_module;
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest::TestDefs;
use crate::model::pytest_config::ImportMode;
use crate::model::pytest_runs::PytestRun;
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo, run: &PytestRun) -> Vec<Finding> {
    let root = &run.root;
    let pythonpath = run.pythonpath();
    if run.unpredictable.is_some() || !run.uses_pytest || pythonpath.contains(root) {
        return Vec::new();
    }
    let importlib = run.config.import_mode == ImportMode::Importlib;
    // Every other folder the run may put on `sys.path`.
    let mut others: Vec<RelPath> = pythonpath;
    if !importlib {
        others.extend(run.items.iter().filter_map(|item| item.basedir.clone()));
    }
    // The run's folder itself is the question, not another provider.
    others.retain(|dir| dir != root);
    others.sort();
    others.dedup();
    let projects = repo.projects();
    let installed: HashSet<&str> = projects
        .iter()
        .flat_map(|p| p.packages.iter().map(|k| k.name.as_str()))
        .collect();
    let mut root_on_path = false;
    let mut path_changed = run
        .items
        .iter()
        .any(|item| item.conftest && item.may_change_sys_path);
    let mut findings = Vec::new();
    // In `importlib` mode pytest makes each imported file's parent folders (named from
    // the run's folder) modules: their top-level names become importable.
    let mut parents: HashSet<&str> = HashSet::new();
    for item in &run.items {
        if importlib
            && let Some(relative) = item.path.strip_prefix(root)
            && let Some((top, _)) = relative.split_once('/')
        {
            parents.insert(top);
        }
        // The basedir goes on `sys.path` before the file is imported.
        root_on_path |= !importlib && item.basedir.as_ref() == Some(root);
        path_changed |= item.may_change_sys_path;
        if root_on_path
            || path_changed
            || item.conftest
            || item.basedir.is_none()
            || item.shadowed.is_some()
        {
            continue;
        }
        let Some(defs) = repo.test_defs(&item.path) else {
            continue;
        };
        let TestDefs::Parsed { imports, .. } = &*defs else {
            continue;
        };
        let failing = imports.iter().find(|import| {
            let top = import.module.split('.').next().unwrap_or_default();
            top != "__future__"
                && !is_stdlib_module(top)
                && !installed.contains(top)
                && !parents.contains(top)
                && resolves(repo, root, &import.module)
                && !others.iter().any(|dir| provides(repo, dir, top))
        });
        let Some(import) = failing else {
            continue;
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

/// Whether `dir` provides the top-level name `top` (a module or a folder, a namespace
/// package included).
fn provides(repo: &Repo, dir: &RelPath, top: &str) -> bool {
    repo.files.is_file(&dir.child(&format!("{top}.py"))) || repo.files.is_dir(&dir.child(top))
}

/// Whether the dotted `module` is found below `dir`: each part a folder, the last one a
/// folder or a `.py` file.
fn resolves(repo: &Repo, dir: &RelPath, module: &str) -> bool {
    let parts: Vec<&str> = module.split('.').collect();
    let mut current = dir.clone();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return false;
        }
        let last = i + 1 == parts.len();
        let folder = current.child(part);
        if !repo.files.is_dir(&folder) {
            return last && repo.files.is_file(&current.child(&format!("{part}.py")));
        }
        current = folder;
    }
    true
}
