//! What a language-server save may keep of the previous model, decided from what each
//! facet declares it reads ([`super::facets`]): per-file parses of unchanged files carry
//! over, and so does every facet none of whose declared files changed and none of whose
//! facets was rebuilt, or whose hook says the change cannot matter. A carried facet
//! brings its parse problems (PAR001) along: nothing reads its inputs again to report them.

use super::Repo;
use super::facets::per_file::PER_FILE;
use super::facets::{Changed, REGISTRY};
use crate::paths::RelPath;

impl Repo {
    /// Moves what `changed` cannot have affected from `self` into `next`.
    pub(super) fn carry_into(&self, next: &Repo, changed: &[RelPath]) {
        // The file index is the same, so are its ids.
        let ids: hashbrown::HashSet<u32> =
            changed.iter().filter_map(|p| self.files.id(p)).collect();
        let mut read_once = self.lock_read_once().clone();
        read_once.retain(|id| !ids.contains(id));
        *next.lock_read_once() = read_once;
        for kind in PER_FILE {
            kind.carry(&self.caches, &next.caches, &ids);
        }
        // In dependency order: a facet's inputs are decided before it.
        let mut rebuilt = vec![false; REGISTRY.len()];
        for (i, decl) in REGISTRY.iter().enumerate() {
            let untouched = !changed.iter().any(|p| (decl.reads.files)(p))
                && !decl
                    .reads
                    .facets
                    .iter()
                    .any(|f| rebuilt.get(*f as usize).copied().unwrap_or(true));
            let carried = {
                let view = Changed::new(changed, &rebuilt);
                decl.carry_into(self, next, &view, untouched)
            };
            // Untouched, its value is the old one whether or not it was ever built (a
            // facet built lazily, only when a check asked): what reads it stands.
            rebuilt[i] = !carried && !untouched;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::facets::FacetId;

    fn write(root: &std::path::Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn carries_facets_whose_inputs_did_not_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "mypy.ini", "[mypy]\nexclude = (\n");
        write(&root, "svc/pyproject.toml", "[project]\nname = \"svc\"\n");
        write(&root, "svc/app.py", "import json\n");
        let (files, problems) = crate::walk::walk(&root, &Default::default());
        let repo = Repo::new(root.clone(), files, problems);
        let mypy = repo.mypy_modules();
        repo.projects();
        assert_eq!(repo.problems().len(), 1, "the bad exclude pattern");

        // A manifest changed: mypy's view carries over (with its problem), projects do not.
        write(&root, "svc/pyproject.toml", "[project]\nname = \"svc2\"\n");
        let manifest = RelPath::parse("svc/pyproject.toml").unwrap();
        let next = repo.refreshed(std::slice::from_ref(&manifest)).unwrap();
        assert!(Arc::ptr_eq(&mypy, &next.mypy_modules()));
        assert_eq!(next.problems().len(), 1);
        assert!(!next.is_built(FacetId::Projects));
        assert_eq!(next.projects()[0].name.as_deref(), Some("svc2"));

        // A module changed but kept its imports: the same view.
        let module = RelPath::parse("svc/app.py").unwrap();
        write(&root, "svc/app.py", "import json\nx = 1\n");
        let same = next.refreshed(std::slice::from_ref(&module)).unwrap();
        assert!(Arc::ptr_eq(&mypy, &same.mypy_modules()));
        // New imports that cannot reach a file under a second name: the same view too.
        write(&root, "svc/app.py", "import os\n");
        let same = same.refreshed(std::slice::from_ref(&module)).unwrap();
        assert!(Arc::ptr_eq(&mypy, &same.mypy_modules()));
        // `svc` is the root-relative spelling of the folder `app` is a module of: walked again.
        write(&root, "svc/app.py", "import svc.app\n");
        let other = same.refreshed(std::slice::from_ref(&module)).unwrap();
        assert!(!Arc::ptr_eq(&mypy, &other.mypy_modules()));
        assert_eq!(other.mypy_modules().found_twice.len(), 1);
        assert!(other.is_built(FacetId::Projects));
    }
}
