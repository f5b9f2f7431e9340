//! The only writes laylint makes (`check --fix`): a file replaced or created below an
//! open folder, atomically (a temporary file in the same folder, then a rename), never
//! through a symlink at any step, never outside the folder, keeping the file's
//! permissions. A file without any write permission bit is read-only to laylint, even for
//! a user who could write it anyway (root): its owner said not to change it.

use std::io;

use super::Dir;

/// Why a write was refused or failed.
#[derive(Debug)]
pub enum WriteError {
    /// The file has no write permission bit.
    ReadOnly,
    /// A symlink, a folder, a FIFO…: never written.
    NotRegular,
    /// A file to create is already there.
    Exists,
    /// The file to replace, or the folder to write in, is not there.
    Missing,
    Io(io::Error),
}

impl WriteError {
    /// Why, in words (for a message that names the file).
    pub fn reason(&self) -> String {
        match self {
            WriteError::ReadOnly => "read-only (no write permission bit): left as it is".into(),
            WriteError::NotRegular => {
                "not a regular file, or reached through a symlink: never written".into()
            }
            WriteError::Exists => "already exists".into(),
            WriteError::Missing => "no such file or folder".into(),
            WriteError::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                "permission denied".into()
            }
            WriteError::Io(e) => e.kind().to_string(),
        }
    }
}

/// `rel` split into its folder (empty for the root) and its name; `None` for a path with
/// an empty, `.` or `..` component.
fn split(rel: &str) -> Option<(&str, &str)> {
    if rel.is_empty()
        || rel
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return None;
    }
    Some(rel.rsplit_once('/').unwrap_or(("", rel)))
}

impl Dir {
    /// Replaces the regular file at `rel` (below this folder) with `contents`, keeping
    /// its permissions.
    pub fn replace_beneath(&self, rel: &str, contents: &[u8]) -> Result<(), WriteError> {
        let (folder, name) = split(rel).ok_or(WriteError::NotRegular)?;
        imp::replace(&self.inner, folder, name, contents)
    }

    /// Creates the file `rel` (below this folder, in a folder that exists) holding
    /// `contents`; refuses if anything is already there.
    pub fn create_beneath(&self, rel: &str, contents: &[u8]) -> Result<(), WriteError> {
        let (folder, name) = split(rel).ok_or(WriteError::NotRegular)?;
        imp::create(&self.inner, folder, name, contents)
    }
}

#[cfg(unix)]
mod imp {
    use std::io::Write;
    use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
    use std::sync::atomic::{AtomicU64, Ordering};

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;

    use super::WriteError;

    const DIR: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    fn error(errno: Errno) -> WriteError {
        match errno {
            Errno::LOOP | Errno::XDEV | Errno::NOTDIR | Errno::ISDIR => WriteError::NotRegular,
            Errno::NOENT => WriteError::Missing,
            Errno::EXIST => WriteError::Exists,
            other => WriteError::Io(other.into()),
        }
    }

    /// The folder `rel` below `root`, never through a symlink.
    fn open_folder(root: &OwnedFd, rel: &str) -> Result<Option<OwnedFd>, WriteError> {
        if rel.is_empty() {
            return Ok(None);
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let resolve =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rustix::fs::openat2(root, rel, DIR, Mode::empty(), resolve) {
                Err(Errno::NOSYS | Errno::PERM) => {}
                other => return other.map(Some).map_err(error),
            }
        }
        let _ = ResolveFlags::empty();
        let mut current: Option<OwnedFd> = None;
        for part in rel.split('/') {
            let next = match &current {
                Some(fd) => rustix::fs::openat(fd, part, DIR, Mode::empty()),
                None => rustix::fs::openat(root, part, DIR, Mode::empty()),
            };
            current = Some(next.map_err(error)?);
        }
        Ok(current)
    }

    /// A name for the temporary file, unique in this process.
    fn temp_name(name: &str) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!(".{name}.laylint-{}-{n}.tmp", std::process::id())
    }

    /// Writes `contents` to a new temporary file in `dir` with `mode`; returns its name.
    fn write_temp(
        dir: BorrowedFd<'_>,
        name: &str,
        contents: &[u8],
        mode: Option<Mode>,
    ) -> Result<String, WriteError> {
        let temp = temp_name(name);
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(
            dir,
            temp.as_str(),
            flags,
            mode.unwrap_or(Mode::from_raw_mode(0o666)),
        )
        .map_err(error)?;
        let written = (|| -> std::io::Result<()> {
            if let Some(mode) = mode {
                // The umask narrowed the mode `openat` was given: set the file's own.
                rustix::fs::fchmod(&fd, mode)?;
            }
            let mut file = std::fs::File::from(fd);
            file.write_all(contents)?;
            file.sync_all()
        })();
        if let Err(e) = written {
            let _ = rustix::fs::unlinkat(dir, temp.as_str(), AtFlags::empty());
            return Err(WriteError::Io(e));
        }
        Ok(temp)
    }

    pub fn replace(
        root: &OwnedFd,
        folder: &str,
        name: &str,
        contents: &[u8],
    ) -> Result<(), WriteError> {
        let opened = open_folder(root, folder)?;
        let dir = opened.as_ref().map_or(root.as_fd(), |fd| fd.as_fd());
        let stat = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(error)?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(WriteError::NotRegular);
        }
        let permissions = Mode::from_raw_mode(stat.st_mode) & Mode::from_raw_mode(0o7777);
        if permissions.bits() & 0o222 == 0 {
            return Err(WriteError::ReadOnly);
        }
        let temp = write_temp(dir, name, contents, Some(permissions))?;
        rustix::fs::renameat(dir, temp.as_str(), dir, name).map_err(|e| {
            let _ = rustix::fs::unlinkat(dir, temp.as_str(), AtFlags::empty());
            error(e)
        })
    }

    pub fn create(
        root: &OwnedFd,
        folder: &str,
        name: &str,
        contents: &[u8],
    ) -> Result<(), WriteError> {
        let opened = open_folder(root, folder)?;
        let dir = opened.as_ref().map_or(root.as_fd(), |fd| fd.as_fd());
        match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Err(Errno::NOENT) => {}
            Ok(_) => return Err(WriteError::Exists),
            Err(e) => return Err(error(e)),
        }
        let temp = write_temp(dir, name, contents, None)?;
        // A link never replaces what appeared meanwhile (unlike a rename).
        let linked = rustix::fs::linkat(dir, temp.as_str(), dir, name, AtFlags::empty());
        let _ = rustix::fs::unlinkat(dir, temp.as_str(), AtFlags::empty());
        linked.map_err(error)
    }
}

