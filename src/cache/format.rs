//! The cache file: a header (magic, format, build, CRC-32 and length of the rest) and a
//! postcard document of every file's stamp and parses.

use std::path::Path;

use super::BUILD_ID;
use crate::model::persist::FileYield;
use crate::paths::RelPath;
use crate::safefs::stamp::Stamp;

const MAGIC: &[u8; 8] = b"LAYLINT\x01";
/// Bumped when the layout of the file changes.
const FORMAT: u32 = 1;
const HEADER: usize = 8 + 4 + 8 + 4 + 8;

/// One file's entry.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub path: RelPath,
    pub stamp: Stamp,
    pub found: FileYield,
}

#[derive(serde::Serialize)]
struct Document<'a> {
    version: &'a str,
    root: &'a str,
    files: &'a [Entry],
}

#[derive(serde::Deserialize)]
struct Owned {
    version: String,
    root: String,
    files: Vec<Entry>,
}

pub fn encode(entries: &[Entry], root: &Path) -> Vec<u8> {
    let document = Document {
        version: env!("CARGO_PKG_VERSION"),
        root: &root.to_string_lossy(),
        files: entries,
    };
    postcard::to_stdvec(&document).map_or_else(|_| Vec::new(), |body| frame(MAGIC, &body))
}

/// The entries of a cache file written by this build for `root`; `None` for anything else.
pub fn decode(bytes: &[u8], root: &Path) -> Option<Vec<Entry>> {
    let document: Owned = postcard::from_bytes(unframe(MAGIC, bytes)?).ok()?;
    (document.version == env!("CARGO_PKG_VERSION") && document.root == root.to_string_lossy())
        .then_some(document.files)
}

/// `body` behind the header: `magic`, format, build, CRC-32 and length of the body.
pub fn frame(magic: &[u8; 8], body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + body.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&BUILD_ID.to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
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
        encode(&[super::super::entry("a/b.py", found)], Path::new("/r"))
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
