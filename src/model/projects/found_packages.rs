//! A project's import packages: the explicit selection's paths, or what its backend
//! discovers (the rules are listed in [`super::discover`]).

use std::collections::BTreeSet;

use super::discover::{DirFacts, FLAT_LAYOUT_EXCLUDES};
use super::{Backend, ImportPackage, Project, Selected, normalise_name};
use crate::model::Repo;
use crate::paths::RelPath;

pub(super) fn packages(
    repo: &Repo,
    project: &Project,
    facts: &DirFacts,
    project_dirs: &BTreeSet<RelPath>,
) -> Vec<ImportPackage> {
    if !project.package_mode {
        return Vec::new();
    }
    let dir = &project.dir;
    let selection = [&facts.pyproject, &facts.setup_cfg, &facts.setup_py]
        .into_iter()
        .flatten()
        .find_map(|f| f.selection.as_ref());
    let mut found: Vec<ImportPackage> = Vec::new();
    if let Some(selection) = selection {
        for entry in &selection.entries {
            resolve_selected(repo, dir, entry, &mut found);
        }
        for folder in &selection.find_in {
            if let Ok(folder) = dir.join_relative(folder) {
                packages_in(repo, &folder, false, project_dirs, &mut found);
            }
        }
    } else {
        let flit_module = facts.pyproject.as_ref().and_then(|p| p.flit_module.clone());
        match (&project.backend, &project.name) {
            (Backend::Flit, _) if flit_module.is_some() => {
                let module = flit_module.unwrap_or_default().replace('.', "/");
                by_name(repo, dir, &[module], &project.backend, &mut found);
            }
            (Backend::Poetry | Backend::Hatchling | Backend::Flit, Some(name)) => {
                let mut names = vec![normalise_name(name)];
                let kept_case = kept_case_name(name);
                if !names.contains(&kept_case) {
                    names.push(kept_case);
                }
                by_name(repo, dir, &names, &project.backend, &mut found);
            }
            (Backend::Poetry | Backend::Hatchling | Backend::Flit, None) => {}
            _ => {
                let src = dir.child("src");
                if repo.files.is_dir(&src) {
                    packages_in(repo, &src, false, project_dirs, &mut found);
                } else {
                    packages_in(repo, dir, true, project_dirs, &mut found);
                }
            }
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.path == b.path);
    found
}

/// `My.App` -> `My_App`: hatchling also tries the raw name with separators replaced.
fn kept_case_name(name: &str) -> String {
    super::collapse_separators(name, false)
}

/// `a/b` -> `a/b.py`.
fn with_py(path: &RelPath) -> RelPath {
    let file = format!("{}.py", path.file_name());
    path.parent().unwrap_or_default().child(&file)
}

fn package(repo: &Repo, path: RelPath, name: String) -> ImportPackage {
    let has_py_typed = repo.files.is_file(&path.child("py.typed"));
    ImportPackage {
        name,
        path,
        is_module: false,
        has_py_typed,
    }
}

fn module(path: RelPath, name: String) -> ImportPackage {
    ImportPackage {
        name,
        path,
        is_module: true,
        has_py_typed: false,
    }
}

fn resolve_selected(repo: &Repo, dir: &RelPath, entry: &Selected, found: &mut Vec<ImportPackage>) {
    let Ok(path) = dir.join_relative(&entry.path) else {
        return;
    };
    if path == *dir {
        // `only-include = ["."]` or `package_dir = {"": "."}`: the project folder itself.
        packages_in(repo, dir, true, &BTreeSet::new(), found);
        return;
    }
    if repo.files.is_file(&path) && path.extension() == Some("py") {
        let name = entry
            .name
            .clone()
            .unwrap_or_else(|| path.stem().to_string());
        found.push(module(path, name));
    } else if repo.files.is_dir(&path) {
        if entry.container_ok && !repo.files.is_file(&path.child("__init__.py")) {
            packages_in(repo, &path, false, &BTreeSet::new(), found);
        } else {
            let name = entry
                .name
                .clone()
                .unwrap_or_else(|| path.file_name().to_string());
            found.push(package(repo, path, name));
        }
    }
}

/// Every folder with `__init__.py` directly in `folder`.
fn packages_in(
    repo: &Repo,
    folder: &RelPath,
    flat: bool,
    project_dirs: &BTreeSet<RelPath>,
    found: &mut Vec<ImportPackage>,
) {
    let children: Vec<RelPath> = repo
        .files
        .children(folder)
        .filter(|e| repo.files.is_dir(&e.path))
        .map(|e| e.path.clone())
        .collect();
    for child in children {
        let name = child.file_name();
        if flat
            && (name.starts_with(['.', '_'])
                || FLAT_LAYOUT_EXCLUDES.contains(&name)
                || project_dirs.contains(&child))
        {
            continue;
        }
        if !is_identifier(name) || !repo.files.is_file(&child.child("__init__.py")) {
            continue;
        }
        let name = name.to_string();
        found.push(package(repo, child, name));
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Name-based discovery of poetry-core, hatchling and flit-core; the first hit wins.
fn by_name(
    repo: &Repo,
    dir: &RelPath,
    names: &[String],
    backend: &Backend,
    found: &mut Vec<ImportPackage>,
) {
    let src = dir.child("src");
    let import_name = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    for name in names {
        let Ok(beside) = dir.join_relative(name) else {
            continue;
        };
        let Ok(in_src) = src.join_relative(name) else {
            continue;
        };
        let beside_py = with_py(&beside);
        let src_py = with_py(&in_src);
        let is_pkg = |p: &RelPath| match backend {
            // poetry-core takes any folder of that name, `__init__.py` or not.
            Backend::Poetry => repo.files.is_dir(p),
            _ => repo.files.is_file(&p.child("__init__.py")),
        };
        let candidates: Vec<(RelPath, bool)> = match backend {
            Backend::Hatchling => vec![(beside.clone(), false), (in_src, false), (beside_py, true)],
            Backend::Flit | Backend::Poetry => vec![
                (beside.clone(), false),
                (beside_py, true),
                (in_src, false),
                (src_py, true),
            ],
            _ => Vec::new(),
        };
        for (path, is_module) in candidates {
            if is_module && repo.files.is_file(&path) {
                found.push(module(path, import_name(name)));
                return;
            }
            if !is_module && is_pkg(&path) {
                found.push(package(repo, path, import_name(name)));
                return;
            }
        }
        if *backend == Backend::Hatchling {
            // One `*/<name>/__init__.py`: a package inside a namespace folder.
            let nested: Vec<RelPath> = repo
                .files
                .children(dir)
                .map(|e| e.path.child(name))
                .filter(|p| repo.files.is_file(&p.child("__init__.py")))
                .collect();
            if let [only] = nested.as_slice() {
                found.push(package(repo, only.clone(), import_name(name)));
                return;
            }
        }
    }
}
