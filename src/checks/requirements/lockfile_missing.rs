//! PKG006: an application project managed by poetry, uv, pdm or pipenv has no lock file
//! beside its manifest, so every build resolves its dependencies afresh.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::templates::CodeRoot;
use crate::model::tomldoc::TomlValue;
use crate::paths::RelPath;

const LOCK_FILES: [&str; 4] = ["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock"];

/// Files whose presence makes the folder holding them (and those above) an application.
const APP_FILES: [&str; 5] = [
    "serverless.yml",
    "serverless.yaml",
    "cdk.json",
    "Pulumi.yaml",
    "Pulumi.yml",
];

/// Folders never searched for manifests: tool caches, virtualenvs, vendored installs.
fn skipped(path: &RelPath) -> bool {
    path.components().any(|c| {
        c.starts_with('.') || matches!(c, "node_modules" | "site-packages" | "__pycache__")
    })
}

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut app_paths: Vec<&RelPath> = repo
        .files
        .files()
        .filter(|e| APP_FILES.contains(&e.path.file_name()))
        .map(|e| &e.path)
        .collect();
    for handler in repo.handlers() {
        app_paths.push(&handler.template);
        if let CodeRoot::Local(root) = &handler.code_root {
            app_paths.push(root);
        }
    }
    app_paths.extend(repo.function_gaps().iter().map(|g| &g.file));
    app_paths.sort();
    app_paths.dedup();
    for entry in repo.files.files() {
        let manifest = &entry.path;
        if !matches!(manifest.file_name(), "pyproject.toml" | "Pipfile") || skipped(manifest) {
            continue;
        }
        let Some(dir) = manifest.parent() else {
            continue;
        };
        let Some(manager) = manager(repo, manifest) else {
            continue;
        };
        if LOCK_FILES.iter().any(|l| repo.files.is_file(&dir.child(l))) {
            continue;
        }
        // A uv workspace member is locked by the workspace's `uv.lock` above it.
        if manager == "uv" && locked_above(repo, &dir) {
            continue;
        }
        if !holds_any(&app_paths, &dir) {
            continue;
        }
        let lock = match manager {
            "poetry" => "poetry.lock",
            "uv" => "uv.lock",
            "pdm" => "pdm.lock",
            _ => "Pipfile.lock",
        };
        let command = match manager {
            "poetry" => "poetry lock",
            "uv" => "uv lock",
            "pdm" => "pdm lock",
            _ => "pipenv lock",
        };
        findings.push(
            Finding::new(
                Location::path(manifest.clone()),
                format!(
                    "`{manifest}` is managed by {manager} and deploys code, but there is no `{lock}` beside it: each build resolves the dependencies again and may ship versions nobody tested"
                ),
            )
            .with_help(format!("run `{command}` in `{}` and commit `{lock}`", if dir.is_root() { "." } else { dir.as_str() })),
        );
    }
    findings
}

/// Which tool manages a manifest: `[tool.poetry]`, `[tool.uv]`, `[tool.pdm]` beyond
/// pdm-backend's own `build` / `version` settings, or a `Pipfile`.
fn manager(repo: &Repo, manifest: &RelPath) -> Option<&'static str> {
    if manifest.file_name() == "Pipfile" {
        return Some("pipenv");
    }
    let doc = repo.toml(manifest)?;
    if doc.get("tool.poetry").is_some() {
        return Some("poetry");
    }
    if doc.get("tool.uv").is_some() {
        return Some("uv");
    }
    let pdm = doc.get("tool.pdm").and_then(TomlValue::as_table)?;
    pdm.entries
        .iter()
        .any(|(key, _)| !matches!(key.as_str(), "build" | "version"))
        .then_some("pdm")
}

fn locked_above(repo: &Repo, dir: &RelPath) -> bool {
    let mut current = dir.parent();
    while let Some(folder) = current {
        if repo.files.is_file(&folder.child("uv.lock")) {
            return true;
        }
        current = folder.parent();
    }
    false
}

/// Whether some path of the sorted list is `dir` or lies below it.
fn holds_any(sorted: &[&RelPath], dir: &RelPath) -> bool {
    if dir.is_root() {
        return !sorted.is_empty();
    }
    let start = sorted.partition_point(|p| p.as_str() < dir.as_str());
    sorted[start..]
        .iter()
        .take_while(|p| p.as_str().starts_with(dir.as_str()))
        .any(|p| p.starts_with(dir))
}
