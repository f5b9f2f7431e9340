//! TST005: a src-layout project whose tests pytest imports in the default `prepend`
//! mode. The hint: `--import-mode=importlib` tests the installed package, not whatever
//! the tests' folders put on `sys.path`.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pytest::TestModules;
use crate::model::pytest_config::ImportMode;

pub(super) fn check(repo: &Repo, tests: &TestModules<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for project in repo.projects().iter().filter(|p| p.src_layout) {
        let config = tests.config_for(&project.dir);
        if config.import_mode == ImportMode::Importlib {
            continue;
        }
        let has_tests = repo
            .files
            .descendants(&project.dir)
            .any(|e| repo.files.is_file(&e.path) && tests.is_test(&e.path));
        if !has_tests {
            continue;
        }
        let name = project.name.as_deref().unwrap_or(project.dir.as_str());
        let (path, message) = match &config.config {
            Some(file) => (
                file.clone(),
                format!(
                    "`{file}` configures pytest for src-layout project `{name}` without `--import-mode=importlib`"
                ),
            ),
            None => (
                project.manifest.clone(),
                format!(
                    "src-layout project `{name}` has tests but no pytest configuration setting `--import-mode=importlib`"
                ),
            ),
        };
        findings.push(
            Finding::new(Location::path(path), message).with_help(
                "add `addopts = [\"--import-mode=importlib\"]` to `[tool.pytest.ini_options]`: tests then import the installed package and need no `__init__.py` or unique basenames",
            ),
        );
    }
    findings
}
