//! AWS credentials in every file the walk kept (IAC001): each file is scanned once, into
//! the per-file `aws_keys` cache, so a language-server save rescans only what changed.
//! The value lists the files holding one, with what was found; the sink shows those files
//! masked ([`Repo::kept_source`]).

use std::sync::Arc;

use super::{Facet, Reads};
use crate::model::Repo;
use crate::model::aws_keys::{self, KeyScan};
use crate::model::files::EntryKind;
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
        let empty = Arc::new(KeyScan::default());
        let scans = crate::par::map(&files, |path| {
            let scan = repo.cached(&repo.caches.aws_keys, path, || {
                Some(scan_file(repo, path).map_or_else(|| empty.clone(), Arc::new))
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
    if aws_keys::is_binary(&bytes) {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    let exact = matches!(text, std::borrow::Cow::Borrowed(_));
    let hits = aws_keys::scan(&text, aws_keys::is_program(path.file_name()));
    (!hits.is_empty()).then_some(KeyScan { hits, exact })
}

impl Repo {
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
