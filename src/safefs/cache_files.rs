//! The persistent cache's folder: the one place laylint writes without `--fix`. Inside
//! the repository (the default, `.laylint_cache/` at the root) it is reached from the open
//! root and never through a symlink; a folder given by the user is theirs to place. Every
//! file in it is opened without following a symlink, written to a temporary name and
//! renamed over (a reader sees the old file or the new one, whole), and read capped.

use std::io::{self, Write};
use std::path::Path;

use super::Dir;

/// Caches larger than this are not read (a hundred thousand files need a few MiB).
const MAX_CACHE_FILE: u64 = 1 << 30;

/// Where the cache folder is.
pub enum CacheBase<'a> {
    /// A folder directly in the open root, reached without following a symlink.
    InRoot(&'a Path, &'a str),
    /// A folder the user named (`--cache-dir`, `LAYLINT_CACHE_DIR`): created if needed.
    Given(&'a Path),
}

/// An open cache folder.
pub struct CacheDir {
    dir: Dir,
}

impl CacheDir {
    /// Opens the folder `sub` of the cache folder (a version's), creating both (and the
    /// cache folder's `.gitignore` of `*` and `CACHEDIR.TAG`) when `create`.
    pub fn open(base: CacheBase<'_>, sub: &str, create: bool) -> io::Result<CacheDir> {
        let top = match base {
            CacheBase::InRoot(root, name) => {
                let root = Dir::open(root)?;
                if create {
                    imp::make_dir(&root, name)?;
                }
                root.open_dir(name.as_ref())?
            }
            CacheBase::Given(path) => {
                if create {
                    std::fs::create_dir_all(path)?;
                }
                Dir::open(path)?
            }
        };
        if create {
            // What ruff writes too: git and backup tools then leave the folder alone.
            let _ = imp::create_new(&top, ".gitignore", b"# Created by laylint.\n*\n");
            let _ = imp::create_new(
                &top,
                "CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n# Created by laylint.\n",
            );
            imp::make_dir(&top, sub)?;
        }
        Ok(CacheDir {
            dir: top.open_dir(sub.as_ref())?,
        })
    }

    /// The bytes of the cache file `name`, if it is a regular file of a sane size.
    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        let capped = self.dir.read_file(name.as_ref(), MAX_CACHE_FILE).ok()?;
        (!capped.truncated).then_some(capped.bytes)
    }

    /// Replaces the cache file `name` with `bytes`, atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        imp::replace(&self.dir, name, |file| file.write_all(bytes))
    }

    /// Replaces the cache file `name` with what `write` writes to a new file, atomically
    /// (for a large file, written as it is made).
    pub fn write_with(
        &self,
        name: &str,
        write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
    ) -> io::Result<()> {
        imp::replace(&self.dir, name, write)
    }
}

#[cfg(unix)]
mod imp {
    use std::io::{self, Write};
    use std::sync::atomic::{AtomicU64, Ordering};

    use rustix::fs::{AtFlags, Mode, OFlags};
    use rustix::io::Errno;

    use crate::safefs::Dir;

    const NEW: OFlags = OFlags::WRONLY
        .union(OFlags::CREATE)
        .union(OFlags::EXCL)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    pub fn make_dir(dir: &Dir, name: &str) -> io::Result<()> {
        match rustix::fs::mkdirat(&dir.inner, name, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    pub fn create_new(dir: &Dir, name: &str, bytes: &[u8]) -> io::Result<()> {
        create_with(dir, name, |file| file.write_all(bytes))
    }

    fn create_with(
        dir: &Dir,
        name: &str,
        write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
    ) -> io::Result<()> {
        let fd = rustix::fs::openat(&dir.inner, name, NEW, Mode::from_raw_mode(0o666))?;
        write(&mut std::fs::File::from(fd))
    }

    /// A temporary file then a rename; no `fsync`: a cache lost in a crash is rebuilt, and
    /// one cut short is refused by its checksum.
    pub fn replace(
        dir: &Dir,
        name: &str,
        write: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
    ) -> io::Result<()> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = format!(".{name}.{}-{n}.tmp", std::process::id());
        let written = create_with(dir, &temp, write)
            .and_then(|()| Ok(rustix::fs::renameat(&dir.inner, &temp, &dir.inner, name)?));
        if written.is_err() {
            let _ = rustix::fs::unlinkat(&dir.inner, temp.as_str(), AtFlags::empty());
        }
        written
    }
}

#[cfg(not(unix))]
mod imp {
    use std::io;

    use crate::safefs::Dir;

    fn unsupported() -> io::Error {
        io::Error::new(
            io::ErrorKind::Unsupported,
            "no persistent cache on this system",
        )
    }

    pub fn make_dir(_: &Dir, _: &str) -> io::Result<()> {
        Err(unsupported())
    }

    pub fn create_new(_: &Dir, _: &str, _: &[u8]) -> io::Result<()> {
        Err(unsupported())
    }

    pub fn replace(
        _: &Dir,
        _: &str,
        _: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
    ) -> io::Result<()> {
        Err(unsupported())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_symlinked_cache_folder_in_the_root_is_never_used() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join(".laylint_cache")).unwrap();
        let opened = CacheDir::open(CacheBase::InRoot(root.path(), ".laylint_cache"), "v", true);
        assert!(opened.is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }

    #[test]
    fn writes_replace_whole_files_and_mark_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let base = || CacheBase::InRoot(root.path(), ".laylint_cache");
        let dir = CacheDir::open(base(), "v", true).unwrap();
        dir.write("c", b"one").unwrap();
        dir.write("c", b"two").unwrap();
        assert_eq!(dir.read("c").unwrap(), b"two");
        let top = root.path().join(".laylint_cache");
        assert!(
            std::fs::read_to_string(top.join(".gitignore"))
                .unwrap()
                .contains("\n*\n")
        );
        assert!(top.join("CACHEDIR.TAG").is_file());
        assert_eq!(std::fs::read_dir(top.join("v")).unwrap().count(), 1);
        assert!(CacheDir::open(base(), "w", false).is_err());
    }
}
