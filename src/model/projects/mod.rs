//! Projects: every folder whose `pyproject.toml`, `setup.cfg` or `setup.py` declares a
//! distribution, with its name, build backend, package selection and import packages.
//!
//! Manifests are read, never executed: `setup.py` is parsed and only literal arguments of
//! its `setup(...)` call count. Each manifest format has its own module returning
//! [`ManifestFacts`]; this module merges them and finds the import packages.

mod discover;
mod found_packages;
mod named_paths;
mod package_data;
mod pyproject;
mod setup_cfg;
mod setup_py;

use std::ops::Range;

use super::Repo;
use crate::paths::RelPath;

pub use discover::FLAT_LAYOUT_EXCLUDES;
pub(crate) use discover::{MANIFESTS, find_projects};
pub use package_data::PackageData;

/// The build backend named by `[build-system] build-backend`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `setuptools.build_meta`, or no `build-backend` at all (pip's legacy fallback).
    Setuptools,
    Poetry,
    Hatchling,
    Flit,
    Pdm,
    Other(String),
    /// `build-backend` is present but not a string.
    Unknown,
}

impl Backend {
    /// The backend for a `build-backend` value (`None` when the key is missing).
    pub fn from_build_backend(value: Option<&str>) -> Self {
        let Some(value) = value else {
            return Backend::Setuptools;
        };
        match value.trim() {
            "setuptools.build_meta" | "setuptools.build_meta:__legacy__" => Backend::Setuptools,
            "poetry.core.masonry.api" | "poetry.masonry.api" => Backend::Poetry,
            "hatchling.build" => Backend::Hatchling,
            "flit_core.buildapi" | "flit.buildapi" => Backend::Flit,
            "pdm.backend" | "pdm.pep517.api" => Backend::Pdm,
            other => Backend::Other(other.to_string()),
        }
    }

    /// The name users know the backend by (`poetry-core`, `hatchling`, …).
    pub fn display_name(&self) -> &str {
        match self {
            Backend::Setuptools => "setuptools",
            Backend::Poetry => "poetry-core",
            Backend::Hatchling => "hatchling",
            Backend::Flit => "flit-core",
            Backend::Pdm => "pdm-backend",
            Backend::Other(name) => name,
            Backend::Unknown => "an unknown backend",
        }
    }
}

/// A distribution declared in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The folder holding the manifest.
    pub dir: RelPath,
    /// The file that declares the project: `pyproject.toml`, else `setup.cfg`, else `setup.py`.
    pub manifest: RelPath,
    pub name: Option<String>,
    /// The file and byte span of the name's value (quotes included in TOML).
    pub name_span: Option<(RelPath, Range<usize>)>,
    pub backend: Backend,
    /// Whether the manifest selects packages itself (poetry `packages`, hatch `packages` /
    /// `include` / `only-include`, setuptools `packages` / `package-dir` / `packages.find`, flit
    /// `[tool.flit.module]`, pdm `includes` / `package-dir`, `setup(packages=…)`).
    pub explicit_selection: bool,
    /// The import packages live under `<dir>/src/`.
    pub src_layout: bool,
    /// Top-level import packages and modules, sorted by path.
    pub packages: Vec<ImportPackage>,
    /// `false` for Poetry's `package-mode = false`: a dependency manifest only, nothing built.
    pub package_mode: bool,
    /// Every path the explicit package selection names, where it is written.
    pub selection_paths: Vec<SelectionPath>,
    /// What decides whether data files such as `py.typed` reach the wheel.
    pub package_data: PackageData,
}

/// A path an explicit package selection names (`[tool.poetry] packages`, hatch
/// `packages`, setuptools `package-dir`, …), and where the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionPath {
    /// Relative to the project folder, as the backend joins it (may escape the root).
    pub path: String,
    /// The manifest and the span of the value naming it.
    pub file: RelPath,
    pub span: Range<usize>,
    /// The setting, for messages (`[tool.poetry] packages`).
    pub key: &'static str,
}

