//! TYP002: an import package holds `py.typed`, but the project's own build leaves it out
//! of the wheel. Only what the manifest says for sure is reported: setuptools pinned
//! below 69 with no package data naming the marker (and no `MANIFEST.in` or VCS plugin
//! that could add it), or an exclude of setuptools, hatchling or poetry-core matching it.

use globset::GlobBuilder;
use ignore::gitignore::GitignoreBuilder;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::fnmatch::fnmatch;
use crate::model::projects::{Backend, ImportPackage, PackageData, Project};

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    let mut findings = Vec::new();
    for project in repo.projects().iter().filter(|p| p.package_mode) {
        for package in project.packages.iter().filter(|p| p.has_py_typed) {
            if let Some(reason) = left_out(repo, project, package) {
                let marker = package.path.child("py.typed");
                findings.push(
                    Finding::new(
                        Location::path(marker.clone()),
                        format!(
                            "`{marker}` is not shipped in the wheel of project `{}`: {}",
                            project.name.as_deref().unwrap_or(project.dir.as_str()),
                            reason.why
                        ),
                    )
                    .with_help(reason.help),
                );
            }
        }
    }
    findings
}

struct Reason {
    why: String,
    help: String,
}

fn left_out(repo: &Repo, project: &Project, package: &ImportPackage) -> Option<Reason> {
    let data = &project.package_data;
    let marker = package.path.child("py.typed");
    let relative = marker.strip_prefix(&project.dir).unwrap_or(marker.as_str());
    match project.backend {
        Backend::Setuptools => setuptools(repo, project, package, data),
        Backend::Hatchling if !data.hatch_reincludes => {
            let pattern = data
                .hatch_exclude
                .iter()
                .find(|p| gitignore_matches(p, relative))?;
            Some(Reason {
                why: format!("hatchling's `exclude` pattern `{pattern}` matches it"),
                help: format!(
                    "narrow the `exclude` pattern `{pattern}` (under `[tool.hatch.build]` or its wheel target) so that it spares `{relative}`"
                ),
            })
        }
        Backend::Poetry if !data.poetry_includes => {
            let pattern = data
                .poetry_exclude
                .iter()
                .find(|p| path_glob_matches(p, relative))?;
            Some(Reason {
                why: format!("poetry-core's `exclude` pattern `{pattern}` matches it"),
                help: format!(
                    "narrow the `exclude` pattern `{pattern}` under `[tool.poetry]` so that it spares `{relative}`"
                ),
            })
        }
        _ => None,
    }
}

/// Whether a setuptools package-data table names `py.typed` for `package`.
fn names_marker(table: &[(String, Vec<String>)], package: &str) -> Option<String> {
    table
        .iter()
        .filter(|(key, _)| key.is_empty() || key == "*" || key == package)
        .flat_map(|(_, patterns)| patterns)
        .find(|pattern| fnmatch("py.typed", pattern.trim()))
        .cloned()
}

fn setuptools(
    repo: &Repo,
    project: &Project,
    package: &ImportPackage,
    data: &PackageData,
) -> Option<Reason> {
    if data.unread_settings {
        return None;
    }
    if let Some(pattern) = names_marker(&data.exclude_package_data, &package.name) {
        return Some(Reason {
            why: format!("setuptools' `exclude-package-data` pattern `{pattern}` matches it"),
            help: format!("remove `{pattern}` from `exclude-package-data`"),
        });
    }
    let manifest_in = repo.files.is_file(&project.dir.child("MANIFEST.in"));
    if !data.setuptools_below_69
        || data.vcs_plugin
        || manifest_in
        || names_marker(&data.package_data, &package.name).is_some()
    {
        return None;
    }
    let table = if project.manifest.file_name() == "setup.cfg" {
        "`[options.package_data]` `* = py.typed` in `setup.cfg`"
    } else {
        "`\"*\" = [\"py.typed\"]` under `[tool.setuptools.package-data]`"
    };
    Some(Reason {
        why: "`[build-system] requires` pins setuptools below 69, which ships package data only when told to".to_string(),
        help: format!("add {table}, or allow setuptools 69 or later in `[build-system] requires`"),
    })
}

/// hatchling's patterns are gitignore patterns, matched against the path from the project folder.
fn gitignore_matches(pattern: &str, relative: &str) -> bool {
    let mut builder = GitignoreBuilder::new("/");
    if builder.add_line(None, pattern).is_err() {
        return false;
    }
    builder.build().is_ok_and(|matcher| {
        matcher
            .matched_path_or_any_parents(format!("/{relative}"), false)
            .is_ignore()
    })
}

/// poetry-core globs the project folder with each pattern (`**` spans folders, `*` does not).
fn path_glob_matches(pattern: &str, relative: &str) -> bool {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .is_ok_and(|glob| glob.compile_matcher().is_match(relative))
}
