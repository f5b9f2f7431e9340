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
    Backend, ManifestFacts, PackageData, Project, SelectionPath, pyproject, setup_cfg, setup_py,
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
        project.packages = super::found_packages::packages(repo, &project, &facts, &project_dirs);
        project.src_layout = !project.packages.is_empty()
            && project
                .packages
                .iter()
                .all(|p| p.path.starts_with(&project.dir.child("src")));
        project
    })
}

/// The facts of the manifest that wins for each question, in order pyproject, setup.cfg, setup.py.
pub(super) struct DirFacts {
    pub(super) pyproject: Option<ManifestFacts>,
    pub(super) setup_cfg: Option<ManifestFacts>,
    pub(super) setup_py: Option<ManifestFacts>,
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
