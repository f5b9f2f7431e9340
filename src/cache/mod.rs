//! The persistent cache (`.laylint_cache/` at the root, `--cache-dir`,
//! `LAYLINT_CACHE_DIR`, off with `--no-cache`): what each file yielded (its per-file
//! parses: Python bindings and imports, test definitions, template declarations, the key
//! scan), keyed by the file's stamp (`crate::safefs::stamp::Stamp`). A run primes the
//! model with the entries of unchanged files, parses the rest, redoes all the cross-file
//! work, and writes back the shards whose entries changed. Beside the entries, the run
//! record (`record`): the last run's whole outcome, under a key of the settings and every
//! walked entry's stamp; a run whose key is unchanged replays it and parses nothing.
//!
//! The key, besides the stamp: laylint's version and a fingerprint of its sources (the
//! folder's name: two builds never share entries), the root (the files' names). No setting
//! is in it, because no per-file parse reads one: settings act in the cross-file work.
//!
//! The entries are spread over `SHARDS` files by a hash of the path, so that an edit
//! rewrites one and a load decodes them on every core. Each is a postcard document
//! (serde's compact binary form, decoded without a schema in one pass), behind a header
//! holding a CRC-32 of it. A file that is cut short, corrupt, of another format or
//! version, or for another root is ignored and rebuilt, never an error.

mod format;
mod record;

use std::path::{Path, PathBuf};

use crate::model::Repo;
use crate::model::persist::FileYield;
use crate::paths::RelPath;
use crate::safefs::cache_files::{CacheBase, CacheDir};
use crate::sink::Sink;
use crate::walk::CACHE_DIR_NAME;

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

pub use record::{RunKey, key as run_key};

/// The sink of the run recorded in `folder` for `root` under `key`, if that is the key.
pub fn replay(folder: &Path, root: &Path, key: RunKey) -> Option<Sink> {
    let bytes = open(folder, root, false)?.read(&record_name(root))?;
    record::replay(&bytes, key)
}

/// Records `sink` as the outcome of the run under `key`. Failing to write is not an error.
pub fn record(folder: &Path, root: &Path, key: RunKey, sink: &Sink) {
    if let Some(dir) = open(folder, root, true) {
        let _ = dir.write(&record_name(root), &record::record(sink, key));
    }
}

/// A run's cache: what was loaded into the model, for the save.
pub struct Loaded {
    folder: PathBuf,
    root: PathBuf,
    /// When the run started ([`now`], before the walk).
    start: (i64, u32),
    /// What each shard gave.
    shards: Vec<Shard>,
}

/// Files and parses one shard gave the model; files it held.
#[derive(Default, Clone, Copy)]
struct Shard {
    primed_files: usize,
    primed_parses: usize,
    stored_files: usize,
}

impl Loaded {
    /// How many files' parses the model was given.
    pub fn primed_files(&self) -> usize {
        self.shards.iter().map(|s| s.primed_files).sum()
    }
}

/// The entries are kept in this many files, by a hash of the path: a run that changed a
/// few files rewrites a few shards, and the shards are decoded in parallel.
const SHARDS: usize = 16;

fn shard_of(path: &RelPath) -> usize {
    crc32fast::hash(path.as_str().as_bytes()) as usize % SHARDS
}

/// The file of shard `shard` for `root`.
fn shard_name(root: &Path, shard: usize) -> String {
    format!("{}-{shard:02}", file_name(root))
}

/// The run record's file for `root`, beside its shards.
fn record_name(root: &Path) -> String {
    format!("{}.run", file_name(root))
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
    use rayon::prelude::*;
    let dir = open(folder, &repo.root, false);
    let read: Vec<(Shard, Vec<(u32, FileYield)>)> = (0..SHARDS)
        .into_par_iter()
        .map(|shard| {
            let stored = dir
                .as_ref()
                .and_then(|dir| dir.read(&shard_name(&repo.root, shard)))
                .and_then(|bytes| format::decode(&bytes, &repo.root))
                .unwrap_or_default();
            let mut counts = Shard {
                stored_files: stored.len(),
                ..Shard::default()
            };
            let primed: Vec<(u32, FileYield)> = stored
                .into_iter()
                .filter_map(|entry| {
                    let id = repo.files.id(&entry.path)?;
                    (repo.files.stamp(id) == Some(&entry.stamp)).then_some((id, entry.found))
                })
                .collect();
            counts.primed_files = primed.len();
            counts.primed_parses = primed.iter().map(|(_, found)| found.len()).sum();
            (counts, primed)
        })
        .collect();
    let mut shards = Vec::with_capacity(SHARDS);
    for (counts, primed) in read {
        shards.push(counts);
        repo.prime(primed);
    }
    Loaded {
        folder: folder.to_path_buf(),
        root: repo.root.clone(),
        start,
        shards,
    }
}

impl Loaded {
    /// Writes back what the run yielded, in each shard that holds anything else than what
    /// was loaded from it. Files changed within [`RACY_SECONDS`] of the start are left
    /// out. Failing to write is not an error: the next run parses again.
    pub fn save(self, repo: &Repo) {
        use rayon::prelude::*;
        let settled = settled(self.start);
        let mut by_shard: Vec<Vec<format::Entry<&RelPath>>> =
            (0..SHARDS).map(|_| Vec::new()).collect();
        for (id, found) in repo.yields() {
            let (Some(&stamp), Some(path)) = (repo.files.stamp(id), repo.files.path_of(id)) else {
                continue;
            };
            if stamp.changed_before(settled) {
                by_shard[shard_of(path)].push(format::Entry { path, stamp, found });
            }
        }
        let Some(dir) = open(&self.folder, &self.root, true) else {
            return;
        };
        by_shard
            .into_par_iter()
            .enumerate()
            .for_each(|(shard, entries)| {
                let loaded = self.shards.get(shard).copied().unwrap_or_default();
                let parses: usize = entries.iter().map(|e| e.found.len()).sum();
                let unchanged = entries.len() == loaded.primed_files
                    && parses == loaded.primed_parses
                    && loaded.stored_files == loaded.primed_files;
                if !unchanged {
                    let _ = dir.write_with(&shard_name(&self.root, shard), |file| {
                        format::write(file, &entries, &self.root)
                    });
                }
            });
    }
}

/// An entry for tests of the format.
#[cfg(test)]
fn entry(path: &str, found: crate::model::persist::FileYield) -> format::Entry {
    format::Entry {
        path: crate::paths::RelPath::parse(path).unwrap(),
        stamp: crate::safefs::stamp::Stamp {
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