/// A top-level import package (a folder) or module (a `.py` file) of a project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportPackage {
    /// The import name (`my_lambda`).
    pub name: String,
    /// The package folder, or the module file.
    pub path: RelPath,
    pub is_module: bool,
    /// `py.typed` sits in the package folder (always `false` for modules).
    pub has_py_typed: bool,
}

impl Project {
    /// The `src/` folder whose contents are this project's import packages: `<dir>/src` when
    /// it exists and the packages live there, or nothing selects packages elsewhere.
    pub fn src_dir(&self, repo: &Repo) -> Option<RelPath> {
        let src = self.dir.child("src");
        (repo.files.is_dir(&src) && (self.src_layout || !self.explicit_selection)).then_some(src)
    }

    /// The normalised project name, when it has one.
    pub fn normalised_name(&self) -> Option<String> {
        self.name.as_deref().map(normalise_name)
    }
}

/// PEP 503 normalisation, in the import-name form build backends use:
/// lowercase, every run of `-`, `_` and `.` becomes one `_`.
pub fn normalise_name(name: &str) -> String {
    collapse_separators(name, true)
}

/// Every run of `-`, `_` and `.` in `name` becomes one `_`; optionally lowercased.
pub fn collapse_separators(name: &str, lowercase: bool) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('_');
            }
            in_run = true;
        } else {
            if lowercase {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            in_run = false;
        }
    }
    out
}

/// What one manifest file says about a project.
#[derive(Debug, Default, Clone)]
pub(crate) struct ManifestFacts {
    /// The file declares a distribution (`[project]`, `[tool.poetry]`, `[metadata]`, `setup.py`).
    pub declares: bool,
    /// A `pyproject.toml` with `[build-system]` (counts only beside setup.cfg/setup.py).
    pub has_build_system: bool,
    pub name: Option<(String, Range<usize>)>,
    pub backend_value: Option<Result<String, ()>>,
    pub selection: Option<Selection>,
    pub package_mode: bool,
    /// `[tool.flit.module] name`.
    pub flit_module: Option<String>,
    /// The paths its package selection names.
    pub named_paths: Vec<named_paths::NamedPath>,
    pub package_data: PackageData,
}

/// An explicit package selection, as paths relative to the project folder.
#[derive(Debug, Default, Clone)]
pub(crate) struct Selection {
    /// Selected top-level packages or modules.
    pub entries: Vec<Selected>,
    /// Folders in which every package is selected (setuptools `find`, pdm `package-dir`).
    pub find_in: Vec<String>,
}

/// One selected path: a `.py` file is a module, a folder a package. A folder that may be a
/// container (`only-include = ["src"]`) and has no `__init__.py` selects the packages in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selected {
    pub path: String,
    /// The import name when it differs from the file name (setuptools `package_dir`).
    pub name: Option<String>,
    pub container_ok: bool,
}

impl Selected {
    pub fn path(path: &str, container_ok: bool) -> Self {
        Self {
            path: path.trim_end_matches('/').to_string(),
            name: None,
            container_ok,
        }
    }
}

impl Selection {
    pub fn merge(&mut self, other: Selection) {
        self.entries.extend(other.entries);
        self.find_in.extend(other.find_in);
    }
}

impl Repo {
    /// The projects whose folder is `dir` or lies below it, by binary search (projects are
    /// sorted by folder, so those below `dir` are one contiguous run).
    pub fn projects_under(&self, dir: &RelPath) -> impl Iterator<Item = &Project> {
        let projects = self.projects();
        let at = projects
            .binary_search_by(|p| p.dir.cmp(dir))
            .ok()
            .and_then(|i| projects.get(i));
        let prefix = if dir.is_root() {
            String::new()
        } else {
            format!("{}/", dir.as_str())
        };
        let start = projects.partition_point(|p| p.dir.as_str() < prefix.as_str());
        let below = projects[start..]
            .iter()
            .take_while(move |p| p.dir.as_str().starts_with(prefix.as_str()))
            .filter(|p| !p.dir.is_root());
        at.into_iter().chain(below)
    }

