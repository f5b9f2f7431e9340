//! The file index: every entry the walk visited, sorted, with folder listings.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::paths::RelPath;

/// The parent folder of a relative path (`""` is the root, which has none).
fn parent_str(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    Some(path.rfind('/').map_or("", |i| &path[..i]))
}

pub use crate::safefs::EntryKind;
pub use crate::safefs::stamp::Stamp;

#[derive(Debug, Clone)]
pub struct Entry {
    pub path: RelPath,
    pub kind: EntryKind,
}

/// Every entry under the root that the walk kept, the root included. Compact, as a
/// monorepo has hundreds of thousands: paths are stored once, looked up through a table
/// of indices, and folder listings are ranges of one flat list of indices.
#[derive(Debug, Default, Clone)]
pub struct FileIndex {
    entries: Vec<Entry>,
    by_path: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// `children[child_start[i]..child_start[i + 1]]`: the entries directly in entry `i`.
    child_start: Vec<u32>,
    children: Vec<u32>,
    /// Each file's [`Stamp`] by id, when the walk read them (for the persistent cache).
    stamps: Vec<Option<Stamp>>,
}

impl FileIndex {
    pub fn new(entries: Vec<Entry>) -> Self {
        Self::with_stamps(entries.into_iter().map(|e| (e, None)).collect(), false)
    }

    /// The index of `entries`, each with the stamp the walk read (kept when `stamped`).
    pub fn with_stamps(mut entries: Vec<(Entry, Option<Stamp>)>, stamped: bool) -> Self {
        if !entries.iter().any(|(e, _)| e.path.is_root()) {
            let root = Entry {
                path: RelPath::root(),
                kind: EntryKind::Dir,
            };
            entries.push((root, None));
        }
        // A monorepo has a hundred thousand entries: sort with every core.
        crate::par::sort_by(&mut entries, |a, b| a.0.path.cmp(&b.0.path));
        entries.dedup_by(|a, b| a.0.path == b.0.path);
        let (entries, stamps): (Vec<Entry>, Vec<Option<Stamp>>) = entries.into_iter().unzip();
        let stamps = if stamped { stamps } else { Vec::new() };
        let hasher = DefaultHashBuilder::default();
        let mut by_path = HashTable::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let hash = hasher.hash_one(entry.path.as_str());
            by_path.insert_unique(hash, i as u32, |&j| {
                hasher.hash_one(entries[j as usize].path.as_str())
            });
        }
        let mut index = Self {
            entries,
            by_path,
            hasher,
            child_start: Vec::new(),
            children: Vec::new(),
            stamps,
        };
        let parents: Vec<Option<u32>> = index
            .entries
            .iter()
            .map(|e| parent_str(e.path.as_str()).and_then(|p| index.position(p)))
            .collect();
        let mut counts = vec![0u32; index.entries.len() + 1];
        for parent in parents.iter().flatten() {
            counts[*parent as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut next = counts.clone();
        let mut children = vec![0u32; counts.last().copied().unwrap_or(0) as usize];
        for (i, parent) in parents.iter().enumerate() {
            if let Some(parent) = parent {
                let slot = &mut next[*parent as usize];
                children[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        index.child_start = counts;
        index.children = children;
        index
    }

    /// A small stable number for an entry of this index (its position), for per-file
    /// tables that would otherwise copy every path.
    pub fn id(&self, path: &RelPath) -> Option<u32> {
        self.position(path.as_str())
    }

    /// The path of an entry by [`FileIndex::id`].
    pub fn path_of(&self, id: u32) -> Option<&RelPath> {
        self.entries.get(id as usize).map(|e| &e.path)
    }

    fn position(&self, path: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(path);
        self.by_path
            .find(hash, |&i| self.entries[i as usize].path.as_str() == path)
            .copied()
    }

    /// The stamp of file `id`, when the walk read it.
    pub fn stamp(&self, id: u32) -> Option<&Stamp> {
        self.stamps.get(id as usize)?.as_ref()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries in path order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    pub fn files(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == EntryKind::File)
    }

    pub fn dirs(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == EntryKind::Dir)
    }

    pub fn get(&self, path: &RelPath) -> Option<&Entry> {
        self.position(path.as_str())
            .map(|i| &self.entries[i as usize])
    }

    pub fn exists(&self, path: &RelPath) -> bool {
        self.position(path.as_str()).is_some()
    }

    pub fn is_file(&self, path: &RelPath) -> bool {
        self.get(path).is_some_and(|e| e.kind == EntryKind::File)
    }

    pub fn is_dir(&self, path: &RelPath) -> bool {
        self.get(path).is_some_and(|e| e.kind == EntryKind::Dir)
    }

    /// The direct children of a folder, in path order.
    pub fn children(&self, dir: &RelPath) -> impl Iterator<Item = &Entry> {
        let range = self.position(dir.as_str()).and_then(|i| {
            let start = *self.child_start.get(i as usize)? as usize;
            let end = *self.child_start.get(i as usize + 1)? as usize;
            Some(start..end)
        });
        self.children
            .get(range.unwrap_or_default())
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.entries[i as usize])
    }

    /// Every entry strictly below `dir`, in path order (a shared prefix is a contiguous run).
    pub fn descendants<'a>(&'a self, dir: &RelPath) -> impl Iterator<Item = &'a Entry> + 'a {
        let prefix = if dir.is_root() {
            String::new()
        } else {
            format!("{}/", dir.as_str())
        };
        let start = self
            .entries
            .partition_point(|e| e.path.as_str() < prefix.as_str());
        self.entries[start..]
            .iter()
            .take_while(move |e| e.path.as_str().starts_with(prefix.as_str()))
            .filter(|e| !e.path.is_root())
    }
}
