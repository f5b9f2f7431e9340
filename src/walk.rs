//! The one place that walks the repository.

use std::path::Path;
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::model::files::{Entry, EntryKind, FileIndex};
use crate::paths::RelPath;

/// What the walk honours, resolved from configuration and flags.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub respect_gitignore: bool,
    /// Repository-relative globs whose matches (and everything below) are skipped.
    pub exclude: GlobSet,
}

/// Something the walk could not list: an unreadable folder, a non-UTF-8 name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// The nearest listable path (the parent folder for a non-UTF-8 name).
    pub path: RelPath,
    pub message: String,
}

/// Walks `root` once, in parallel, and returns every entry kept.
pub fn walk(root: &Path, options: &WalkOptions) -> (FileIndex, Vec<WalkProblem>) {
    let exclude = options.exclude.clone();
    let filter_root = root.to_path_buf();
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(false)
        .ignore(true)
        .git_ignore(options.respect_gitignore)
        .git_global(options.respect_gitignore)
        .git_exclude(options.respect_gitignore)
        .require_git(false)
        .follow_links(false)
        .same_file_system(false)
        .threads(0)
        .filter_entry(move |entry| {
            if entry.depth() > 0 && entry.file_name() == ".git" {
                return false;
            }
            if exclude.is_empty() {
                return true;
            }
            match RelPath::from_fs(&filter_root, entry.path()) {
                Some(rel) if !rel.is_root() => !exclude.is_match(rel.as_str()),
                _ => true,
            }
        });

    let entries = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let mut local = LocalBatch {
            entries: Vec::new(),
            problems: Vec::new(),
            shared: (&entries, &problems),
        };
        Box::new(move |result| {
            match result {
                Ok(entry) => local.add(root, &entry),
                Err(error) => local.problem(root, &error),
            }
            WalkState::Continue
        })
    });
    let mut problems = problems.into_inner().unwrap_or_default();
    problems.sort_by(|a: &WalkProblem, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (
        FileIndex::new(entries.into_inner().unwrap_or_default()),
        problems,
    )
}

/// Per-thread buffers, merged once when the thread's visitor is dropped.
struct LocalBatch<'a> {
    entries: Vec<Entry>,
    problems: Vec<WalkProblem>,
    shared: (&'a Mutex<Vec<Entry>>, &'a Mutex<Vec<WalkProblem>>),
}

impl LocalBatch<'_> {
    fn add(&mut self, root: &Path, entry: &ignore::DirEntry) {
        let Some(path) = RelPath::from_fs(root, entry.path()) else {
            let parent = entry
                .path()
                .parent()
                .and_then(|p| RelPath::from_fs(root, p))
                .unwrap_or_default();
            self.problems.push(WalkProblem {
                path: parent,
                message: format!(
                    "skipped a name that is not valid UTF-8: {:?}",
                    entry.file_name()
                ),
            });
            return;
        };
        let kind = match entry.file_type() {
            Some(t) if t.is_symlink() => EntryKind::Symlink,
            Some(t) if t.is_dir() => EntryKind::Dir,
            Some(t) if t.is_file() => EntryKind::File,
            _ => EntryKind::Other,
        };
        // No size here: a stat per file would cost more than the walk. Reads check it.
        self.entries.push(Entry { path, kind });
    }

    fn problem(&mut self, root: &Path, error: &ignore::Error) {
        let path = error_path(error)
            .and_then(|p| RelPath::from_fs(root, p))
            .unwrap_or_default();
        self.problems.push(WalkProblem {
            path,
            message: format!("could not read: {}", error_message(error)),
        });
    }
}

impl Drop for LocalBatch<'_> {
    fn drop(&mut self) {
        if let Ok(mut shared) = self.shared.0.lock() {
            shared.append(&mut self.entries);
        }
        if let Ok(mut shared) = self.shared.1.lock() {
            shared.append(&mut self.problems);
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn error_message(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied".into()
        }
        other => other.to_string(),
    }
}
