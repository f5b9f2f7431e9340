//! AWS credentials in every file the walk kept (IAC001): each file is scanned once, into
//! the per-file `aws_keys` cache, so a language-server save rescans only what changed.
//! The value lists the files holding one, with what was found; the sink shows those files
//! masked ([`Repo::kept_source`]).

use std::sync::Arc;

use super::{Facet, Reads};
use crate::model::Repo;
use crate::model::aws_keys::{self, KeyScan};
use crate::model::files::EntryKind;
use crate::model::source::SourceFile;
use crate::paths::RelPath;

pub struct AwsKeys;

/// Files holding a credential, in path order, with their scans.
pub type KeyFiles = Vec<(RelPath, Arc<KeyScan>)>;

impl Facet for AwsKeys {
    type Value = KeyFiles;
    const READS: Reads = Reads {
        files: |_| true,
        facets: &[],
    };

    fn build(repo: &Repo) -> KeyFiles {
        let files: Vec<&RelPath> = repo
            .files
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| &e.path)
            .collect();
        let scans = crate::par::map(&files, |path| {
            let scan = repo.cached(&repo.caches.aws_keys, path, || {
                Some(scan_file(repo, path).map_or_else(no_keys, Arc::new))
            });
            let scan = scan.filter(|s| !s.hits.is_empty())?;
            if scan.exact {
                // The sink places and shows the span from the kept text (masked).
                repo.keep_text(path);
            }
            Some(((*path).clone(), scan))
        });
        scans.into_iter().flatten().collect()
    }
}

/// The credentials in one file; `None` when there are none or the file is not scanned
/// (binary, over the size cap, unreadable).
fn scan_file(repo: &Repo, path: &RelPath) -> Option<KeyScan> {
    let bytes = repo.read_for_scan(path)?;
    scan_bytes(path, &bytes)
}

fn scan_bytes(path: &RelPath, bytes: &[u8]) -> Option<KeyScan> {
    if aws_keys::is_binary(bytes) {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let exact = matches!(text, std::borrow::Cow::Borrowed(_));
    let hits = aws_keys::scan(&text, aws_keys::is_program(path.file_name()));
    (!hits.is_empty()).then_some(KeyScan { hits, exact })
}

/// The scan of a file with no credential, shared by every such file.
fn no_keys() -> Arc<KeyScan> {
    static EMPTY: std::sync::LazyLock<Arc<KeyScan>> =
        std::sync::LazyLock::new(|| Arc::new(KeyScan::default()));
    EMPTY.clone()
}

impl Repo {
    /// Scans the text of `source`, just read whole for another facet, so that IAC001 does
    /// not read the file again: a file read as text is valid UTF-8 and under the size
    /// cap, so the scan is the one [`AwsKeys`] would make from its bytes.
    pub(crate) fn scan_read_text(&self, source: &SourceFile) {
        self.cached(&self.caches.aws_keys, &source.path, || {
            let scan = scan_bytes(&source.path, source.text.as_bytes());
            Some(scan.map_or_else(no_keys, Arc::new))
        });
    }

    /// Every file holding an AWS credential, with what was found.
    pub fn aws_keys(&self) -> &KeyFiles {
        self.facet::<AwsKeys>()
    }

    /// The scan of `path` if the credential facet is built and found one there.
    pub(crate) fn key_scan(&self, path: &RelPath) -> Option<&KeyScan> {
        use super::Stored;
        let built = AwsKeys::slot(&self.caches.slots).get()?;
        let files = &built.value;
        let i = files.binary_search_by(|(p, _)| p.cmp(path)).ok()?;
        Some(&files[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lock_file;

    #[test]
    fn a_module_read_for_its_parse_is_scanned_then_and_not_read_again() {
        // The texts are in memory only: a read from disk (the root does not exist) would
        // find nothing, so what IAC001 finds is what the parse's read scanned.
        let module = RelPath::parse("fn/app.py").unwrap();
        let key = "AKIA2QWERTYZMNBVCXLK";
        let repo = Repo::from_sources(
            std::path::PathBuf::from("/nonexistent"),
            vec![
                (module.clone(), format!("KEY = \"{key}\"\n")),
                (RelPath::parse("README.md").unwrap(), format!("id: {key}\n")),
            ],
        );
        repo.python_analysis(&module).unwrap();
        let id = repo.files.id(&module).unwrap();
        let scanned = lock_file(&repo.caches.aws_keys).get(&id).cloned().flatten();
        assert_eq!(scanned.map(|s| s.hits.len()), Some(1));
        let found: Vec<(&str, usize)> = repo
            .aws_keys()
            .iter()
            .map(|(path, scan)| (path.as_str(), scan.hits.len()))
            .collect();
        assert_eq!(found, [("fn/app.py", 1)]);
    }
}
