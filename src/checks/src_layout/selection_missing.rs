//! LAY005: an explicit package selection names a path that does not exist. poetry-core
//! and setuptools then stop the build; hatchling builds a wheel without it (with nothing
//! else selected, a wheel of metadata only).

use std::collections::BTreeSet;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::{Backend, Project};
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
    // One finding per missing folder: `package-dir = {"" = "lib"}` and `packages = ["a"]`
    // both name `lib/…` when `lib/` is missing.
    let mut reported: BTreeSet<RelPath> = BTreeSet::new();
    for named in &project.selection_paths {
        let Ok(path) = project.dir.join_relative(&named.path) else {
            continue;
        };
        if path == project.dir {
            continue;
        }
        let Some(missing) = first_missing(repo, &project.dir, &path) else {
            continue;
        };
        // A folder .gitignore covers is made by a build step before the build.
        if repo.is_gitignored(&missing, true) || !reported.insert(missing.clone()) {
            continue;
        }
        let consequence = match project.backend {
            Backend::Hatchling => {
                "hatchling leaves it out of the wheel without a word (with nothing else selected, the wheel holds metadata only)"
            }
            Backend::Poetry => "poetry-core stops the build (\"does not contain any element\")",
            Backend::Setuptools => {
                "setuptools stops the build (\"package directory … does not exist\")"
            }
            _ => "the build cannot ship it",
        };
        findings.push(
            Finding::new(
                Location::span(named.file.clone(), named.span.clone()),
                format!(
                    "`{}` names `{path}`, which does not exist (no `{missing}`): {consequence}",
                    named.key
                ),
            )
            .with_help(format!(
                "point `{}` at the folder that holds the package (relative to `{}`), or create `{missing}`",
                named.key,
                if project.dir.is_root() { "." } else { project.dir.as_str() }
            )),
        );
    }
}

/// The first component of `path` below `dir` that the repository lacks.
fn first_missing(repo: &Repo, dir: &RelPath, path: &RelPath) -> Option<RelPath> {
    if repo.files.exists(path) {
        return None;
    }
    let mut missing = path.clone();
    while let Some(parent) = missing.parent() {
        if repo.files.exists(&parent) || parent == *dir || !parent.starts_with(dir) {
            break;
        }
        missing = parent;
    }
    Some(missing)
}
