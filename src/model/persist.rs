//! What each file yielded, in the form the persistent cache stores (`crate::cache`): the
//! per-file parses, each a function of its own file's text and path alone, so that an
//! unchanged file's entries stay true whatever else changed. Everything read across
//! files (resolution, mypy's view, pytest's runs) is redone on every run.

use std::collections::HashMap;
use std::sync::Arc;

use super::aws_keys::KeyScan;
use super::pytest::TestDefs;
use super::templates::Declarations;
use super::{FileCache, Repo, lock_file};
use crate::python::PyModule;

/// One file's successful parses (each `None` when that parse was not asked for).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileYield {
    pub python: Option<Arc<PyModule>>,
    pub test_defs: Option<Arc<TestDefs>>,
    /// The word set's id this file's imports were found irrelevant for (mypy's view).
    pub import_free: Option<Arc<u64>>,
    pub aws_keys: Option<Arc<KeyScan>>,
    pub templates: Option<Arc<Declarations>>,
}

impl FileYield {
    /// How many parses it holds.
    pub fn len(&self) -> usize {
        usize::from(self.python.is_some())
            + usize::from(self.test_defs.is_some())
            + usize::from(self.import_free.is_some())
            + usize::from(self.aws_keys.is_some())
            + usize::from(self.templates.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Moves each successful entry of `cache` into the yield of its file.
fn gather<T>(
    cache: &FileCache<T>,
    out: &mut HashMap<u32, FileYield>,
    slot: impl Fn(&mut FileYield) -> &mut Option<Arc<T>>,
) {
    for (id, parsed) in lock_file(cache).iter() {
        if let Some(parsed) = parsed {
            *slot(out.entry(*id).or_default()) = Some(parsed.clone());
        }
    }
}

/// Puts `value` as file `id`'s entry of `cache`, unless the run computed one already.
fn put<T>(cache: &FileCache<T>, id: u32, value: Option<Arc<T>>) {
    if let Some(value) = value {
        lock_file(cache).entry(id).or_insert(Some(value));
    }
}

impl Repo {
    /// Every file's successful per-file parses, by file id, in id order. Left out: a file
    /// with a problem (its PAR001 must be reported again, so it is parsed again) and a
    /// file whose kept text holds a suppression comment (the sink needs that text, which a
    /// run served from the cache would not read).
    pub fn yields(&self) -> Vec<(u32, FileYield)> {
        let caches = &self.caches;
        let mut out: HashMap<u32, FileYield> = HashMap::new();
        gather(&caches.python, &mut out, |y| &mut y.python);
        gather(&caches.test_defs, &mut out, |y| &mut y.test_defs);
        gather(&caches.import_free, &mut out, |y| &mut y.import_free);
        gather(&caches.aws_keys, &mut out, |y| &mut y.aws_keys);
        gather(&caches.templates, &mut out, |y| &mut y.templates);
        let problems: std::collections::HashSet<u32> = self
            .problems()
            .iter()
            .filter_map(|p| self.files.id(&p.location.path))
            .collect();
        let with_comments: std::collections::HashSet<u32> = self
            .lock_sources()
            .iter()
            .filter(|(_, read)| {
                read.as_ref()
                    .is_ok_and(|s| crate::directives::has_directives(&s.text))
            })
            .filter_map(|(path, _)| self.files.id(path))
            .collect();
        let mut yields: Vec<(u32, FileYield)> = out
            .into_iter()
            .filter(|(id, _)| !problems.contains(id) && !with_comments.contains(id))
            .collect();
        yields.sort_unstable_by_key(|(id, _)| *id);
        yields
    }

    /// Fills the per-file caches with what earlier runs yielded for files unchanged since.
    pub fn prime(&self, yields: Vec<(u32, FileYield)>) {
        let caches = &self.caches;
        for (id, found) in yields {
            put(&caches.python, id, found.python);
            put(&caches.test_defs, id, found.test_defs);
            put(&caches.import_free, id, found.import_free);
            put(&caches.aws_keys, id, found.aws_keys);
            put(&caches.templates, id, found.templates);
        }
    }
}
