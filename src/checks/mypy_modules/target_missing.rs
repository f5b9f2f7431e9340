//! TYP006: a `files` entry that gives mypy nothing to read.

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::mypy::{MissingKind, MypyModules};

pub(super) fn check(repo: &Repo, mypy: &MypyModules) -> Vec<Finding> {
    let Some(files) = &mypy.settings.files else {
        return Vec::new();
    };
    let text = repo.read(&files.path).ok();
    // The entry as written inside the setting, else the whole setting.
    let location = |entry: &str| {
        let found = text.as_ref().and_then(|source| {
            let setting = source.text.get(files.span.clone())?;
            let at = files.span.start + setting.find(entry)?;
            Some(at..at + entry.len())
        });
        Location::span(files.path.clone(), found.unwrap_or(files.span.clone()))
    };
    mypy.missing_targets
        .iter()
        .map(|missing| {
            let entry = &missing.entry;
            let (message, help) = match missing.kind {
                MissingKind::NotFound => (
                    format!(
                        "mypy `files` entry `{entry}` matches nothing: mypy stops with \
                         \"{entry}: error: Cannot read file: No such file or directory\""
                    ),
                    format!(
                        "fix the path or glob `{entry}` (paths are relative to the folder mypy \
                         runs in, the repository root), or remove it from `files`"
                    ),
                ),
                MissingKind::NoPythonFiles => (
                    format!(
                        "mypy `files` reaches folder `{entry}`, which holds no `.py` or `.pyi` \
                         file mypy would check: mypy stops with \"There are no .py[i] files in \
                         directory '{entry}'\""
                    ),
                    format!(
                        "name the folder that holds the Python code, or remove `{entry}` from \
                         `files` (an `exclude` that covers every file in it has the same effect)"
                    ),
                ),
            };
            Finding::new(location(entry), message).with_help(help)
        })
        .collect()
}
