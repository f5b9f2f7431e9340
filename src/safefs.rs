//! Every file laylint opens goes through here. Repository files are opened relative to a
//! folder that is already open (the root, or the folder being listed), never through a
//! symlink (not even one swapped in for a folder during the run), never blocking on a
//! FIFO, and never read past a cap. Nothing here follows a path out of the folder it
//! starts from.

pub mod cache_files;
pub mod stamp;
pub mod write;

use std::ffi::{OsStr, OsString};
use std::io::{self, Read};
use std::path::Path;

/// What an entry is. Symlinks are listed but never followed or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// FIFOs, sockets, devices: listed, never read.
    Other,
}

/// Why a file could not be opened or read.
#[derive(Debug)]
pub enum OpenError {
    /// Not there.
    Missing,
    /// A symlink, FIFO, socket, device or folder: never read.
    NotRegular,
    /// Larger than the cap (the size seen).
    TooLarge(u64),
    Io(io::Error),
}

impl OpenError {
    fn from_io(error: io::Error) -> Self {
        // O_NOFOLLOW on a symlink, a symlink met on the way, a socket, a path that would
        // leave the folder it starts from.
        #[cfg(unix)]
        if let Some(libc::ELOOP | libc::ENXIO | libc::EXDEV | libc::EISDIR) = error.raw_os_error() {
            return OpenError::NotRegular;
        }
        match error.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => OpenError::Missing,
            _ => OpenError::Io(error),
        }
    }

    /// Why, in words (for a message that names the file).
    pub fn reason(&self) -> String {
        match self {
            OpenError::Missing => "no such file".into(),
            OpenError::NotRegular => {
                "not a regular file (symlinks, FIFOs and devices are never read)".into()
            }
            OpenError::TooLarge(size) => format!("too large ({size} bytes)"),
            OpenError::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                "permission denied".into()
            }
            OpenError::Io(e) => e.kind().to_string(),
        }
    }
}

/// A file's first `cap` bytes, and whether there was more.
pub struct Capped {
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

/// Reads an open file: only a regular file, at most `cap` bytes. `truncated` when the
/// file holds more. A regular file whose `fstat` size is right is read in one `read`.
pub fn read_capped(mut file: std::fs::File, cap: u64) -> Result<Capped, OpenError> {
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.file_type().is_file() {
        return Err(OpenError::NotRegular);
    }
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    // One byte more than the cap tells a file over it from one exactly at it.
    let limit = cap.saturating_add(1);
    let mut bytes = vec![0u8; size.saturating_add(1).min(limit)];
    let mut filled = 0;
    loop {
        let n = match file.read(&mut bytes[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(OpenError::Io(e)),
        };
        filled += n;
        if n == 0 || filled == limit {
            break;
        }
        if filled == bytes.len() {
            let grown = bytes.len().saturating_mul(2).min(limit);
            bytes.resize(grown, 0);
        } else if filled == size {
            // A read shorter than asked ends a regular file of the size `fstat` gave.
            break;
        }
    }
    bytes.truncate(filled);
    let truncated = bytes.len() > cap;
    bytes.truncate(cap);
    Ok(Capped { bytes, truncated })
}

/// A file outside any repository folder (`--config`, a root marker): opened without
/// following a final symlink or blocking, capped like any other.
pub fn read_path(path: &Path, cap: u64) -> Result<Capped, OpenError> {
    read_capped(imp::open_path(path).map_err(OpenError::from_io)?, cap)
}

/// An open folder. Everything below it is opened relative to it.
pub struct Dir {
    inner: imp::Handle,
}

impl Dir {
    /// Opens the folder at `path` (the root: the caller resolved it).
    pub fn open(path: &Path) -> io::Result<Dir> {
        Ok(Dir {
            inner: imp::open_root(path)?,
        })
    }

    /// The folder `name` directly in this one; never a symlink.
    pub fn open_dir(&self, name: &OsStr) -> io::Result<Dir> {
        Ok(Dir {
            inner: imp::open_dir(&self.inner, name)?,
        })
    }

    /// The entries directly in this folder, with their kind (a symlink is a symlink).
    pub fn entries(&self) -> io::Result<Vec<(OsString, EntryKind)>> {
        imp::entries(&self.inner)
    }

    /// Reads `name`, directly in this folder, capped.
    pub fn read_file(&self, name: &OsStr, cap: u64) -> Result<Capped, OpenError> {
        let file = imp::open_file(&self.inner, name).map_err(OpenError::from_io)?;
        read_capped(file, cap)
    }

    /// Opens the file at `rel` (`/`-separated, no `.` or `..`) below this folder, never
    /// through a symlink at any step.
    pub fn open_beneath(&self, rel: &str) -> Result<std::fs::File, OpenError> {
        if rel.is_empty()
            || rel
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
        {
            return Err(OpenError::NotRegular);
        }
        imp::open_beneath(&self.inner, rel).map_err(OpenError::from_io)
    }

    /// Reads the file at `rel` below this folder, capped.
    pub fn read_beneath(&self, rel: &str, cap: u64) -> Result<Capped, OpenError> {
        read_capped(self.open_beneath(rel)?, cap)
    }
}

#[cfg(unix)]
mod imp {
    use std::ffi::{OsStr, OsString};
    use std::io;
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags};

    use super::EntryKind;

    pub type Handle = OwnedFd;

    const FILE: OFlags = OFlags::RDONLY
        .union(OFlags::NOFOLLOW)
        .union(OFlags::NONBLOCK)
        .union(OFlags::NOCTTY)
        .union(OFlags::CLOEXEC);
    const DIR: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    pub fn open_root(path: &Path) -> io::Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(rustix::fs::openat(
            rustix::fs::CWD,
            path,
            flags,
            Mode::empty(),
        )?)
    }

