//! Reading repository files: once, never through a symlink, never a FIFO or a file over
//! [`MAX_PARSE_SIZE`], and only what a rule needs.

use std::sync::Arc;

use super::files::EntryKind;
use super::source::SourceFile;
use super::{MAX_PARSE_SIZE, ReadError, Repo};
use crate::paths::RelPath;
use crate::safefs::{Dir, OpenError};

impl Repo {
    /// The text of a repository file, read once and shared. Never follows symlinks,
    /// never reads FIFOs or files over [`MAX_PARSE_SIZE`].
    pub fn read(&self, path: &RelPath) -> Result<Arc<SourceFile>, ReadError> {
        self.read_keeping(path, true)
    }

    /// Like [`Repo::read`], but records why the file could not be read (PAR001).
    pub fn read_or_report(&self, path: &RelPath) -> Option<Arc<SourceFile>> {
        match self.read(path) {
            Ok(source) => Some(source),
            Err(ReadError::Missing) => None,
            Err(error) => {
                self.report_problem(path, None, format!("`{path}` could not be read: {error}"));
                None
            }
        }
    }

    /// Reads a file whose text is needed once, for a parse that is cached on its own (every
    /// Python module of a monorepo): the text is not kept, unless it holds a suppression
    /// comment (the sink needs those). A facet that makes a span into such a file keeps its
    /// text with [`Repo::keep_text`], so that nothing is read after the checks. Errors are
    /// kept like [`Repo::read`]'s.
    pub fn read_once(&self, path: &RelPath) -> Result<Arc<SourceFile>, ReadError> {
        self.read_keeping(path, false)
    }

    /// Keeps the text of a file read with [`Repo::read_once`] (read again if it was not
    /// kept): called by the facet that makes a span into it, while the model is built, so
    /// that the sink can place the span and show it.
    pub fn keep_text(&self, path: &RelPath) {
        if self.lock_sources().contains_key(path) {
            return;
        }
        let result = self.read_uncached(path);
        self.lock_sources().entry(path.clone()).or_insert(result);
    }

    /// A cached read, or a read from disk whose result is kept (errors always, the text
    /// when `keep_text`; otherwise only the fact that the file was read).
    fn read_keeping(&self, path: &RelPath, keep_text: bool) -> Result<Arc<SourceFile>, ReadError> {
        self.note_read(path);
        if let Some(cached) = self.lock_sources().get(path) {
            return cached.clone();
        }
        let result = self.read_uncached(path);
        let keep_text = keep_text
            || result
                .as_ref()
                .is_ok_and(|s| crate::directives::has_directives(&s.text));
        if result.is_ok() && !keep_text {
            if let Some(id) = self.files.id(path) {
                self.lock_read_once().insert(id);
            }
            return result;
        }
        self.lock_sources()
            .entry(path.clone())
            .or_insert(result)
            .clone()
    }

    /// The text of a file laylint has read and kept, if any; never reads. A file holding
    /// an AWS credential comes masked (see [`Repo::masked`]): this is the text the sink
    /// and every report see.
    pub fn kept_source(&self, path: &RelPath) -> Option<Arc<SourceFile>> {
        let source = self.lock_sources().get(path)?.as_ref().ok().cloned()?;
        Some(self.masked(source))
    }

    /// `source` with every AWS credential found in it replaced by `*` but its first and
    /// last four characters: the same length and lines, so spans and columns hold, and no
    /// snippet, of any rule, shows the key.
    fn masked(&self, source: Arc<SourceFile>) -> Arc<SourceFile> {
        let Some(scan) = self.key_scan(&source.path).filter(|s| s.exact) else {
            return source;
        };
        let mut bytes = source.text.as_bytes().to_vec();
        for hit in &scan.hits {
            let inner = hit.range.start + 4..hit.range.end.saturating_sub(4);
            for b in bytes.get_mut(inner).into_iter().flatten() {
                *b = b'*';
            }
        }
        match String::from_utf8(bytes) {
            Ok(text) => Arc::new(SourceFile::new(source.path.clone(), text)),
            Err(_) => source,
        }
    }

