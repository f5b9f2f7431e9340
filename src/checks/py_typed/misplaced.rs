//! TYP004: a `py.typed` outside any import package's top folder. PEP 561 reads the marker
//! only in the top-level package folder ("the `py.typed` marker … applies recursively"
//! from there), so one beside the manifest, directly in `src/`, or only in a subpackage
//! marks nothing. The package it was meant for is this rule's, not TYP001's.

use std::collections::HashSet;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::Project;
use crate::paths::RelPath;

/// Where a stray marker sits.
enum Place {
    /// Beside the project's manifest.
    BesideManifest,
    /// Directly in the project's `src/`.
    InSrc,
    /// In a subpackage of `top`, which has no marker.
    InSubpackage { top: RelPath },
}

struct Misplaced<'a> {
    marker: RelPath,
    project: &'a Project,
    place: Place,
}

/// Every misplaced marker, in path order.
fn misplaced(repo: &Repo) -> Vec<Misplaced<'_>> {
    let projects = repo.projects();
    let project_at = |dir: &RelPath| {
        projects
            .binary_search_by(|p| p.dir.cmp(dir))
            .ok()
            .and_then(|i| projects.get(i))
            .filter(|p| p.package_mode)
    };
    let mut found = Vec::new();
    for entry in repo.files.files() {
        if entry.path.file_name() != "py.typed" {
            continue;
        }
        let Some(dir) = entry.path.parent() else {
            continue;
        };
        let holders = repo.packages_holding(&dir);
        if holders.iter().any(|(_, package)| package.path == dir) {
            continue;
        }
        let marker = entry.path.clone();
        if let Some(project) = project_at(&dir) {
            found.push(Misplaced {
                marker,
                project,
                place: Place::BesideManifest,
            });
        } else if dir.file_name() == "src"
            && let Some(project) = dir.parent().as_ref().and_then(project_at)
        {
            found.push(Misplaced {
                marker,
                project,
                place: Place::InSrc,
            });
        } else if let Some(&(project, package)) = holders
            .iter()
            .find(|(p, package)| p.package_mode && !package.has_py_typed)
        {
            found.push(Misplaced {
                marker,
                project,
                place: Place::InSubpackage {
                    top: package.path.clone(),
                },
            });
        }
    }
    found
}

/// The packages a misplaced marker was meant for: TYP001 stays silent on them.
pub(super) fn covered_packages(repo: &Repo) -> HashSet<RelPath> {
    let mut covered = HashSet::new();
    for stray in misplaced(repo) {
        match stray.place {
            Place::InSubpackage { top } => {
                covered.insert(top);
            }
            Place::BesideManifest | Place::InSrc => covered.extend(
                stray
                    .project
                    .packages
                    .iter()
                    .filter(|p| !p.is_module && !p.has_py_typed)
                    .map(|p| p.path.clone()),
            ),
        }
    }
    covered
}

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    misplaced(repo)
        .into_iter()
        .map(|stray| {
            let project = stray.project;
            let name = project.name.as_deref().unwrap_or(project.dir.as_str());
            let packages: Vec<String> = project
                .packages
                .iter()
                .filter(|p| !p.is_module)
                .map(|p| format!("`{}`", p.path))
                .collect();
            let targets = if packages.is_empty() {
                "the top folder of each import package".to_string()
            } else {
                packages.join(", ")
            };
            let (message, help) = match &stray.place {
                Place::BesideManifest => (
                    format!(
                        "`{}` sits beside the manifest of project `{name}`, outside any import package: type checkers never see it",
                        stray.marker
                    ),
                    format!("move it into {targets}"),
                ),
                Place::InSrc => (
                    format!(
                        "`{}` sits directly in `src/` of project `{name}`, outside any import package: type checkers never see it",
                        stray.marker
                    ),
                    format!("move it into {targets}"),
                ),
                Place::InSubpackage { top } => (
                    format!(
                        "`{}` marks only a subpackage; PEP 561 reads the marker in the top-level package `{top}`, which has none",
                        stray.marker
                    ),
                    format!("move it to `{top}/py.typed` (it then covers every subpackage)"),
                ),
            };
            Finding::new(Location::path(stray.marker.clone()), message).with_help(help)
        })
        .collect()
}
