//! The run record: a run's whole outcome (the sink), kept beside the per-file entries
//! under a key that covers everything the outcome is a function of. A run whose key is
//! the recorded one replays the sink after the walk, reading and parsing nothing.
//!
//! The key hashes (SipHash-1-3 under two fixed keys: 128 bits)
//! - the settings, in full (their `Debug` form: the configuration as resolved, the rules
//!   with their severities and options, the per-path ignores, the walk's options), and the
//!   paths the run is limited to;
//! - every entry the walk kept, with its kind, and every regular file's [`Stamp`];
//! - the walk's problems.
//!
//! laylint reads nothing but walked regular files (a symlink is listed, never followed),
//! so two runs under one key read the same bytes and yield the same sink. No key is made
//! when a file has no stamp, or changed within the racy window of the run's start: its
//! stamp may not tell a later write.

use std::hash::{Hash, Hasher};

use super::format;
use crate::config::settings::Settings;
use crate::paths::RelPath;
use crate::safefs::EntryKind;
use crate::sink::Sink;
use crate::walk::WalkProblem;
use crate::walk::files::FileIndex;

const MAGIC: &[u8; 8] = b"LAYLRUN\x01";

/// What a run's outcome is a function of, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RunKey([u64; 2]);

/// The key of a run over `files` that started at `start`, or `None` when a file's stamp
/// cannot vouch for its contents (none read, or changed within the racy window).
pub fn key(
    settings: &Settings,
    only: &[RelPath],
    files: &FileIndex,
    problems: &[WalkProblem],
    start: (i64, u32),
) -> Option<RunKey> {
    let settled = super::settled(start);
    let mut twin = Twin::new();
    format!("{settings:?}").hash(&mut twin);
    format!("{only:?}{problems:?}").hash(&mut twin);
    for (id, entry) in files.iter().enumerate() {
        let stamp = match entry.kind {
            EntryKind::File => {
                let stamp = *files.stamp(u32::try_from(id).ok()?)?;
                if !stamp.changed_before(settled) {
                    return None;
                }
                Some(stamp)
            }
            _ => None,
        };
        (entry.path.as_str(), entry.kind as u8, stamp).hash(&mut twin);
    }
    Some(twin.finish_both())
}

/// Two SipHash-1-3 hashers (std's, whose fixed keys make a hash stable from run to run)
/// fed alike after different seeds: a 128-bit hash.
struct Twin([std::collections::hash_map::DefaultHasher; 2]);

impl Twin {
    fn new() -> Self {
        Self([0u8, 1].map(|seed| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            h.write_u8(seed);
            h
        }))
    }

    fn finish_both(&self) -> RunKey {
        RunKey(self.0.each_ref().map(Hasher::finish))
    }
}

impl Hasher for Twin {
    fn write(&mut self, bytes: &[u8]) {
        for h in &mut self.0 {
            h.write(bytes);
        }
    }

    fn finish(&self) -> u64 {
        self.0[0].finish()
    }
}

#[derive(serde::Serialize)]
struct Stored<'a> {
    key: RunKey,
    sink: &'a Sink,
}

#[derive(serde::Deserialize)]
struct Owned {
    key: RunKey,
    sink: Sink,
}

/// The recorded sink, when it was recorded under `key`.
pub fn replay(bytes: &[u8], key: RunKey) -> Option<Sink> {
    let stored: Owned = postcard::from_bytes(format::unframe(MAGIC, bytes)?).ok()?;
    (stored.key == key).then_some(stored.sink)
}

/// The bytes that record `sink` under `key`.
pub fn record(sink: &Sink, key: RunKey) -> Vec<u8> {
    postcard::to_stdvec(&Stored { key, sink })
        .map_or_else(|_| Vec::new(), |body| format::frame(MAGIC, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink() -> Sink {
        Sink::default()
    }

    #[test]
    fn a_record_replays_under_its_key_only_and_never_damaged() {
        let key = RunKey([1, 2]);
        let bytes = record(&sink(), key);
        assert!(replay(&bytes, key).is_some());
        assert!(replay(&bytes, RunKey([1, 3])).is_none());
        for cut in 0..bytes.len() {
            assert!(replay(&bytes[..cut], key).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x40;
            assert!(replay(&flipped, key).is_none(), "flipped byte {at}");
        }
    }
}
