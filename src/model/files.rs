//! The file index: every entry the walk visited, sorted, with folder listings.

use std::collections::HashMap;

use crate::paths::RelPath;

/// What an entry is. Symlinks are listed but never followed or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// FIFOs, sockets, devices: listed, never read.
    Other,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub path: RelPath,
    pub kind: EntryKind,
}

/// Every entry under the root that the walk kept, the root included.
#[derive(Debug, Default, Clone)]
pub struct FileIndex {
    entries: Vec<Entry>,
    by_path: HashMap<RelPath, usize>,
    children: HashMap<RelPath, Vec<usize>>,
}

impl FileIndex {
    pub fn new(mut entries: Vec<Entry>) -> Self {
        if !entries.iter().any(|e| e.path.is_root()) {
            entries.push(Entry {
                path: RelPath::root(),
                kind: EntryKind::Dir,
            });
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        let mut by_path = HashMap::with_capacity(entries.len());
        let mut children: HashMap<RelPath, Vec<usize>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            by_path.insert(entry.path.clone(), i);
            if let Some(parent) = entry.path.parent() {
                children.entry(parent).or_default().push(i);
            }
        }
        Self {
            entries,
            by_path,
            children,
        }
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
        self.by_path.get(path).map(|&i| &self.entries[i])
    }

    pub fn exists(&self, path: &RelPath) -> bool {
        self.by_path.contains_key(path)
    }

    pub fn is_file(&self, path: &RelPath) -> bool {
        self.get(path).is_some_and(|e| e.kind == EntryKind::File)
    }

    pub fn is_dir(&self, path: &RelPath) -> bool {
        self.get(path).is_some_and(|e| e.kind == EntryKind::Dir)
    }

    /// The direct children of a folder, in path order.
    pub fn children(&self, dir: &RelPath) -> impl Iterator<Item = &Entry> {
        self.children
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
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
