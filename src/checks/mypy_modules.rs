//! `mypy-modules`: what `mypy` run at the repository root would abort on, from the shared
//! mypy facet ([`crate::model::mypy`]). `finding` picks the rule: two files under one
//! module name or one file under two (`duplicate-module`, TYP003), or a package folder
//! whose name is not an identifier (`invalid-package-name`, TYP005), or a `files` entry
//! that gives mypy nothing to read (`target-missing`, TYP006). mypy stops at the first of
//! these; every one is reported here.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::mypy::{MissingKind, MypyModules};
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MypyModulesCheck {
    pub finding: MypyFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MypyFinding {
    DuplicateModule,
    InvalidPackageName,
    TargetMissing,
}

impl MypyModulesCheck {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mypy = repo.mypy_modules();
        match self.finding {
            MypyFinding::DuplicateModule => duplicate_modules(&mypy),
            MypyFinding::InvalidPackageName => invalid_packages(&mypy),
            MypyFinding::TargetMissing => missing_targets(repo, &mypy),
        }
    }
}

/// How many other files of a collision set one diagnostic names.
const MAX_RELATED: usize = 10;

fn duplicate_modules(mypy: &MypyModules) -> Vec<Finding> {
    let mut findings = Vec::new();
    for set in &mypy.duplicates {
        let mut paths: Vec<&RelPath> = set
            .iter()
            .filter_map(|&i| mypy.sources.get(i))
            .map(|s| &s.path)
            .collect();
        let Some(module) = set
            .first()
            .and_then(|&i| mypy.sources.get(i))
            .map(|s| s.module.as_str())
        else {
            continue;
        };
        paths.sort();
        let Some((first, rest)) = paths.split_first() else {
            continue;
        };
        for (index, path) in rest.iter().enumerate() {
            let previous = paths.get(index).copied().unwrap_or(first);
            if *path == previous {
                findings.push(listed_twice(mypy, path, module));
                continue;
            }
            let message = format!("Duplicate module named \"{module}\" (also at \"{first}\")");
            let mut finding = Finding::new(Location::path((*path).clone()), message)
                .with_help(duplicate_help(mypy, path));
            // Name the others, up to a bound: a set of thousands (a `conftest.py` in every
            // service) would otherwise make the report quadratic in size.
            let others: Vec<&&RelPath> = paths.iter().filter(|p| *p != path).collect();
            for other in others.iter().take(MAX_RELATED) {
                finding = finding.with_related(
                    Location::path((**other).clone()),
                    format!("also module `{module}`"),
                );
            }
            if others.len() > MAX_RELATED {
                let more = others.len() - MAX_RELATED;
                finding
                    .message
                    .push_str(&format!(" and {more} more files named `{module}`"));
            }
            findings.push(finding);
        }
    }
    for twice in &mypy.found_twice {
        let message = format!(
            "Source file found twice under different module names: \"{}\" and \"{}\"",
            twice.source_module, twice.imported_module
        );
        let help = format!(
            "make both names agree: add `__init__.py` to the folders above `{}` up to the \
             folder imports start from, or set `explicit_package_bases = true` (with \
             `mypy_path` naming the base folder) so mypy names the file `{}` as a source too",
            twice.path, twice.imported_module
        );
        findings.push(
            Finding::new(Location::path(twice.path.clone()), message)
                .with_help(help)
                .with_related(
                    Location::span(twice.importer.clone(), twice.import_span.clone()),
                    format!("imported here as `{}`", twice.imported_module),
                ),
        );
    }
    findings
}

/// The same file given twice in `files`: mypy reports it as a duplicate of itself.
fn listed_twice(mypy: &MypyModules, path: &RelPath, module: &str) -> Finding {
    let message = format!(
        "Duplicate module named \"{module}\" (also at \"{path}\"): `files` reaches `{path}` twice"
    );
    let location = match &mypy.settings.files {
        Some(files) => Location::span(files.path.clone(), files.span.clone()),
        None => Location::path(path.clone()),
    };
    Finding::new(location, message)
        .with_help("list each file or folder once in `files` (a folder already includes its files)")
}

fn duplicate_help(mypy: &MypyModules, path: &RelPath) -> String {
    let folder = path.parent().unwrap_or_default();
    let config = match &mypy.settings.config {
        Some(config) => format!("in `{config}`"),
        None => {
            "in a mypy configuration (`[tool.mypy]` in `pyproject.toml` or `mypy.ini`)".to_string()
        }
    };
    format!(
        "give each file its own module name: add an empty `__init__.py` to `{folder}` (and to \
         the other file's folder), or set `explicit_package_bases = true` {config}, with \
         `mypy_path` naming the folder module names start from; or leave one file out with \
         mypy's `exclude`"
    )
}

fn invalid_packages(mypy: &MypyModules) -> Vec<Finding> {
    let mut findings = Vec::new();
    for invalid in &mypy.invalid_packages {
        let init_name = invalid.init.file_name();
        let message = format!(
            "{} contains {init_name} but is not a valid Python package name",
            invalid.name
        );
        let help = format!(
            "rename the folder to an identifier (such as `{}`), or delete `{}` if the folder is \
             not meant to be imported as a package (a Lambda code root needs none); or leave it \
             out of mypy's run with `exclude`",
            invalid.name.replace(['-', '.', ' '], "_"),
            invalid.init
        );
        findings.push(
            Finding::new(Location::path(invalid.dir.clone()), message)
                .with_help(help)
                .with_related(Location::path(invalid.init.clone()), "makes it a package"),
        );
    }
    findings
}

fn missing_targets(repo: &Repo, mypy: &MypyModules) -> Vec<Finding> {
    let Some(files) = &mypy.settings.files else {
        return Vec::new();
    };
    let text = repo.read(&files.path).ok();
    // The entry as written inside the setting, else the whole setting.
    let location = |entry: &str| {
        let found = text.as_ref().and_then(|source| {
            let setting = source.text.get(files.span.clone())?;
            let at = files.span.start + setting.find(entry)?;
            Some(at..at + entry.len())
        });
        Location::span(files.path.clone(), found.unwrap_or(files.span.clone()))
    };
    mypy.missing_targets
        .iter()
        .map(|missing| {
            let entry = &missing.entry;
            let (message, help) = match missing.kind {
                MissingKind::NotFound => (
                    format!(
                        "mypy `files` entry `{entry}` matches nothing: mypy stops with \
                         \"{entry}: error: Cannot read file: No such file or directory\""
                    ),
                    format!(
                        "fix the path or glob `{entry}` (paths are relative to the folder mypy \
                         runs in, the repository root), or remove it from `files`"
                    ),
                ),
                MissingKind::NoPythonFiles => (
                    format!(
                        "mypy `files` reaches folder `{entry}`, which holds no `.py` or `.pyi` \
                         file mypy would check: mypy stops with \"There are no .py[i] files in \
                         directory '{entry}'\""
                    ),
                    format!(
                        "name the folder that holds the Python code, or remove `{entry}` from \
                         `files` (an `exclude` that covers every file in it has the same effect)"
                    ),
                ),
            };
            Finding::new(location(entry), message).with_help(help)
        })
        .collect()
}
