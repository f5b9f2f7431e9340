//! The persistent cache (`.laylint_cache/` at the root, `--cache-dir`,
//! `LAYLINT_CACHE_DIR`, off with `--no-cache`): what each file yielded (its per-file
//! parses: Python bindings and imports, test definitions, template declarations, the key
//! scan), keyed by the file's [`Stamp`]. A run primes the model with the entries of
//! unchanged files, parses the rest, redoes all the cross-file work, and writes the cache
//! back when anything changed. Beside the entries, the run record (`record`): the last
//! run's whole outcome, under a key of the settings and every walked entry's stamp; a run
//! whose key is unchanged replays it and parses nothing.
//!
//! The key, besides the stamp: laylint's version and a fingerprint of its sources (the
//! folder's name: two builds never share entries), the root (the file's name). No setting
//! is in it, because no per-file parse reads one: settings act in the cross-file work,
//! which is never cached.
//!
//! The file is one postcard document (serde's compact binary form, decoded without a
//! schema in one pass: a 100,000-file repository loads in milliseconds), behind a header
//! holding a CRC-32 of it. A file that is cut short, corrupt, of another format or
//! version, or for another root is ignored and rebuilt, never an error.

mod format;
mod record;

use std::path::{Path, PathBuf};

use crate::config::settings::Settings;
use crate::model::Repo;
use crate::paths::RelPath;
use crate::safefs::cache_files::{CacheBase, CacheDir};
use crate::safefs::stamp::Stamp;
use crate::sink::Sink;
use crate::walk::CACHE_DIR_NAME;
use crate::walk::WalkProblem;
use crate::walk::files::FileIndex;

include!(concat!(env!("OUT_DIR"), "/build_id.rs"));

/// A file changed this close (in seconds) to the start of the run is parsed but not kept:
/// a later write within its timestamps' granularity could leave its stamp unchanged.
const RACY_SECONDS: i64 = 2;

/// The cache folder for `root`: `None` with `--no-cache`; else `--cache-dir` (or
/// `LAYLINT_CACHE_DIR`, which clap reads into it) relative to the working folder, else
/// `.laylint_cache` at the root.
pub fn location(root: &Path, no_cache: bool, given: Option<&Path>) -> Option<PathBuf> {
    if no_cache {
        return None;
    }
    match given {
        Some(dir) if dir.is_absolute() => Some(dir.to_path_buf()),
        Some(dir) => Some(std::env::current_dir().ok()?.join(dir)),
        None => Some(root.join(CACHE_DIR_NAME)),
    }
}

/// The current time (seconds and nanoseconds since the epoch, as stamps hold it): taken
/// before the walk reads the stamps.
pub fn now() -> (i64, u32) {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or((0, 0), |d| {
            (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            )
        })
}

/// The time before which a file's stamp vouches for its contents, for a run that started
/// at `start`.
fn settled(start: (i64, u32)) -> (i64, u32) {
    (start.0.saturating_sub(RACY_SECONDS), start.1)
}

pub use record::RunKey;

/// The key of a run (see `record`), or `None` when some file's stamp cannot vouch for it.
pub fn run_key(
    settings: &Settings,
    only: &[RelPath],
    files: &FileIndex,
    problems: &[WalkProblem],
    start: (i64, u32),
) -> Option<RunKey> {
    record::key(settings, only, files, problems, settled(start))
}

/// The sink of the run recorded in `folder` for `root` under `key`, if that is the key.
pub fn replay(folder: &Path, root: &Path, key: RunKey) -> Option<Sink> {
    let bytes = open(folder, root, false)?.read(&record::file_name(&file_name(root)))?;
    record::replay(&bytes, key)
}

/// Records `sink` as the outcome of the run under `key`. Failing to write is not an error.
pub fn record(folder: &Path, root: &Path, key: RunKey, sink: &Sink) {
    if let Some(dir) = open(folder, root, true) {
        let bytes = record::record(sink, key);
        let _ = dir.write(&record::file_name(&file_name(root)), &bytes);
    }
}

