//! The one place that walks the repository.
//!
//! Each folder is opened relative to its parent's open descriptor and never through a
//! symlink, so a folder swapped for a symlink during the run is not followed: its
//! listing fails and is reported. Ignore files are read by laylint itself
//! ([`ignore_files`]), through the same capped, non-blocking, no-follow open.

pub mod ignore_files;

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};

use globset::GlobSet;

use ignore_files::{FolderFiles, Rules};
pub use ignore_files::{MAX_IGNORE_FILE, MAX_PATTERNS};

pub mod files;

use crate::paths::RelPath;
use crate::safefs::Dir;
use files::{Entry, EntryKind, FileIndex};

/// What the walk honours, resolved from configuration and flags.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub respect_gitignore: bool,
    /// Repository-relative globs whose matches (and everything below) are skipped.
    pub exclude: GlobSet,
    /// Read each file's [`files::Stamp`] (for the persistent cache).
    pub stamps: bool,
    /// A cache folder inside the repository, skipped like `.laylint_cache` folders.
    pub cache_dir: Option<RelPath>,
}

/// The cache's folder name: never part of the repository (as `.git`).
pub const CACHE_DIR_NAME: &str = ".laylint_cache";

/// Something the walk could not list: an unreadable folder, a non-UTF-8 name, an ignore
/// file that was capped or could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// The nearest listable path (the parent folder for a non-UTF-8 name).
    pub path: RelPath,
    pub message: String,
}

/// What every folder's visit shares.
struct Walk<'a> {
    options: &'a WalkOptions,
    /// Each with its stamp, when the options ask for them.
    entries: Mutex<Vec<(Entry, Option<files::Stamp>)>>,
    problems: Mutex<Vec<WalkProblem>>,
}

/// Walks `root` once, in parallel, and returns every entry kept.
pub fn walk(root: &Path, options: &WalkOptions) -> (FileIndex, Vec<WalkProblem>) {
    let walk = Walk {
        options,
        entries: Mutex::new(vec![(
            Entry {
                path: RelPath::root(),
                kind: EntryKind::Dir,
            },
            None,
        )]),
        problems: Mutex::new(Vec::new()),
    };
    match Dir::open(root) {
        Ok(dir) => {
            crate::par::init();
            let rules = Arc::new(Rules::default());
            rayon::scope(|scope| walk.visit(scope, dir, RelPath::root(), rules));
        }
        Err(error) => walk.problem(
            RelPath::root(),
            format!("could not read: {}", reason(&error)),
        ),
    }
    let mut problems = walk
        .problems
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    problems.sort_by(|a: &WalkProblem, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    problems.dedup();
    let entries = walk.entries.into_inner().unwrap_or_else(|e| e.into_inner());
    (FileIndex::with_stamps(entries, options.stamps), problems)
}

impl<'a> Walk<'a> {
    /// Lists the open folder `dir` (at `rel`), keeps what is not ignored or excluded,
    /// and visits its subfolders in parallel.
    fn visit<'s>(
        &'s self,
        scope: &rayon::Scope<'s>,
        dir: Dir,
        rel: RelPath,
        parent_rules: Arc<Rules>,
    ) {
        let listing = match dir.entries() {
            Ok(listing) => listing,
            Err(error) => {
                self.problem(rel, format!("could not read: {}", reason(&error)));
                return;
            }
        };
        let mut found = FolderFiles::default();
        for (name, kind) in &listing {
            // A symlinked or FIFO ignore file is tried too: the safe open refuses it, and
            // the refusal is reported rather than its patterns silently dropped.
            match (name.to_str(), kind) {
                (Some(".ignore"), kind) if *kind != EntryKind::Dir => found.ignore = true,
                (Some(".gitignore"), kind) if *kind != EntryKind::Dir => found.gitignore = true,
                (Some(".git"), EntryKind::Dir) => found.git_dir = true,
                _ => {}
            }
        }
        let mut problems = Vec::new();
        let rules = Rules::for_folder(
            &parent_rules,
            &rel,
            &dir,
            &found,
            self.options.respect_gitignore,
            &mut problems,
        );
        for (path, message) in problems {
            self.problem(path, message);
        }
        let dir = Arc::new(dir);
        let mut kept = Vec::with_capacity(listing.len());
        for (name, kind) in listing {
            let Some(path) = self.keep(&rel, &name, kind, &rules) else {
                continue;
            };
            let stamp = (kind == EntryKind::File && self.options.stamps)
                .then(|| dir.stamp(&name))
                .flatten();
            if kind == EntryKind::Dir {
                let (dir, rules) = (dir.clone(), rules.clone());
                let path = path.clone();
                scope.spawn(move |scope| match dir.open_dir(&name) {
                    Ok(child) => self.visit(scope, child, path, rules),
                    Err(error) => self.problem(path, format!("could not read: {}", reason(&error))),
                });
            }
            kept.push((Entry { path, kind }, stamp));
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.append(&mut kept);
        }
    }

    /// The path of the entry `name` in `rel` when the walk keeps it.
    fn keep(
        &self,
        rel: &RelPath,
        name: &OsString,
        kind: EntryKind,
        rules: &Rules,
    ) -> Option<RelPath> {
        let Some(name) = name.to_str() else {
            self.problem(
                rel.clone(),
                format!("skipped a name that is not valid UTF-8: {name:?}"),
            );
            return None;
        };
        if name == ".git" || (name == CACHE_DIR_NAME && kind == EntryKind::Dir) {
            return None;
        }
        let path = rel.child(name);
        if kind == EntryKind::Dir && self.options.cache_dir.as_ref() == Some(&path) {
            return None;
        }
        if rules.is_ignored(&path, kind == EntryKind::Dir) {
            return None;
        }
        if !self.options.exclude.is_empty() && self.options.exclude.is_match(path.as_str()) {
            return None;
        }
        Some(path)
    }

    fn problem(&self, path: RelPath, message: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(WalkProblem { path, message });
        }
    }
}

fn reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            #[cfg(unix)]
            if error.raw_os_error() == Some(libc::ELOOP)
                || error.raw_os_error() == Some(libc::ENOTDIR)
            {
                return "it was replaced by a symlink or a file during the run (not followed)"
                    .into();
            }
            error.kind().to_string()
        }
    }
}
