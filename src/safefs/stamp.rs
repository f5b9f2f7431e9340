//! What a file's metadata says of its contents, for the persistent cache: size,
//! modification and change times, inode and device. A write changes the change time
//! (which no user can set back), a rename-over changes the inode, so equal stamps mean an
//! unchanged file, except within the timestamps' granularity of the last write (the
//! cache keeps no file changed shortly before the run: [`Stamp::changed_before`]).

use std::ffi::OsStr;

use super::Dir;

/// A regular file's metadata, read without following a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub dev: u64,
    pub mode: u32,
}

impl Stamp {
    /// Whether the file was last modified and changed strictly before `time` (seconds and
    /// nanoseconds since the epoch).
    pub fn changed_before(&self, time: (i64, u32)) -> bool {
        self.mtime < time && self.ctime < time
    }
}

impl Dir {
    /// The stamp of the regular file `name` directly in this folder; `None` for anything
    /// else (a symlink is never followed) or when it cannot be had.
    #[cfg(unix)]
    pub fn stamp(&self, name: &OsStr) -> Option<Stamp> {
        use rustix::fs::{AtFlags, FileType};
        let stat = rustix::fs::statat(&self.inner, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return None;
        }
        Some(Stamp {
            size: stat.st_size as u64,
            mtime: (stat.st_mtime as i64, stat.st_mtime_nsec as u32),
            ctime: (stat.st_ctime as i64, stat.st_ctime_nsec as u32),
            ino: stat.st_ino as u64,
            dev: stat.st_dev as u64,
            mode: stat.st_mode as u32,
        })
    }

    /// Elsewhere there is no change time or inode to trust: no stamp, so nothing is cached.
    #[cfg(not(unix))]
    pub fn stamp(&self, _name: &OsStr) -> Option<Stamp> {
        None
    }
}
