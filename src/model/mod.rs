//! The repository model: built once from the walk, every facet parsed lazily.
//!
//! Checks read the model and nothing else. Each facet (projects, handlers, mypy's view,
//! and the per-file parses) is declared in [`facets`], with what it reads.

pub mod facets;
pub use crate::walk::files;
pub mod aws_keys;
pub(crate) mod fnmatch;
mod handler_module;
pub mod handlers;
pub mod ignored;
pub mod ini;
pub mod mypy;
pub mod pep508;
pub mod persist;
pub mod projects;
pub mod pytest;
pub mod pytest_config;
pub mod pytest_runs;
pub mod pytest_sim;
mod read;
mod refresh;
pub mod source;
pub mod templates;
pub mod tomldoc;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::diagnostic::{Finding, Location};
use crate::paths::RelPath;
use crate::walk::WalkProblem;
use files::{EntryKind, FileIndex};
use source::SourceFile;

/// Files larger than this are listed but never parsed.
pub const MAX_PARSE_SIZE: u64 = 2 * 1024 * 1024;

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not in the repository")]
    Missing,
    #[error("not a regular file (symlinks, FIFOs and devices are never read)")]
    NotRegular,
    #[error("larger than 2 MiB ({0} bytes): not parsed")]
    TooLarge(u64),
    #[error("not valid UTF-8 at byte {0}")]
    NotUtf8(usize),
    #[error("could not read: {0}")]
    Io(String),
}

/// The whole repository, as the walk found it.
pub struct Repo {
    /// The absolute, canonical root folder.
    pub root: PathBuf,
    pub files: FileIndex,
    sources: Mutex<HashMap<RelPath, Result<Arc<SourceFile>, ReadError>>>,
    /// Files read whose text was not kept ([`Repo::read_once`]).
    read_once: Mutex<std::collections::HashSet<u32>>,
    /// What could not be read or parsed, one finding per file (PAR001).
    problems: Mutex<BTreeMap<RelPath, Finding>>,
    /// What the walk could not list, kept for [`Repo::refreshed`].
    walk_problems: Vec<WalkProblem>,
    pub(crate) caches: Caches,
    /// Set while the sink is filled: a read then is a bug (asserted in debug builds).
    reads_closed: std::sync::atomic::AtomicBool,
}

/// One parse per file; `None` records a file that did not parse.
/// Keyed by [`FileIndex::id`] with a fast hasher, not by path: a monorepo has a hundred
/// thousand entries, and every Python file is looked up in one.
pub(crate) type FileCache<T> = Mutex<FileMap<T>>;
pub(crate) type FileMap<T> = HashMap<u32, Option<Arc<T>>, hashbrown::DefaultHashBuilder>;

/// A per-file cache's table (a panic elsewhere leaves it usable).
pub(crate) fn lock_file<T>(cache: &FileCache<T>) -> std::sync::MutexGuard<'_, FileMap<T>> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lazily computed facets: the per-file parses ([`facets::per_file`]) and the
/// whole-repository facets ([`facets::Slots`]).
#[derive(Default)]
pub(crate) struct Caches {
    pub(crate) toml: FileCache<tomldoc::TomlDoc>,
    /// The AWS credentials each file holds ([`aws_keys`]), for IAC001.
    pub(crate) aws_keys: FileCache<aws_keys::KeyScan>,
    pub(crate) ini: FileCache<ini::IniDoc>,
    pub(crate) templates: FileCache<templates::Declarations>,
    pub(crate) python: FileCache<crate::python::PyModule>,
    /// What pytest could collect from each module read for it ([`pytest`]).
    pub(crate) test_defs: FileCache<pytest::TestDefs>,
    /// Python files whose imports cannot matter to mypy's "found twice", for the set of
    /// words (by id) they were scanned against ([`mypy::relevance`]).
    pub(crate) import_free: FileCache<u64>,
    pub(crate) slots: facets::Slots,
    /// The root folder, opened once for every read ([`read`]).
    pub(crate) root_dir: std::sync::OnceLock<Option<crate::safefs::Dir>>,
}

