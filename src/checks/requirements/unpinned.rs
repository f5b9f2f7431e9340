//! PKG007: a requirement of a deployed `requirements.txt` (in a function's code root) that
//! is not pinned with `==` / `===` and has no `--hash`: each build may install another
//! version. Requirements given as paths, URLs or options are not judged.

use std::collections::BTreeSet;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::pep508::requirement_lines;
use crate::model::templates::CodeRoot;
use crate::paths::RelPath;

/// The folders whose `requirements.txt` is installed into what gets deployed: functions'
/// code roots and layers' content folders.
fn deployed_folders(repo: &Repo) -> BTreeSet<RelPath> {
    let code_roots = repo.handlers().iter().filter_map(|h| match &h.code_root {
        CodeRoot::Local(root) => Some(root.clone()),
        _ => None,
    });
    let layers = repo.layers().iter().map(|layer| layer.content.clone());
    code_roots
        .chain(layers)
        .filter(|folder| repo.files.is_dir(folder))
        .collect()
}

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    let mut findings = Vec::new();
    for folder in deployed_folders(repo) {
        let file = folder.child("requirements.txt");
        if !repo.files.is_file(&file) {
            continue;
        }
        let Some(source) = repo.read_or_report(&file) else {
            continue;
        };
        for line in requirement_lines(&source.text) {
            let requirement = &line.requirement;
            if requirement.url || line.hashed || requirement.is_pinned() {
                continue;
            }
            findings.push(
                Finding::new(
                    Location::span(file.clone(), line.span.clone()),
                    format!(
                        "`{}` in `{file}` is not pinned (`==`) nor hashed: each build may install another version",
                        requirement.name
                    ),
                )
                .with_help(format!(
                    "pin it to the version you tested (`{}==…`), or generate the file from a lock (`pip-compile`, `uv pip compile`, `poetry export`)",
                    requirement.name
                )),
            );
        }
    }
    findings
}
