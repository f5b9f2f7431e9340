//! LAY002: a `.py` file directly in a project's `src/` folder.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::projects::{Project, normalise_name};

pub(super) fn check(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
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
