//! Finding projects and their import packages.
//!
//! With an explicit selection, the selected paths are the packages. Without one, packages
//! are found the way the backend finds them:
//! - poetry-core: `<name>/` or `<name>.py` beside the manifest, else under `src/`;
//! - hatchling: `<name>/__init__.py`, `src/<name>/__init__.py`, `<name>.py`, or one
//!   `*/<name>/__init__.py`;
//! - flit-core: `<module>/__init__.py` or `<module>.py`, beside the manifest or under `src/`;
//! - setuptools, pdm-backend and others: every folder with `__init__.py` in `src/` when it
//!   exists, else beside the manifest minus setuptools' flat-layout exclusions
//!   ([`FLAT_LAYOUT_EXCLUDES`], names starting with `.` or `_`, nested projects).
//!   Loose modules are not discovered (the rules here are about package folders).
//!
//! `<name>` is the normalised project name, and for hatchling also the name with its case kept.

use std::collections::BTreeSet;

use super::{
    Backend, ImportPackage, ManifestFacts, PackageData, Project, Selected, SelectionPath,
    normalise_name, pyproject, setup_cfg, setup_py,
};
use crate::model::Repo;
use crate::paths::RelPath;

/// Top-level names setuptools' flat-layout discovery never treats as packages.
pub const FLAT_LAYOUT_EXCLUDES: &[&str] = &[
    "ci",
    "bin",
    "debian",
    "doc",
    "docs",
    "documentation",
    "manpages",
    "news",
    "newsfragments",
    "changelog",
    "test",
    "tests",
    "unit_test",
    "unit_tests",
    "example",
    "examples",
    "scripts",
    "tools",
    "util",
    "utils",
    "python",
    "build",
    "dist",
    "venv",
    "env",
    "requirements",
    "tasks",
    "fabfile",
    "site_scons",
    "benchmark",
    "benchmarks",
    "exercise",
    "exercises",
    "htmlcov",
    "node_modules",
    "site-packages",
];

pub(crate) const MANIFESTS: [&str; 3] = ["pyproject.toml", "setup.cfg", "setup.py"];

/// Folders never searched for manifests: tool caches, virtualenvs, vendored installs.
fn skipped_component(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "node_modules" | "site-packages" | "__pycache__")
}

pub(crate) fn find_projects(repo: &Repo) -> Vec<Project> {
    let dirs: BTreeSet<RelPath> = repo
        .files
        .files()
        .filter(|e| MANIFESTS.contains(&e.path.file_name()))
        .filter(|e| !e.path.components().any(skipped_component))
        .filter_map(|e| e.path.parent())
        .collect();
    let dirs: Vec<RelPath> = dirs.into_iter().collect();
    let projects: Vec<Project> = crate::par::map(&dirs, |dir| read_project(repo, dir))
        .into_iter()
        .flatten()
        .collect();
    let project_dirs: BTreeSet<RelPath> = projects.iter().map(|p| p.dir.clone()).collect();
    crate::par::map(&projects, |project| {
        let mut project = project.clone();
        let facts = project_facts(repo, &project.dir);
        project.packages = packages(repo, &project, &facts, &project_dirs);
        project.src_layout = !project.packages.is_empty()
            && project
                .packages
                .iter()
                .all(|p| p.path.starts_with(&project.dir.child("src")));
        project
    })
}

/// The facts of the manifest that wins for each question, in order pyproject, setup.cfg, setup.py.
struct DirFacts {
    pyproject: Option<ManifestFacts>,
    setup_cfg: Option<ManifestFacts>,
    setup_py: Option<ManifestFacts>,
}

fn project_facts(repo: &Repo, dir: &RelPath) -> DirFacts {
    let pyproject_path = dir.child("pyproject.toml");
    let cfg_path = dir.child("setup.cfg");
    let py_path = dir.child("setup.py");
    DirFacts {
        pyproject: repo
            .files
            .is_file(&pyproject_path)
            .then(|| pyproject::read(repo, &pyproject_path))
            .flatten(),
        setup_cfg: repo
            .files
            .is_file(&cfg_path)
            .then(|| setup_cfg::read(repo, &cfg_path))
            .flatten(),
        setup_py: repo
            .files
            .is_file(&py_path)
            .then(|| setup_py::read(repo, &py_path)),
    }
}

fn read_project(repo: &Repo, dir: &RelPath) -> Option<Project> {
    let facts = project_facts(repo, dir);
    let pp = facts.pyproject.as_ref();
    let cfg = facts.setup_cfg.as_ref();
    let py = facts.setup_py.as_ref();
    let cfg_named = cfg.is_some_and(|c| c.name.is_some());
    let pp_declares = pp.is_some_and(|p| p.declares);
    let is_project = pp_declares
        || (pp.is_some_and(|p| p.has_build_system) && (cfg_named || py.is_some()))
        || cfg.is_some_and(|c| c.declares)
        || py.is_some();
    if !is_project {
        return None;
    }
    let manifest = if pp_declares {
        dir.child("pyproject.toml")
    } else if cfg.is_some_and(|c| c.declares) {
        dir.child("setup.cfg")
    } else if py.is_some() {
        dir.child("setup.py")
    } else {
        dir.child("pyproject.toml")
    };
    let named = [(pp, "pyproject.toml"), (cfg, "setup.cfg"), (py, "setup.py")]
        .into_iter()
        .find_map(|(facts, file)| Some((facts?.name.clone()?, file)));
    let backend = match pp.and_then(|p| p.backend_value.clone()) {
        None => Backend::Setuptools,
        Some(Ok(value)) => Backend::from_build_backend(Some(&value)),
        Some(Err(())) => Backend::Unknown,
    };
    let explicit_selection = [pp, cfg, py]
        .into_iter()
        .flatten()
        .any(|f| f.selection.is_some())
        || (backend == Backend::Flit && pp.is_some_and(|p| p.flit_module.is_some()));
    Some(Project {
        dir: dir.clone(),
        manifest,
        name: named.as_ref().map(|((name, _), _)| name.clone()),
        name_span: named.map(|((_, span), file)| (dir.child(file), span)),
        backend,
        explicit_selection,
        src_layout: false,
        packages: Vec::new(),
        package_mode: pp.is_none_or(|p| p.package_mode),
        selection_paths: selection_paths(dir, &facts),
        package_data: [pp, cfg, py].into_iter().flatten().fold(
            PackageData::default(),
            |mut data, f| {
                data.merge(f.package_data.clone());
                data
            },
        ),
    })
}

/// The named paths of each manifest, with the manifest they are written in.
fn selection_paths(dir: &RelPath, facts: &DirFacts) -> Vec<SelectionPath> {
    [
        (&facts.pyproject, "pyproject.toml"),
        (&facts.setup_cfg, "setup.cfg"),
        (&facts.setup_py, "setup.py"),
    ]
    .into_iter()
    .filter_map(|(facts, file)| Some((facts.as_ref()?, file)))
    .flat_map(|(facts, file)| {
        facts.named_paths.iter().map(move |n| SelectionPath {
            path: n.path.clone(),
            file: dir.child(file),
            span: n.span.clone(),
            key: n.key,
        })
    })
    .collect()
}

fn packages(
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
