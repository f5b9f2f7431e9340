//! LAY004: no package matches the project name and nothing selects one, for the backends
//! that build only the package named after the project.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::{Backend, Project, normalise_name};
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
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
