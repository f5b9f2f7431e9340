//! LAY003: a folder of modules under `src/` without `__init__.py`.

use crate::diagnostic::{Edit, Finding, Fix, Location};
use crate::model::Repo;
use crate::model::projects::Project;
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo, project: &Project, findings: &mut Vec<Finding>) {
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
        let init = dir.child("__init__.py");
        if has_modules && !repo.files.is_file(&init) {
            // A symlink or a folder in the way: the fix would not be certain.
            let fix = (!repo.files.exists(&init)).then(|| {
                Fix::safe(
                    format!("create an empty `{init}`"),
                    vec![Edit::Create {
                        path: init,
                        content: String::new(),
                    }],
                )
            });
            findings.push(
                Finding::new(
                    Location::path(dir.clone()),
                    format!("`{dir}/` holds Python modules but no `__init__.py`"),
                )
                .with_help(format!(
                    "create an empty `{dir}/__init__.py` so package discovery, mypy and pytest see a regular package"
                ))
                .with_fix(fix),
            );
        }
    }
}

fn skipped_folder(name: &str) -> bool {
    name.starts_with('.') || name == "__pycache__" || name.ends_with(".egg-info")
}
