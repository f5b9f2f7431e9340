//! `src-layout`: where a project's import packages live (LAY001–LAY004). Projects only: a
//! Lambda code folder called `src/` without packaging metadata is never looked at.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::{Backend, Project, normalise_name};
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SrcLayout {
    pub finding: SrcLayoutFinding,
    /// For `package-mismatch`: the backends that build only the package named after the
    /// project (default: poetry, hatchling, flit, pdm).
    #[serde(default = "default_backends")]
    pub backends: Vec<BackendName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SrcLayoutFinding {
    /// LAY001: an import package beside the manifest.
    FlatLayout,
    /// LAY002: a `.py` file directly in `src/`.
    StrayModule,
    /// LAY003: a folder of modules under `src/` without `__init__.py`.
    MissingInit,
    /// LAY004: no package matches the project name and nothing selects one.
    PackageMismatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendName {
    Setuptools,
    Poetry,
    Hatchling,
    Flit,
    Pdm,
}

fn default_backends() -> Vec<BackendName> {
    vec![
        BackendName::Poetry,
        BackendName::Hatchling,
        BackendName::Flit,
        BackendName::Pdm,
    ]
}

impl BackendName {
    fn matches(self, backend: &Backend) -> bool {
        let named = match self {
            BackendName::Setuptools => Backend::Setuptools,
            BackendName::Poetry => Backend::Poetry,
            BackendName::Hatchling => Backend::Hatchling,
            BackendName::Flit => Backend::Flit,
            BackendName::Pdm => Backend::Pdm,
        };
        *backend == named
    }
}

impl SrcLayout {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for project in repo.projects().iter().filter(|p| p.package_mode) {
            match self.finding {
                SrcLayoutFinding::FlatLayout => flat_layout(project, &mut findings),
                SrcLayoutFinding::StrayModule => stray_modules(repo, project, &mut findings),
                SrcLayoutFinding::MissingInit => missing_init(repo, project, &mut findings),
                SrcLayoutFinding::PackageMismatch => {
                    if self.backends.iter().any(|b| b.matches(&project.backend)) {
                        package_mismatch(repo, project, &mut findings);
                    }
                }
            }
        }
        findings
    }
}

fn project_label(project: &Project) -> String {
    match &project.name {
        Some(name) => format!("project `{name}`"),
        None => format!("the project of `{}`", project.manifest),
    }
}

fn flat_layout(project: &Project, findings: &mut Vec<Finding>) {
    for package in project.packages.iter().filter(|p| !p.is_module) {
        if package.path.parent().as_ref() != Some(&project.dir) {
            continue;
        }
        let target = project.dir.child("src").child(&package.name);
        findings.push(
            Finding::new(
                Location::path(package.path.clone()),
                format!(
                    "import package `{}` of {} sits beside `{}` instead of under `src/`",
                    package.name,
                    project_label(project),
                    project.manifest.file_name()
                ),
            )
            .with_help(format!(
                "move it to `{target}/` so tests import the installed package, not the working copy"
            )),
        );
    }
}

fn stray_modules(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
    let Some(src) = project.src_dir(repo) else {
        return;
    };
    let own_name = project.normalised_name();
    for entry in repo.files.children(&src) {
        if !repo.files.is_file(&entry.path) || entry.path.extension() != Some("py") {
            continue;
        }
        // A single-module distribution (`src/<name>.py`) is the project itself.
        let is_the_module = project
            .packages
            .iter()
            .any(|p| p.is_module && p.path == entry.path)
            && own_name.as_deref() == Some(normalise_name(entry.path.stem()).as_str());
        if is_the_module {
            continue;
        }
        let package = project
            .packages
            .iter()
            .find(|p| !p.is_module)
            .map(|p| format!("`{}/`", p.path))
            .unwrap_or_else(|| "a package folder with `__init__.py`".to_string());
        findings.push(
            Finding::new(
                Location::path(entry.path.clone()),
                format!(
                    "module `{}` sits directly in `{src}/`; `src/` should hold only package folders",
                    entry.path.file_name()
                ),
            )
            .with_help(format!("move it into {package}")),
        );
    }
}

fn missing_init(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
    let Some(src) = project.src_dir(repo) else {
        return;
    };
    let nested: Vec<&RelPath> = repo
        .projects_under(&src)
        .filter(|p| p.dir != project.dir)
        .map(|p| &p.dir)
        .collect();
    for entry in repo.files.descendants(&src) {
        let dir = &entry.path;
        if !repo.files.is_dir(dir)
            || dir
                .strip_prefix(&src)
                .is_some_and(|rel| rel.split('/').any(skipped_folder))
            || nested.iter().any(|n| dir.starts_with(n))
        {
            continue;
        }
        let has_modules = repo
            .files
            .children(dir)
            .any(|c| c.path.extension() == Some("py") && repo.files.is_file(&c.path));
        if has_modules && !repo.files.is_file(&dir.child("__init__.py")) {
            findings.push(
                Finding::new(
                    Location::path(dir.clone()),
                    format!("`{dir}/` holds Python modules but no `__init__.py`"),
                )
                .with_help(format!(
                    "create an empty `{dir}/__init__.py` so package discovery, mypy and pytest see a regular package"
                )),
            );
        }
    }
}

fn skipped_folder(name: &str) -> bool {
    name.starts_with('.') || name == "__pycache__" || name.ends_with(".egg-info")
}

fn package_mismatch(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
    if project.explicit_selection {
        return;
    }
    let (Some(name), Some(wanted)) = (&project.name, project.normalised_name()) else {
        return;
    };
    if project
        .packages
        .iter()
        .any(|p| normalise_name(&p.name) == wanted)
    {
        return;
    }
    let location = match &project.name_span {
        Some((file, span)) => Location::span(file.clone(), span.clone()),
        None => Location::path(project.manifest.clone()),
    };
    let candidate = candidate_package(repo, project);
    let selection = selection_example(&project.backend, candidate.as_ref(), &wanted);
    let help = match &candidate {
        Some(path) => {
            format!("rename `{path}/` to `{wanted}/`, or select it explicitly: {selection}")
        }
        None => format!(
            "create `src/{wanted}/__init__.py`, or select the package explicitly: {selection}"
        ),
    };
    findings.push(
        Finding::new(
            location,
            format!(
                "project `{name}` ({}) has no package named `{wanted}` (neither `{wanted}/` nor `src/{wanted}/`) and selects none explicitly",
                project.backend.display_name()
            ),
        )
        .with_help(help),
    );
}

/// The first package folder in `src/`, else beside the manifest: what the user probably meant.
fn candidate_package(repo: &Repo, project: &Project) -> Option<RelPath> {
    let src = project.dir.child("src");
    [src, project.dir.clone()].into_iter().find_map(|folder| {
        repo.files
            .children(&folder)
            .map(|e| e.path.clone())
            .find(|p| {
                repo.files.is_file(&p.child("__init__.py"))
                    && !matches!(p.file_name(), "tests" | "test")
            })
    })
}

fn selection_example(backend: &Backend, candidate: Option<&RelPath>, wanted: &str) -> String {
    let (from, include) = match candidate.and_then(|c| Some((c.parent()?, c.file_name()))) {
        Some((parent, name)) => (parent, name.to_string()),
        None => (RelPath::root(), wanted.to_string()),
    };
    let in_src = from.file_name() == "src";
    let rel = if in_src {
        format!("src/{include}")
    } else {
        include.clone()
    };
    match backend {
        Backend::Poetry if in_src => format!(
            "`packages = [{{ include = \"{include}\", from = \"src\" }}]` under `[tool.poetry]`"
        ),
        Backend::Poetry => {
            format!("`packages = [{{ include = \"{include}\" }}]` under `[tool.poetry]`")
        }
        Backend::Hatchling => {
            format!("`packages = [\"{rel}\"]` under `[tool.hatch.build.targets.wheel]`")
        }
        Backend::Flit => format!("`name = \"{include}\"` under `[tool.flit.module]`"),
        Backend::Pdm => format!("`includes = [\"{rel}\"]` under `[tool.pdm.build]`"),
        _ => format!("list `{include}` in the build backend's package selection"),
    }
}