/// A run's cache: what was loaded into the model, for the save.
pub struct Loaded {
    folder: PathBuf,
    root: PathBuf,
    /// When the run started ([`now`], before the walk).
    start: (i64, u32),
    /// Files and parses taken from the cache; files it held.
    primed_files: usize,
    primed_parses: usize,
    stored_files: usize,
}

impl Loaded {
    /// How many files' parses the model was given.
    pub fn primed_files(&self) -> usize {
        self.primed_files
    }
}

/// The folder of this build's caches (one per version and build).
fn version_folder() -> String {
    format!("{}-{BUILD_ID:016x}", env!("CARGO_PKG_VERSION"))
}

/// The cache file's name for `root`.
fn file_name(root: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

fn open(folder: &Path, root: &Path, create: bool) -> Option<CacheDir> {
    let base = if folder == root.join(CACHE_DIR_NAME) {
        CacheBase::InRoot(root, CACHE_DIR_NAME)
    } else {
        CacheBase::Given(folder)
    };
    CacheDir::open(base, &version_folder(), create).ok()
}

/// Reads the cache in `folder` for `repo` (walked with stamps) and gives the model the
/// parses of every file whose stamp is unchanged. A missing or unusable cache primes
/// nothing.
pub fn load(folder: &Path, repo: &Repo, start: (i64, u32)) -> Loaded {
    let mut loaded = Loaded {
        folder: folder.to_path_buf(),
        root: repo.root.clone(),
        start,
        primed_files: 0,
        primed_parses: 0,
        stored_files: 0,
    };
    let stored = open(folder, &repo.root, false)
        .and_then(|dir| dir.read(&file_name(&repo.root)))
        .and_then(|bytes| format::decode(&bytes, &repo.root));
    let Some(stored) = stored else {
        return loaded;
    };
    loaded.stored_files = stored.len();
    let mut primed = Vec::with_capacity(stored.len());
    for entry in stored {
        let Some(id) = repo.files.id(&entry.path) else {
            continue;
        };
        if repo.files.stamp(id) == Some(&entry.stamp) {
            loaded.primed_parses += entry.found.len();
            primed.push((id, entry.found));
        }
    }
    loaded.primed_files = primed.len();
    repo.prime(primed);
    loaded
}

impl Loaded {
    /// Writes back what the run yielded, unless it is what was loaded. Files changed
    /// within [`RACY_SECONDS`] of the start are left out. Failing to write is not an error:
    /// the next run parses again.
    pub fn save(self, repo: &Repo) {
        let settled = settled(self.start);
        let entries: Vec<format::Entry<&RelPath>> = repo
            .yields()
            .into_iter()
            .filter_map(|(id, found)| {
                let stamp: Stamp = *repo.files.stamp(id)?;
                let path = repo.files.path_of(id)?;
                stamp
                    .changed_before(settled)
                    .then_some(format::Entry { path, stamp, found })
            })
            .collect();
        let parses: usize = entries.iter().map(|e| e.found.len()).sum();
        let unchanged = entries.len() == self.primed_files
            && parses == self.primed_parses
            && self.stored_files == self.primed_files;
        if unchanged {
            return;
        }
        if let Some(dir) = open(&self.folder, &self.root, true) {
            let _ = dir.write_with(&file_name(&self.root), |file| {
                format::write(file, &entries, &self.root)
            });
        }
    }
}

/// An entry for tests of the format.
#[cfg(test)]
fn entry(path: &str, found: crate::model::persist::FileYield) -> format::Entry {
    format::Entry {
        path: crate::paths::RelPath::parse(path).unwrap(),
        stamp: Stamp {
            size: 1,
            mtime: (1, 2),
            ctime: (3, 4),
            ino: 5,
            dev: 6,
            mode: 0o100644,
        },
        found,
    }
}
