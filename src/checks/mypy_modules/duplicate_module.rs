//! TYP003: two files under one module name, or one file under two: mypy stops with
//! "Duplicate module named …" or "Source file found twice under different module names".

use crate::diagnostic::{Edit, Finding, Fix, Location};
use crate::model::Repo;
use crate::model::mypy::MypyModules;
use crate::paths::RelPath;

/// How many other files of a collision set one diagnostic names.
const MAX_RELATED: usize = 10;

pub(super) fn check(repo: &Repo, mypy: &MypyModules) -> Vec<Finding> {
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
                .with_help(duplicate_help(repo, mypy, path))
                .with_fix(package_this_one(repo, mypy, path, module));
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
                .with_fix(package_as_imported(
                    repo,
                    mypy,
                    &twice.path,
                    &twice.imported_module,
                ))
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

fn duplicate_help(repo: &Repo, mypy: &MypyModules, path: &RelPath) -> String {
    // The name starts below the first folder without `__init__.py`: one there lengthens it.
    let mut folder = path.parent().unwrap_or_default();
    while !folder.is_root() && is_package(repo, &folder) {
        folder = folder.parent().unwrap_or_default();
    }
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

fn is_package(repo: &Repo, folder: &RelPath) -> bool {
    repo.files.exists(&folder.child("__init__.py"))
        || repo.files.exists(&folder.child("__init__.pyi"))
}

/// Whether mypy names files by the `__init__.py` crawl (not by explicit bases), so that a
/// new `__init__.py` decides a file's name.
fn crawls(mypy: &MypyModules) -> bool {
    !mypy
        .settings
        .explicit_package_bases
        .as_ref()
        .is_some_and(|s| s.value)
}

/// Creates the empty `__init__.py` of each of `folders` (none may exist yet, and each
/// name must be an identifier, or mypy would stop on an invalid package name instead).
fn create_inits(repo: &Repo, folders: &[RelPath]) -> Option<Fix> {
    let mut edits = Vec::new();
    for folder in folders {
        let name = folder.file_name();
        if folder.is_root() || !crate::model::mypy::mapping::is_identifier(name) {
            return None;
        }
        let init = folder.child("__init__.py");
        if is_package(repo, folder) {
            return None;
        }
        edits.push(Edit::Create {
            path: init,
            content: String::new(),
        });
    }
    let list: Vec<String> = edits.iter().map(|e| format!("`{}`", e.path())).collect();
    Some(Fix::safe(
        format!("create an empty {}", list.join(", ")),
        edits,
    ))
}

/// A duplicate named by its file alone (`handler`): its folder becomes a package, so mypy
/// names it `<folder>.handler`, when no other source has that name.
fn package_this_one(repo: &Repo, mypy: &MypyModules, path: &RelPath, module: &str) -> Option<Fix> {
    let folder = path.parent()?;
    let stem = path.file_name().strip_suffix(".py")?;
    if !crawls(mypy) || module != stem || module.contains('.') {
        return None;
    }
    let renamed = format!("{}.{module}", folder.file_name());
    if mypy.sources.iter().any(|s| s.module == renamed) {
        return None;
    }
    create_inits(repo, &[folder])
}

/// A file imported as `a.b.main` but named `main` as a source: the folders above it that
/// the import spells become packages, so both names agree.
fn package_as_imported(
    repo: &Repo,
    mypy: &MypyModules,
    path: &RelPath,
    imported: &str,
) -> Option<Fix> {
    if !crawls(mypy) {
        return None;
    }
    let mut parts: Vec<&str> = imported.split('.').collect();
    let stem = path.file_name().strip_suffix(".py")?;
    if parts.pop()? != stem {
        return None;
    }
    let mut folders = Vec::new();
    let mut folder = path.parent()?;
    for part in parts.iter().rev() {
        if folder.file_name() != *part {
            return None;
        }
        if !repo.files.exists(&folder.child("__init__.py")) {
            folders.push(folder.clone());
        }
        folder = folder.parent()?;
    }
    if folders.is_empty() {
        return None;
    }
    create_inits(repo, &folders)
}
