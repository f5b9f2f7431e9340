//! mypy's view: its mapping, and the files its imports reach under a second name.
//!
//! Its hook keeps the view across a save that changed Python files only, when every
//! changed module kept its import statements, or its imports could not reach a file
//! under a second name before and still cannot ([`crate::model::mypy::relevance`]).

use std::sync::Arc;

use super::{Changed, Facet, FacetId, Reads, is_python};
use crate::model::mypy::{MypyModules, MypySource};
use crate::model::{Repo, lock_file};
use crate::paths::RelPath;
use crate::python::PyModule;

pub struct MypyModulesFacet;

impl Facet for MypyModulesFacet {
    type Value = Arc<MypyModules>;
    /// The import statements of Python files, over the mapping.
    const READS: Reads = Reads {
        files: is_python,
        facets: &[FacetId::MypyMapping],
    };

    fn build(repo: &Repo) -> Arc<MypyModules> {
        Arc::new(MypyModules::walk_imports(repo, repo.mypy_mapping()))
    }

    fn still_valid(old: &Repo, next: &Repo, changed: &Changed, value: &Arc<MypyModules>) -> bool {
        if changed.rebuilt(FacetId::MypyMapping) {
            return false;
        }
        let words = &value.import_words;
        // A save changes a file or two: a scan finds its source. A batch of watched-file
        // changes may hold thousands: look them up in a map built once.
        let many = changed.paths.len() > 64;
        let by_path: hashbrown::HashMap<&RelPath, &MypySource> = if many {
            value.sources.iter().map(|s| (&s.path, s)).collect()
        } else {
            hashbrown::HashMap::new()
        };
        let source_of = |p: &RelPath| {
            if many {
                by_path.get(p).copied()
            } else {
                value.sources.iter().find(|s| s.path == *p)
            }
        };
        changed.paths.iter().filter(|p| is_python(p)).all(|p| {
            let kept = old_imports(old, p).is_some_and(|imports| same_imports(next, p, &imports));
            kept || source_of(p).is_some_and(|source| {
                old.imports_mattered(source, words) == Some(false)
                    && !next.imports_may_matter(source, words)
            })
        })
    }
}

/// The import statements of `path` as `repo` parsed them, if it did.
fn old_imports(repo: &Repo, path: &RelPath) -> Option<Arc<PyModule>> {
    let id = repo.files.id(path)?;
    lock_file(&repo.caches.python).get(&id).cloned().flatten()
}

/// Whether `path` now has exactly the import statements `old` had (spans included:
/// "found twice" points at them).
fn same_imports(repo: &Repo, path: &RelPath, old: &PyModule) -> bool {
    repo.python_analysis(path)
        .is_some_and(|new| new.imports == old.imports)
}

impl Repo {
    /// The mypy facet, computed once.
    pub fn mypy_modules(&self) -> Arc<MypyModules> {
        self.facet::<MypyModulesFacet>().clone()
    }
}