    pub fn open_path(path: &Path) -> io::Result<std::fs::File> {
        Ok(rustix::fs::openat(rustix::fs::CWD, path, FILE, Mode::empty())?.into())
    }

    pub fn open_dir(dir: &OwnedFd, name: &OsStr) -> io::Result<OwnedFd> {
        Ok(rustix::fs::openat(dir, name, DIR, Mode::empty())?)
    }

    pub fn open_file(dir: &OwnedFd, name: &OsStr) -> io::Result<std::fs::File> {
        Ok(rustix::fs::openat(dir, name, FILE, Mode::empty())?.into())
    }

    /// `openat2` with no symlinks and no escape (Linux 5.6 and later); elsewhere, or
    /// where a sandbox refuses it, one `openat` per component, each refusing symlinks.
    pub fn open_beneath(dir: &OwnedFd, rel: &str) -> io::Result<std::fs::File> {
        static NO_OPENAT2: AtomicBool = AtomicBool::new(false);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if !NO_OPENAT2.load(Ordering::Relaxed) {
            let resolve =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rustix::fs::openat2(dir, rel, FILE, Mode::empty(), resolve) {
                Err(rustix::io::Errno::NOSYS | rustix::io::Errno::PERM) => {
                    NO_OPENAT2.store(true, Ordering::Relaxed);
                }
                other => return Ok(other?.into()),
            }
        }
        let _ = (&NO_OPENAT2, ResolveFlags::empty());
        let mut parts = rel.split('/');
        let last = parts.next_back().unwrap_or_default();
        let mut current: Option<OwnedFd> = None;
        for part in parts {
            let next = match &current {
                Some(fd) => rustix::fs::openat(fd, part, DIR, Mode::empty())?,
                None => rustix::fs::openat(dir, part, DIR, Mode::empty())?,
            };
            current = Some(next);
        }
        let file = match &current {
            Some(fd) => rustix::fs::openat(fd, last, FILE, Mode::empty())?,
            None => rustix::fs::openat(dir, last, FILE, Mode::empty())?,
        };
        Ok(file.into())
    }

