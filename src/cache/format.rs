//! The cache file: a header (magic, format, build, CRC-32 and length of the rest) and a
//! postcard document of every file's stamp and parses.

use std::io::Write;
use std::path::Path;

use super::BUILD_ID;
use crate::model::persist::FileYield;
use crate::paths::RelPath;
use crate::safefs::stamp::Stamp;

const MAGIC: &[u8; 8] = b"LAYLINT\x01";
/// Bumped when the layout of the file changes.
const FORMAT: u32 = 1;
const HEADER: usize = 8 + 4 + 8 + 4 + 8;

/// One file's entry: `P` is an owned path when read back, a borrowed one when written.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Entry<P = RelPath> {
    pub path: P,
    pub stamp: Stamp,
    pub found: FileYield,
}

#[derive(serde::Serialize)]
struct Document<'a> {
    version: &'a str,
    root: &'a str,
    files: &'a [Entry<&'a RelPath>],
}

#[derive(serde::Deserialize)]
struct Owned {
    version: String,
    root: String,
    files: Vec<Entry>,
}

/// The cache file of `entries`, in memory (for tests: the run writes with [`write`]).
#[cfg(test)]
pub fn encode(entries: &[Entry<&RelPath>], root: &Path) -> Vec<u8> {
    let mut file = std::io::Cursor::new(Vec::new());
    write(&mut file, entries, root).map_or_else(|_| Vec::new(), |()| file.into_inner())
}

/// Writes the cache file of `entries` to `file` as it is encoded: the header's room, the
/// body through a buffer (its CRC-32 and length counted on the way), then the header.
pub fn write(
    file: &mut (impl std::io::Write + std::io::Seek),
    entries: &[Entry<&RelPath>],
    root: &Path,
) -> std::io::Result<()> {
    let document = Document {
        version: env!("CARGO_PKG_VERSION"),
        root: &root.to_string_lossy(),
        files: entries,
    };
    file.write_all(&[0; HEADER])?;
    let counted = Counted {
        out: std::io::BufWriter::with_capacity(1 << 16, &mut *file),
        crc: crc32fast::Hasher::new(),
        len: 0,
    };
    let Counted { mut out, crc, len } =
        postcard::to_io(&document, counted).map_err(std::io::Error::other)?;
    out.flush()?;
    drop(out);
    let header = header(MAGIC, crc.finalize(), len);
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(&header)
}

/// A writer that passes bytes on, counting them and their CRC-32.
struct Counted<W> {
    out: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The entries of a cache file written by this build for `root`; `None` for anything else.
pub fn decode(bytes: &[u8], root: &Path) -> Option<Vec<Entry>> {
    let document: Owned = postcard::from_bytes(unframe(MAGIC, bytes)?).ok()?;
    (document.version == env!("CARGO_PKG_VERSION") && document.root == root.to_string_lossy())
        .then_some(document.files)
}

/// `body` behind the header: `magic`, format, build, CRC-32 and length of the body.
pub fn frame(magic: &[u8; 8], body: &[u8]) -> Vec<u8> {
    let mut bytes = header(magic, crc32fast::hash(body), body.len() as u64);
    bytes.extend_from_slice(body);
    bytes
}

fn header(magic: &[u8; 8], crc: u32, len: u64) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(magic);
    header.extend_from_slice(&FORMAT.to_le_bytes());
    header.extend_from_slice(&BUILD_ID.to_le_bytes());
    header.extend_from_slice(&crc.to_le_bytes());
    header.extend_from_slice(&len.to_le_bytes());
    header
}

/// The body of bytes [`frame`]d with `magic` by this build and whole; `None` otherwise.
pub fn unframe<'a>(magic: &[u8; 8], bytes: &'a [u8]) -> Option<&'a [u8]> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let (found, rest) = header.split_at(8);
    let field = |range: std::ops::Range<usize>| rest.get(range);
    let format = u32::from_le_bytes(field(0..4)?.try_into().ok()?);
    let build = u64::from_le_bytes(field(4..12)?.try_into().ok()?);
    let crc = u32::from_le_bytes(field(12..16)?.try_into().ok()?);
    let len = u64::from_le_bytes(field(16..24)?.try_into().ok()?);
    (found == magic
        && format == FORMAT
        && build == BUILD_ID
        && len == body.len() as u64
        && crc == crc32fast::hash(body))
    .then_some(body)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn sample() -> Vec<u8> {
        let found = FileYield {
            import_free: Some(Arc::new(7)),
            python: Some(Arc::new(
                crate::python::analyze_or_error("def f(e, c): pass\n")
                    .as_ref()
                    .clone(),
            )),
            ..FileYield::default()
        };
        let owned = super::super::entry("a/b.py", found);
        let entry = Entry {
            path: &owned.path,
            stamp: owned.stamp,
            found: owned.found,
        };
        encode(&[entry], Path::new("/r"))
    }

    #[test]
    fn a_cache_reads_back_for_its_root_only() {
        let bytes = sample();
        let files = decode(&bytes, Path::new("/r")).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path.as_str(), "a/b.py");
        assert_eq!(files[0].found.import_free.as_deref(), Some(&7));
        assert!(files[0].found.python.as_ref().unwrap().may_bind("f"));
        assert!(decode(&bytes, Path::new("/other")).is_none());
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(
                decode(&bytes[..cut], Path::new("/r")).is_none(),
                "cut at {cut}"
            );
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x40;
            assert!(
                decode(&flipped, Path::new("/r")).is_none(),
                "flipped byte {at}"
            );
        }
    }
}
