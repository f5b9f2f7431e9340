//! LAY006: a src-layout project that also has an import package beside its manifest.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::{FLAT_LAYOUT_EXCLUDES, Project};

/// Folders beside a manifest that hold `__init__.py` for another reason than shipping:
/// tests, docs and scripts, the names setuptools' own discovery never takes for packages
/// ([`FLAT_LAYOUT_EXCLUDES`]), and the usual homes of the deployment code of a serverless
/// repository (a CDK or Pulumi program is run from the checkout, never installed).
const NOT_PACKAGES: &[&str] = &[
    "tests",
    "test",
    "docs",
    "scripts",
    "infra",
    "infrastructure",
    "cdk",
    "deploy",
    "deployment",
    "iac",
];

pub(super) fn check(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
    let src = project.dir.child("src");
    let Some(in_src) = repo
        .files
        .children(&src)
        .map(|e| e.path.clone())
        .find(|p| is_package(repo, p))
    else {
        return;
    };
    for entry in repo.files.children(&project.dir) {
        let folder = &entry.path;
        let name = folder.file_name();
        if NOT_PACKAGES.contains(&name)
            || FLAT_LAYOUT_EXCLUDES.contains(&name)
            || !is_package(repo, folder)
            || is_project_dir(repo, folder)
        {
            continue;
        }
        findings.push(
            Finding::new(
                Location::path(folder.clone()),
                format!(
                    "project `{}` has its packages under `src/` (`{in_src}`) and also an import package beside its manifest: `{folder}`",
                    project.name.as_deref().unwrap_or(project.dir.as_str()),
                ),
            )
            .with_help(format!(
                "move `{folder}` under `{src}/`, or out of the project if it is not shipped; imports of it work from the checkout but not from the installed project"
            )),
        );
    }
}

/// A folder named like a Python identifier (not hidden, not `_private`) with `__init__.py`.
fn is_package(repo: &Repo, folder: &crate::paths::RelPath) -> bool {
    let name = folder.file_name();
    let identifier = name.chars().next().is_some_and(|c| c.is_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_alphanumeric());
    identifier && repo.files.is_dir(folder) && repo.files.is_file(&folder.child("__init__.py"))
}

/// A nested project of its own.
fn is_project_dir(repo: &Repo, folder: &crate::paths::RelPath) -> bool {
    crate::model::projects::MANIFESTS
        .iter()
        .any(|m| repo.files.is_file(&folder.child(m)))
}