    pub fn entries(dir: &OwnedFd) -> io::Result<Vec<(OsString, EntryKind)>> {
        use std::os::unix::ffi::OsStrExt;
        let mut listing = rustix::fs::Dir::read_from(dir.as_fd())?;
        let mut out = Vec::new();
        while let Some(entry) = listing.read() {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let name = OsStr::from_bytes(name);
            let kind = match entry.file_type() {
                FileType::Unknown => {
                    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                        Ok(stat) => kind_of(FileType::from_raw_mode(stat.st_mode)),
                        Err(_) => EntryKind::Other,
                    }
                }
                other => kind_of(other),
            };
            out.push((name.to_os_string(), kind));
        }
        Ok(out)
    }

    fn kind_of(file_type: FileType) -> EntryKind {
        match file_type {
            FileType::RegularFile => EntryKind::File,
            FileType::Directory => EntryKind::Dir,
            FileType::Symlink => EntryKind::Symlink,
            _ => EntryKind::Other,
        }
    }
}

/// Elsewhere: check each entry before opening it (no FIFOs to block on there).
#[cfg(not(unix))]
mod imp {
    use std::ffi::{OsStr, OsString};
    use std::io;
    use std::path::{Path, PathBuf};

    use super::EntryKind;

    pub type Handle = PathBuf;

    fn not_regular() -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
    }

    pub fn open_root(path: &Path) -> io::Result<PathBuf> {
        if !std::fs::metadata(path)?.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
        }
        Ok(path.to_path_buf())
    }

    pub fn open_path(path: &Path) -> io::Result<std::fs::File> {
        if !std::fs::symlink_metadata(path)?.file_type().is_file() {
            return Err(not_regular());
        }
        std::fs::File::open(path)
    }

    pub fn open_dir(dir: &PathBuf, name: &OsStr) -> io::Result<PathBuf> {
        let path = dir.join(name);
        if !std::fs::symlink_metadata(&path)?.file_type().is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
        }
        Ok(path)
    }

    pub fn open_file(dir: &PathBuf, name: &OsStr) -> io::Result<std::fs::File> {
        open_path(&dir.join(name))
    }

    pub fn open_beneath(dir: &PathBuf, rel: &str) -> io::Result<std::fs::File> {
        let mut current = dir.clone();
        let mut parts = rel.split('/');
        let last = parts.next_back().unwrap_or_default();
        for part in parts {
            current = open_dir(&current, OsStr::new(part))?;
        }
        open_file(&current, OsStr::new(last))
    }

    pub fn entries(dir: &PathBuf) -> io::Result<Vec<(OsString, EntryKind)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = match entry.file_type() {
                Ok(t) if t.is_symlink() => EntryKind::Symlink,
                Ok(t) if t.is_dir() => EntryKind::Dir,
                Ok(t) if t.is_file() => EntryKind::File,
                _ => EntryKind::Other,
            };
            out.push((entry.file_name(), kind));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_and_caps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let text = "x = 1\n".repeat(1000);
        std::fs::write(dir.path().join("m.py"), &text).unwrap();
        let root = Dir::open(dir.path()).unwrap();
        let whole = root.read_beneath("m.py", 1 << 20).unwrap();
        assert_eq!(whole.bytes, text.as_bytes());
        assert!(!whole.truncated);
        let capped = root.read_beneath("m.py", 10).unwrap();
        assert_eq!(capped.bytes, &text.as_bytes()[..10]);
        assert!(capped.truncated);
        let exact = root.read_beneath("m.py", text.len() as u64).unwrap();
        assert!(!exact.truncated);
    }

    #[cfg(unix)]
    #[test]
    fn never_through_a_symlink_at_any_step() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::write(root.join("real/a.py"), "x").unwrap();
        std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
        std::os::unix::fs::symlink("real/a.py", root.join("b.py")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("p.py")).unwrap();
        let dir = Dir::open(root).unwrap();
        assert!(dir.read_beneath("real/a.py", 100).is_ok());
        for bad in [
            "linked/a.py",
            "b.py",
            "p.py",
            "../etc/passwd",
            "real/../b.py",
        ] {
            assert!(
                matches!(dir.read_beneath(bad, 100), Err(OpenError::NotRegular)),
                "{bad}"
            );
        }
        assert!(matches!(
            dir.read_beneath("nope.py", 100),
            Err(OpenError::Missing)
        ));
        assert!(dir.open_dir(OsStr::new("linked")).is_err());
    }
}