    /// The bytes of a regular file for a scan of every file (IAC001), kept nowhere. `None`
    /// for a file over [`MAX_PARSE_SIZE`] (not scanned, as documented), one that is not
    /// regular, or one that cannot be read (reported).
    pub(crate) fn read_for_scan(&self, path: &RelPath) -> Option<Vec<u8>> {
        self.note_read(path);
        let root = self.root_dir()?;
        match root.read_beneath(path.as_str(), MAX_PARSE_SIZE) {
            Ok(capped) if !capped.truncated => Some(capped.bytes),
            Ok(_) | Err(OpenError::TooLarge(_) | OpenError::NotRegular | OpenError::Missing) => {
                None
            }
            Err(OpenError::Io(error)) => {
                self.report_problem(
                    path,
                    None,
                    format!("`{path}` could not be read: {}", error.kind()),
                );
                None
            }
        }
    }

    /// The first `limit` bytes of a regular file, for files too large (or not UTF-8) to read
    /// whole: enough to tell whether a rule would have needed them.
    pub fn read_prefix(&self, path: &RelPath, limit: usize) -> Option<Vec<u8>> {
        self.note_read(path);
        let entry = self.files.get(path)?;
        if entry.kind != EntryKind::File {
            return None;
        }
        let capped = self
            .root_dir()?
            .read_beneath(path.as_str(), limit as u64)
            .ok()?;
        Some(capped.bytes)
    }

    /// The root folder, opened once: every read is relative to it, so a folder swapped for
    /// a symlink during the run cannot redirect a read outside the root.
    fn root_dir(&self) -> Option<&Dir> {
        self.caches
            .root_dir
            .get_or_init(|| Dir::open(&self.root).ok())
            .as_ref()
    }

    /// Every text kept so far, in path order: every file read that holds a suppression
    /// comment is among them. Never reads.
    pub fn kept_sources(&self) -> Vec<Arc<SourceFile>> {
        let kept: Vec<Arc<SourceFile>> = self
            .lock_sources()
            .values()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        let mut sources: Vec<Arc<SourceFile>> = kept.into_iter().map(|s| self.masked(s)).collect();
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        sources
    }

    fn read_uncached(&self, path: &RelPath) -> Result<Arc<SourceFile>, ReadError> {
        debug_assert!(
            !self.reads_closed(),
            "`{path}` read after the checks finished: the facet that made a span into it \
             must keep its text (Repo::keep_text)"
        );
        let entry = self.files.get(path).ok_or(ReadError::Missing)?;
        if entry.kind != EntryKind::File {
            return Err(ReadError::NotRegular);
        }
        // One open, relative to the root, that refuses a symlink at any step and never
        // blocks (a FIFO); the checks are made on the open file: no window between a
        // check and the read.
        let root = self
            .root_dir()
            .ok_or_else(|| ReadError::Io("the root folder could not be opened".into()))?;
        let capped =
            root.read_beneath(path.as_str(), MAX_PARSE_SIZE)
                .map_err(|error| match error {
                    OpenError::Missing => ReadError::Io("no longer there".into()),
                    OpenError::NotRegular => ReadError::NotRegular,
                    OpenError::TooLarge(size) => ReadError::TooLarge(size),
                    OpenError::Io(e) => ReadError::Io(e.kind().to_string()),
                })?;
        if capped.truncated {
            return Err(ReadError::TooLarge(file_size(root, path)));
        }
        let text = String::from_utf8(capped.bytes)
            .map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))?;
        Ok(Arc::new(SourceFile::new(path.clone(), text)))
    }
}

/// The size of a file found over the cap, for the message (at least one byte over).
fn file_size(root: &Dir, path: &RelPath) -> u64 {
    root.open_beneath(path.as_str())
        .and_then(|f| f.metadata().map_err(OpenError::Io))
        .map_or(MAX_PARSE_SIZE + 1, |m| m.len().max(MAX_PARSE_SIZE + 1))
}
