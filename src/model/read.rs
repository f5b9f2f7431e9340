//! Reading repository files: once, never through a symlink, never a FIFO or a file over
//! [`MAX_PARSE_SIZE`], and only what a rule needs.

use std::sync::Arc;

use super::files::EntryKind;
use super::source::SourceFile;
use super::{MAX_PARSE_SIZE, ReadError, Repo};
use crate::paths::RelPath;

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
    /// Python module of a monorepo): the text is not kept, only the fact that it was read,
    /// so that [`Repo::cached_source`] can read it again for a diagnostic or a suppression
    /// comment. Errors are kept like [`Repo::read`]'s.
    pub fn read_once(&self, path: &RelPath) -> Result<Arc<SourceFile>, ReadError> {
        self.read_keeping(path, false)
    }

    /// A cached read, or a read from disk whose result is kept (errors always, the text
    /// when `keep_text`; otherwise only the fact that the file was read).
    fn read_keeping(&self, path: &RelPath, keep_text: bool) -> Result<Arc<SourceFile>, ReadError> {
        if let Some(cached) = self.lock_sources().get(path) {
            return cached.clone();
        }
        let result = self.read_uncached(path);
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

    /// The text of a file laylint has read, if any (read again if it was read once).
    pub fn cached_source(&self, path: &RelPath) -> Option<Arc<SourceFile>> {
        if let Some(cached) = self.lock_sources().get(path) {
            return cached.as_ref().ok().cloned();
        }
        if self
            .files
            .id(path)
            .is_some_and(|id| self.lock_read_once().contains(&id))
        {
            return self.read(path).ok();
        }
        None
    }

    /// The first `limit` bytes of a regular file, for files too large (or not UTF-8) to read
    /// whole: enough to tell whether a rule would have needed them.
    pub fn read_prefix(&self, path: &RelPath, limit: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let entry = self.files.get(path)?;
        if entry.kind != EntryKind::File {
            return None;
        }
        let file = open_no_follow(&path.to_fs(&self.root)).ok()?;
        if !file.metadata().ok()?.file_type().is_file() {
            return None;
        }
        let mut buffer = Vec::with_capacity(limit);
        file.take(limit as u64).read_to_end(&mut buffer).ok()?;
        Some(buffer)
    }

    /// Every file read so far (for suppression comments), in path order.
    pub fn read_sources(&self) -> Vec<Arc<SourceFile>> {
        let once: Vec<u32> = self.lock_read_once().iter().copied().collect();
        for path in once.iter().filter_map(|&id| self.files.path_of(id)) {
            let _ = self.read(path);
        }
        let mut sources: Vec<Arc<SourceFile>> = self
            .lock_sources()
            .values()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        sources
    }

    fn read_uncached(&self, path: &RelPath) -> Result<Arc<SourceFile>, ReadError> {
        let entry = self.files.get(path).ok_or(ReadError::Missing)?;
        if entry.kind != EntryKind::File {
            return Err(ReadError::NotRegular);
        }
        // One open that refuses symlinks and never blocks (a FIFO), then checks on the
        // open file itself: no window between a check and the read.
        let io = |e: std::io::Error| ReadError::Io(e.kind().to_string());
        let mut file = open_no_follow(&path.to_fs(&self.root))?;
        let meta = file.metadata().map_err(io)?;
        if !meta.file_type().is_file() {
            return Err(ReadError::NotRegular);
        }
        if meta.len() > MAX_PARSE_SIZE {
            return Err(ReadError::TooLarge(meta.len()));
        }
        let bytes = read_sized(&mut file, meta.len() as usize).map_err(io)?;
        if bytes.len() as u64 > MAX_PARSE_SIZE {
            return Err(ReadError::TooLarge(bytes.len() as u64));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))?;
        Ok(Arc::new(SourceFile::new(path.clone(), text)))
    }
}

/// Reads a regular file of `size` bytes (as `fstat` said) in one `read` when it still has
/// that size: a read shorter than asked ends a regular file, so no second read is made to
/// see the end (`read_to_end` makes one per file). A file that grew is read on, up to one
/// byte over [`MAX_PARSE_SIZE`].
fn read_sized(file: &mut std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let cap = MAX_PARSE_SIZE as usize + 1;
    let mut bytes = vec![0u8; size.saturating_add(1).min(cap)];
    let mut filled = 0;
    loop {
        let n = match file.read(&mut bytes[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        if n == 0 || filled == cap {
            break;
        }
        if filled == bytes.len() {
            let grown = (bytes.len() * 2).min(cap);
            bytes.resize(grown, 0);
        } else if filled == size {
            break;
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Opens a file for reading without following a final symlink or blocking on a FIFO.
#[cfg(unix)]
fn open_no_follow(path: &std::path::Path) -> Result<std::fs::File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => ReadError::NotRegular,
            _ => ReadError::Io(e.kind().to_string()),
        })
}

/// Elsewhere: check the entry first (no FIFOs to block on there).
#[cfg(not(unix))]
fn open_no_follow(path: &std::path::Path) -> Result<std::fs::File, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.kind().to_string());
    if !std::fs::symlink_metadata(path)
        .map_err(io)?
        .file_type()
        .is_file()
    {
        return Err(ReadError::NotRegular);
    }
    std::fs::File::open(path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_whatever_size_was_stated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        let text = "x = 1\n".repeat(1000);
        std::fs::write(&path, &text).unwrap();
        // As stated; stated smaller (the file grew); stated larger (it shrank); empty.
        for stated in [text.len(), 10, text.len() + 50, 0] {
            let mut file = std::fs::File::open(&path).unwrap();
            let bytes = read_sized(&mut file, stated).unwrap();
            assert_eq!(bytes, text.as_bytes(), "stated {stated}");
        }
    }
}