impl Repo {
    pub fn new(root: PathBuf, files: FileIndex, walk_problems: Vec<WalkProblem>) -> Self {
        let problems = walk_problems
            .iter()
            .cloned()
            .map(|p| {
                (
                    p.path.clone(),
                    Finding::new(Location::path(p.path), p.message),
                )
            })
            .collect();
        Self {
            root,
            files,
            sources: Mutex::default(),
            read_once: Mutex::default(),
            problems: Mutex::new(problems),
            walk_problems,
            caches: Caches::default(),
            reads_closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The model after the files in `changed` were rewritten on disk (the language
    /// server, on save): the same file index, every other file's
    /// text carried over, and every facet rebuilt lazily from those texts, so a refresh
    /// costs parsing, not a walk. `None` when a changed path is new, gone or no longer
    /// the same kind of entry: the index is stale and the caller must walk again.
    pub fn refreshed(&self, changed: &[RelPath]) -> Option<Repo> {
        for path in changed {
            let entry = self.files.get(path)?;
            let meta = std::fs::symlink_metadata(path.to_fs(&self.root)).ok()?;
            let kind = meta.file_type();
            let same_kind = match entry.kind {
                EntryKind::File => kind.is_file(),
                EntryKind::Dir => kind.is_dir(),
                EntryKind::Symlink => kind.is_symlink(),
                EntryKind::Other => !(kind.is_file() || kind.is_dir() || kind.is_symlink()),
            };
            if !same_kind {
                return None;
            }
        }
        let files = self.files.clone();
        let mut sources = self.lock_sources().clone();
        sources.retain(|path, _| !changed.contains(path));
        let repo = Repo::new(self.root.clone(), files, self.walk_problems.clone());
        *repo.lock_sources() = sources;
        self.carry_into(&repo, changed);
        Some(repo)
    }

    /// Builds a model from in-memory files, for tests and the language server.
    pub fn from_sources(root: PathBuf, sources: Vec<(RelPath, String)>) -> Self {
        let mut entries = Vec::new();
        let mut cache = HashMap::new();
        for (path, text) in sources {
            let mut dir = path.parent();
            while let Some(d) = dir {
                entries.push(files::Entry {
                    path: d.clone(),
                    kind: EntryKind::Dir,
                });
                dir = d.parent();
            }
            entries.push(files::Entry {
                path: path.clone(),
                kind: EntryKind::File,
            });
            cache.insert(path.clone(), Ok(Arc::new(SourceFile::new(path, text))));
        }
        let repo = Self::new(root, FileIndex::new(entries), Vec::new());
        *repo.sources.lock().unwrap_or_else(|e| e.into_inner()) = cache;
        repo
    }

    /// The parse of one repository file, computed once and kept in `cache`. A file that
    /// does not parse gives `None` and one PAR001: "`path` is not {expected}: {message}".
    pub(crate) fn parse_cached<T>(
        &self,
        cache: &FileCache<T>,
        path: &RelPath,
        expected: &str,
        parse: impl FnOnce(&str) -> Result<T, (String, Option<Range<usize>>)>,
    ) -> Option<Arc<T>> {
        self.cached(cache, path, || {
            self.read_or_report(path)
                .and_then(|source| match parse(&source.text) {
                    Ok(value) => Some(Arc::new(value)),
                    Err((message, span)) => {
                        self.report_problem(
                            path,
                            span,
                            format!("`{path}` is not {expected}: {message}"),
                        );
                        None
                    }
                })
        })
    }

    /// The entry for `path` in a per-file cache, computed once. The lock is not held while
    /// computing, so two threads may compute the same file; the first result is kept.
    pub(crate) fn cached<T>(
        &self,
        cache: &FileCache<T>,
        path: &RelPath,
        compute: impl FnOnce() -> Option<Arc<T>>,
    ) -> Option<Arc<T>> {
        let Some(id) = self.files.id(path) else {
            return compute();
        };
        if let Some(cached) = lock_file(cache).get(&id) {
            let cached = cached.clone();
            if cached.is_none() {
                // Its problem belongs to the facet asking too (see `facets`).
                self.give_to_facet(|| self.problem_of(path));
            }
            return cached;
        }
        let computed = compute();
        lock_file(cache).entry(id).or_insert(computed).clone()
    }

    /// Records that `path` could not be parsed; the first report per file wins. A file
    /// in a cookiecutter or copier template folder (a folder named with a `{{…}}`
    /// placeholder) is a template of another repository, which does not parse until it is
    /// rendered: it is skipped quietly.
    pub fn report_problem(&self, path: &RelPath, span: Option<Range<usize>>, message: String) {
        if path.in_template_folder() {
            return;
        }
        if span.is_some() {
            self.keep_text(path);
        }
        let location = Location {
            path: path.clone(),
            span,
        };
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(path.clone())
            .or_insert_with(|| Finding::new(location, message));
        self.give_to_facet(|| self.problem_of(path));
    }

    /// The problem kept for `path`, if any.
    fn problem_of(&self, path: &RelPath) -> Option<Finding> {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned()
    }

    /// Every file that could not be read or parsed so far.
    pub fn problems(&self) -> Vec<Finding> {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Marks the end (`true`) or a new start of the model's reads: the engine closes them
    /// while it fills the sink, and debug builds then fail on any read.
    pub fn set_reads_closed(&self, closed: bool) {
        self.reads_closed
            .store(closed, std::sync::atomic::Ordering::Relaxed);
    }

    fn reads_closed(&self) -> bool {
        self.reads_closed.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn lock_read_once(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<u32>> {
        self.read_once.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_sources(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<RelPath, Result<Arc<SourceFile>, ReadError>>> {
        self.sources.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshed_rereads_only_the_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("a.toml"), "a = 1\n").unwrap();
        std::fs::write(root.join("b.toml"), "b = 1\n").unwrap();
        let (files, problems) = crate::walk::walk(&root, &Default::default());
        let repo = Repo::new(root.clone(), files, problems);
        let (a, b) = (
            RelPath::parse("a.toml").unwrap(),
            RelPath::parse("b.toml").unwrap(),
        );
        assert!(repo.toml(&a).is_some() && repo.toml(&b).is_some());

        std::fs::write(root.join("a.toml"), "a = [\n").unwrap();
        std::fs::write(root.join("b.toml"), "b = 22222\n").unwrap();
        let next = repo.refreshed(std::slice::from_ref(&a)).unwrap();
        assert_eq!(&*next.read(&a).unwrap().text, "a = [\n");
        // Not reported as changed: its text is carried over, not read again.
        assert_eq!(&*next.read(&b).unwrap().text, "b = 1\n");
        // Facets are rebuilt: the broken file is now a parse problem.
        assert!(next.toml(&a).is_none());
        assert_eq!(next.problems().len(), 1);
        assert!(repo.problems().is_empty());

        std::fs::write(root.join("c.toml"), "").unwrap();
        assert!(
            repo.refreshed(&[RelPath::parse("c.toml").unwrap()])
                .is_none()
        );
        std::fs::remove_file(root.join("b.toml")).unwrap();
        assert!(repo.refreshed(&[b]).is_none());
    }

    fn on_disk(files: &[(&str, &str)]) -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (path, text) in files {
            std::fs::write(root.join(path), text).unwrap();
        }
        let (files, problems) = crate::walk::walk(&root, &Default::default());
        (dir, Repo::new(root, files, problems))
    }

    #[test]
    fn a_text_read_once_is_kept_only_for_a_comment_or_a_span() {
        let (_dir, repo) = on_disk(&[
            ("plain.py", "x = 1\n"),
            ("quiet.py", "x = 1  # laylint: ignore[HDL002]\n"),
            ("spanned.py", "async def handler(e, c): pass\n"),
        ]);
        let path = |p: &str| RelPath::parse(p).unwrap();
        for name in ["plain.py", "quiet.py", "spanned.py"] {
            repo.read_once(&path(name)).unwrap();
        }
        assert!(repo.kept_source(&path("plain.py")).is_none());
        assert!(repo.kept_source(&path("spanned.py")).is_none());
        // A suppression comment: the sink needs it, so the text stays.
        assert!(repo.kept_source(&path("quiet.py")).is_some());
        // The facet making a span keeps the text, before the checks finish.
        repo.keep_text(&path("spanned.py"));
        assert!(repo.kept_source(&path("spanned.py")).is_some());
        let kept: Vec<String> = repo
            .kept_sources()
            .iter()
            .map(|s| s.path.to_string())
            .collect();
        assert_eq!(kept, ["quiet.py", "spanned.py"]);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "read after the checks finished")]
    fn a_read_while_the_sink_is_filled_fails_in_debug_builds() {
        let (_dir, repo) = on_disk(&[("a.py", "x = 1\n")]);
        repo.set_reads_closed(true);
        let _ = repo.read(&RelPath::parse("a.py").unwrap());
    }
}