/// Elsewhere: each component checked before it is used.
#[cfg(not(unix))]
mod imp {
    use std::path::{Path, PathBuf};

    use super::WriteError;

    fn folder(root: &Path, rel: &str) -> Result<PathBuf, WriteError> {
        let mut current = root.to_path_buf();
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            current.push(part);
            let meta = std::fs::symlink_metadata(&current).map_err(io)?;
            if !meta.file_type().is_dir() {
                return Err(WriteError::NotRegular);
            }
        }
        Ok(current)
    }

    fn io(e: std::io::Error) -> WriteError {
        match e.kind() {
            std::io::ErrorKind::NotFound => WriteError::Missing,
            _ => WriteError::Io(e),
        }
    }

    fn temp(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf, WriteError> {
        let path = dir.join(format!(".{name}.laylint-{}.tmp", std::process::id()));
        std::fs::write(&path, contents).map_err(io)?;
        Ok(path)
    }

    pub fn replace(
        root: &PathBuf,
        rel: &str,
        name: &str,
        contents: &[u8],
    ) -> Result<(), WriteError> {
        let dir = folder(root, rel)?;
        let target = dir.join(name);
        let meta = std::fs::symlink_metadata(&target).map_err(io)?;
        if !meta.file_type().is_file() {
            return Err(WriteError::NotRegular);
        }
        if meta.permissions().readonly() {
            return Err(WriteError::ReadOnly);
        }
        let path = temp(&dir, name, contents)?;
        std::fs::rename(&path, &target).map_err(|e| {
            let _ = std::fs::remove_file(&path);
            io(e)
        })
    }

    pub fn create(
        root: &PathBuf,
        rel: &str,
        name: &str,
        contents: &[u8],
    ) -> Result<(), WriteError> {
        let dir = folder(root, rel)?;
        let target = dir.join(name);
        if std::fs::symlink_metadata(&target).is_ok() {
            return Err(WriteError::Exists);
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(io)?;
        std::io::Write::write_all(&mut file, contents).map_err(io)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn replaces_and_creates_but_never_through_a_symlink_or_over_a_read_only_file() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::write(root.join("real/a.py"), "old").unwrap();
        std::fs::set_permissions(root.join("real/a.py"), PermissionsExt::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
        std::os::unix::fs::symlink("real/a.py", root.join("b.py")).unwrap();
        std::fs::write(root.join("ro.py"), "keep").unwrap();
        std::fs::set_permissions(root.join("ro.py"), PermissionsExt::from_mode(0o444)).unwrap();
        let dir = Dir::open(root).unwrap();

        dir.replace_beneath("real/a.py", b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("real/a.py")).unwrap(),
            "new"
        );
        let mode = std::fs::metadata(root.join("real/a.py"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o640);

        for bad in ["linked/a.py", "b.py", "../x.py", "real/../real/a.py"] {
            assert!(
                matches!(dir.replace_beneath(bad, b"x"), Err(WriteError::NotRegular)),
                "{bad}"
            );
        }
        assert!(matches!(
            dir.create_beneath("linked/new.py", b""),
            Err(WriteError::NotRegular)
        ));
        assert!(matches!(
            dir.replace_beneath("ro.py", b"x"),
            Err(WriteError::ReadOnly)
        ));
        assert_eq!(std::fs::read_to_string(root.join("ro.py")).unwrap(), "keep");
        assert_eq!(
            std::fs::read_to_string(root.join("real/a.py")).unwrap(),
            "new"
        );

        dir.create_beneath("real/__init__.py", b"").unwrap();
        assert!(root.join("real/__init__.py").is_file());
        assert!(matches!(
            dir.create_beneath("real/__init__.py", b"x"),
            Err(WriteError::Exists)
        ));
        assert!(matches!(
            dir.create_beneath("b.py", b"x"),
            Err(WriteError::Exists)
        ));
        assert!(matches!(
            dir.create_beneath("nope/x.py", b"x"),
            Err(WriteError::Missing)
        ));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(root.join("real"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
