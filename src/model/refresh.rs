//! What a language-server save may keep of the previous model. Per-file parses of
//! unchanged files carry over; so do whole-repository facets none of whose inputs
//! changed, with the problems (PAR001) their inputs gave, since nothing reads those
//! inputs again to report them.

use std::sync::{Arc, OnceLock};

use super::mypy::MypyModules;
use super::mypy::settings::CONFIG_FILES;
use super::projects::MANIFESTS;
use super::{FileCache, Repo, lock_file};
use crate::paths::RelPath;
use crate::python::PyModule;

impl Repo {
    /// Moves what `changed` cannot have affected from `self` into `next`.
    pub(super) fn carry_into(&self, next: &Repo, changed: &[RelPath]) {
        // Failed parses are not carried: they are redone, so their PAR001 is reported again.
        // The file index is the same, so are its ids.
        let ids: hashbrown::HashSet<u32> =
            changed.iter().filter_map(|p| self.files.id(p)).collect();
        let mut read_once = self.lock_read_once().clone();
        read_once.retain(|id| !ids.contains(id));
        *next.lock_read_once() = read_once;
        carry_files(&self.caches.toml, &next.caches.toml, &ids);
        carry_files(&self.caches.ini, &next.caches.ini, &ids);
        carry_files(&self.caches.python, &next.caches.python, &ids);
        carry_files(&self.caches.import_free, &next.caches.import_free, &ids);
        carry_files(&self.caches.templates, &next.caches.templates, &ids);

        let is_python = |p: &RelPath| matches!(p.extension(), Some("py" | "pyi"));
        let is_mypy_config = |p: &RelPath| {
            p.parent().is_some_and(|d| d.is_root()) && CONFIG_FILES.contains(&p.file_name())
        };
        // mypy's view: its settings, the file index (unchanged on a refresh) and, for
        // "found twice", the imports of Python files: walked again only when they changed.
        if !changed.iter().any(is_mypy_config)
            && let Some(old) = self.caches.mypy.get()
        {
            // The import walk gives the same result if every changed module kept its import
            // statements, or could not reach a file under a second name before and still cannot.
            let words = &old.import_words;
            // A save changes a file or two: a scan finds its source. A batch of watched-file
            // changes may hold thousands: look them up in a map built once.
            let many = changed.len() > 64;
            let by_path: hashbrown::HashMap<&RelPath, &super::mypy::MypySource> = if many {
                old.sources.iter().map(|s| (&s.path, s)).collect()
            } else {
                hashbrown::HashMap::new()
            };
            let source_of = |p: &RelPath| {
                if many {
                    by_path.get(p).copied()
                } else {
                    old.sources.iter().find(|s| s.path == *p)
                }
            };
            let same_imports = changed.iter().filter(|p| is_python(p)).all(|p| {
                let kept = self
                    .old_imports(p)
                    .is_some_and(|imports| next.same_imports(p, &imports));
                kept || source_of(p).is_some_and(|source| {
                    self.imports_mattered(source, words) == Some(false)
                        && !next.imports_may_matter(source, words)
                })
            });
            let mypy = if same_imports {
                old.clone()
            } else {
                Arc::new(MypyModules::walk_imports(next, old.mapping.clone()))
            };
            let _ = next.caches.mypy_mapping.set(old.mapping.clone());
            let _ = next.caches.mypy.set(mypy);
            self.carry_problems(next, is_mypy_config);
        }
        // Projects: their manifests and the file index.
        let is_manifest = |p: &RelPath| MANIFESTS.contains(&p.file_name());
        if !changed.iter().any(is_manifest) {
            carry(&self.caches.projects, &next.caches.projects);
            carry(&self.caches.package_index, &next.caches.package_index);
            self.carry_problems(next, is_manifest);
        }
    }

    /// The import statements of `path` as this model parsed them, if it did.
    fn old_imports(&self, path: &RelPath) -> Option<Arc<PyModule>> {
        let id = self.files.id(path)?;
        lock_file(&self.caches.python).get(&id).cloned().flatten()
    }

    /// Whether `path` now has exactly the import statements `old` had (spans included:
    /// "found twice" points at them).
    fn same_imports(&self, path: &RelPath, old: &PyModule) -> bool {
        self.python_analysis(path)
            .is_some_and(|new| new.imports == old.imports)
    }

    /// Copies the problems reported for files matching `kind`.
    fn carry_problems(&self, next: &Repo, kind: impl Fn(&RelPath) -> bool) {
        for problem in self.problems() {
            let path = &problem.location.path;
            if kind(path) {
                next.report_problem(path, problem.location.span.clone(), problem.message);
            }
        }
    }
}

/// A facet computed from the same inputs: the same value.
fn carry<T: Clone>(from: &OnceLock<T>, to: &OnceLock<T>) {
    if let Some(value) = from.get() {
        let _ = to.set(value.clone());
    }
}

/// Copies the successfully parsed entries of a per-file cache, except the changed files.
fn carry_files<T>(from: &FileCache<T>, to: &FileCache<T>, changed: &hashbrown::HashSet<u32>) {
    let from = lock_file(from);
    let mut to = lock_file(to);
    to.extend(
        from.iter()
            .filter(|(id, parsed)| parsed.is_some() && !changed.contains(*id))
            .map(|(id, parsed)| (*id, parsed.clone())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(next.caches.projects.get().is_none());
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
        assert!(other.caches.projects.get().is_some());
    }
}
