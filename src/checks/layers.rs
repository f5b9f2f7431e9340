//! `layers`: a Lambda layer's content is where the Python runtime looks for it. Lambda
//! extracts a layer's zip to `/opt` and puts only `/opt/python` and
//! `/opt/python/lib/pythonX.Y/site-packages` (X.Y: the function's runtime) on `sys.path`.
//! Judged on what ships: the content folder as it is, or as SAM's `BuildMethod:
//! python3.x` and CDK's `PythonLayerVersion` lay it out (under `python/`); a layer built
//! by a step laylint does not model is not judged.
//!
//! PKG002 `no-python-dir`, PKG003 `double-python`, PKG005 `python-version-mismatch`.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::templates::layers::{LayerBuild, LayerDecl, LayerUse};
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layers {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: LayerFinding,
}

/// Which finding a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LayerFinding {
    /// PKG002.
    NoPythonDir,
    /// PKG003.
    DoublePython,
    /// PKG005.
    PythonVersionMismatch,
}

impl Layers {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.finding {
            LayerFinding::NoPythonDir => repo
                .layers()
                .iter()
                .filter_map(|layer| no_python_dir(repo, layer))
                .collect(),
            LayerFinding::DoublePython => repo
                .layers()
                .iter()
                .filter_map(|layer| double_python(repo, layer))
                .collect(),
            LayerFinding::PythonVersionMismatch => repo
                .layer_uses()
                .iter()
                .filter_map(|used| version_mismatch(repo, used))
                .collect(),
        }
    }
}

/// The layer's content value.
fn at(layer: &LayerDecl) -> Location {
    Location::span(layer.file.clone(), layer.content_span.clone())
}

/// A module Python imports from a folder on `sys.path`: a `.py` file (not `setup.py`,
/// which builds a distribution) or a folder holding `__init__.py`.
fn top_level_modules(repo: &Repo, dir: &RelPath) -> Vec<RelPath> {
    repo.files
        .children(dir)
        .filter(|e| {
            let name = e.path.file_name();
            if repo.files.is_dir(&e.path) {
                repo.files.is_file(&e.path.child("__init__.py"))
            } else {
                e.path.extension() == Some("py") && name != "setup.py"
            }
        })
        .map(|e| e.path.clone())
        .collect()
}

/// PKG002: modules at the top of a layer that ships as it is, and no `python/` folder.
fn no_python_dir(repo: &Repo, layer: &LayerDecl) -> Option<Finding> {
    if layer.build != LayerBuild::AsIs || repo.files.is_dir(&layer.content.child("python")) {
        return None;
    }
    let modules = top_level_modules(repo, &layer.content);
    let first = modules.first()?;
    let content = &layer.content;
    let shown: Vec<String> = modules
        .iter()
        .take(3)
        .map(|m| format!("`{}`", m.file_name()))
        .collect();
    Some(
        Finding::new(
            at(layer),
            format!(
                "layer `{}` ships `{content}` as `/opt`, and its modules ({}) sit at its top with no `python/` folder: Lambda puts only `/opt/python` and `/opt/python/lib/pythonX.Y/site-packages` on `sys.path`, so functions cannot import them",
                layer.name,
                shown.join(", ")
            ),
        )
        .with_help(format!(
            "move the modules into `{}` (or let a build step put them there, such as SAM's `Metadata: BuildMethod: python3.12`)",
            content.child("python")
        ))
        .with_related(Location::path(first.clone()), "imported from `/opt`, not on `sys.path`"),
    )
}

/// PKG003: what ships holds `python/python/`.
fn double_python(repo: &Repo, layer: &LayerDecl) -> Option<Finding> {
    let nested = layer.shipped_from("python/python")?;
    if !repo.files.is_dir(&nested) {
        return None;
    }
    let how = match layer.build {
        LayerBuild::IntoPython => format!(
            "its build copies `{}` into `python/`, and that folder already holds `python/`",
            layer.content
        ),
        _ => format!("`{nested}` is inside the layer's `python/` folder"),
    };
    Some(
        Finding::new(
            at(layer),
            format!(
                "layer `{}` ships a `python/python/` folder ({how}): its modules end up in `/opt/python/python`, which is not on `sys.path`",
                layer.name
            ),
        )
        .with_help(match layer.build {
            LayerBuild::IntoPython => {
                "keep the modules at the top of the content folder: the build puts them under `python/`".to_string()
            }
            _ => format!("move the content of `{nested}` one level up"),
        })
        .with_related(Location::path(nested), "not on `sys.path`"),
    )
}

/// PKG005: the layer installs packages only for Pythons other than the function's.
fn version_mismatch(repo: &Repo, used: &LayerUse) -> Option<Finding> {
    let version = used.runtime.as_deref()?.strip_prefix("python")?;
    let layer = repo
        .layers()
        .iter()
        .find(|l| l.file == used.layer_file && l.name == used.layer)?;
    let lib = layer.shipped_from("python/lib")?;
    let installed: Vec<&str> = repo
        .files
        .children(&lib)
        .filter(|e| repo.files.is_dir(&e.path.child("site-packages")))
        .map(|e| e.path.file_name())
        .filter_map(|name| name.strip_prefix("python"))
        .collect();
    if installed.is_empty() || installed.contains(&version) {
        return None;
    }
    let other = installed.first()?;
    Some(
        Finding::new(
            Location::span(used.file.clone(), used.span.clone()),
            format!(
                "function `{}` runs python{version} but layer `{}` installs its packages under `python/lib/python{other}/site-packages`: Lambda puts only `/opt/python/lib/python{version}/site-packages` on `sys.path`",
                used.function, layer.name
            ),
        )
        .with_help(format!(
            "install the layer's packages for python{version} (`pip install --target python/` puts them on `sys.path` for every runtime), or run the function on python{other}"
        ))
        .with_related(at(layer), "the layer's content"),
    )
}