    /// The import packages (folders, not single-file modules) that are `path` or hold it,
    /// with their projects, in project order then package order.
    pub fn packages_holding(&self, path: &RelPath) -> Vec<(&Project, &ImportPackage)> {
        let projects = self.projects();
        let index = self.facet::<crate::model::facets::package_index::PackageIndex>();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut dir = Some(path.clone());
        while let Some(current) = dir {
            found.extend(index.get(&current).into_iter().flatten());
            dir = current.parent();
        }
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|(i, j)| {
                let project = projects.get(i)?;
                Some((project, project.packages.get(j)?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_pep_503() {
        assert_eq!(normalise_name("My-Lambda"), "my_lambda");
        assert_eq!(normalise_name("a.-_b"), "a_b");
        assert_eq!(normalise_name("shared"), "shared");
    }

    #[test]
    fn names_backends() {
        assert_eq!(
            Backend::from_build_backend(Some("poetry.core.masonry.api")),
            Backend::Poetry
        );
        assert_eq!(Backend::from_build_backend(None), Backend::Setuptools);
        assert_eq!(
            Backend::from_build_backend(Some("maturin")),
            Backend::Other("maturin".into())
        );
    }

    fn repo(files: &[(&str, &str)]) -> Repo {
        let sources = files
            .iter()
            .map(|(p, t)| (RelPath::parse(p).unwrap(), t.to_string()))
            .collect();
        Repo::from_sources(std::path::PathBuf::from("/nonexistent"), sources)
    }

    #[test]
    fn models_seed_001_setup_cfg_layer() {
        let repo = repo(&[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n",
            ),
            (
                "setup.cfg",
                "[metadata]\nname = shared\n[options]\npackage_dir =\n    =layer\npackages = find:\n[options.packages.find]\nwhere = layer\n",
            ),
            ("layer/shared/__init__.py", ""),
            ("layer/shared/py.typed", ""),
            ("functions/add/handler.py", ""),
        ]);
        let [project] = repo.projects() else {
            panic!("one project expected: {:?}", repo.projects())
        };
        assert_eq!(project.manifest.as_str(), "setup.cfg");
        assert_eq!(project.name.as_deref(), Some("shared"));
        assert_eq!(project.backend, Backend::Setuptools);
        assert!(project.explicit_selection);
        assert!(!project.src_layout);
        assert_eq!(project.packages.len(), 1);
        assert_eq!(project.packages[0].path.as_str(), "layer/shared");
        assert!(project.packages[0].has_py_typed);
    }

    #[test]
    fn models_seed_002_poetry_src_layout() {
        let repo = repo(&[
            (
                "pyproject.toml",
                "[tool.poetry]\nname = \"my-lambda\"\n[build-system]\nbuild-backend = \"poetry.core.masonry.api\"\n",
            ),
            ("src/my_lambda/__init__.py", ""),
            ("src/my_lambda/handler.py", ""),
            ("tests/test_my_handler.py", ""),
        ]);
        let [project] = repo.projects() else {
            panic!("one project expected")
        };
        assert_eq!(project.backend, Backend::Poetry);
        assert!(!project.explicit_selection);
        assert!(project.src_layout);
        assert_eq!(project.packages[0].path.as_str(), "src/my_lambda");
        assert!(!project.packages[0].has_py_typed);
        let (file, span) = project.name_span.clone().unwrap();
        assert_eq!(file.as_str(), "pyproject.toml");
        assert_eq!(span, 21..32);
    }

    #[test]
    fn a_lambda_src_folder_is_not_a_project() {
        let repo = repo(&[
            ("template.yaml", ""),
            ("src/app.py", ""),
            ("pyproject.toml", "[tool.mypy]\nstrict = true\n"),
        ]);
        assert!(repo.projects().is_empty());
    }
}
