//! Where Python finds a module name: below its parent package, else along `sys.path`
//! (a package, then a module file, then namespace portions).

use super::{Entry, Loc, Sim};
use crate::paths::RelPath;

impl Sim<'_> {
    /// Where `name` (its last part `part`) is found: below its parent package, else on
    /// `sys.path`.
    pub(super) fn find(&self, parent: Option<&Loc>, part: &str) -> Option<Loc> {
        let dirs: Vec<RelPath> = match parent {
            Some(Loc::Package(dir)) => vec![dir.clone()],
            Some(Loc::Namespace(portions)) => portions.clone(),
            Some(Loc::Installed) => return Some(Loc::Installed),
            Some(Loc::File(_)) => return None,
            None => return self.find_top(part),
        };
        let mut portions = Vec::new();
        for dir in dirs {
            if let Some(found) = self.offered(&dir, part, &mut portions) {
                return Some(found);
            }
        }
        (!portions.is_empty()).then_some(Loc::Namespace(portions))
    }

    pub(super) fn find_top(&self, top: &str) -> Option<Loc> {
        let mut portions = Vec::new();
        for entry in &self.path {
            match entry {
                Entry::Repo(dir) => {
                    if let Some(found) = self.offered(dir, top, &mut portions) {
                        return Some(found);
                    }
                }
                Entry::Script => {}
                Entry::Installed => {
                    if (self.installed)(top) {
                        return Some(Loc::Installed);
                    }
                }
            }
        }
        if !portions.is_empty() {
            return Some(Loc::Namespace(portions));
        }
        let files = &self.repo.files;
        let in_root = files.is_file(&self.root.child(&format!("{top}.py")))
            || files.is_dir(&self.root.child(top));
        // Not the run's own code: taken as installed.
        (!in_root).then_some(Loc::Installed)
    }

    /// Puts `entry` first on `sys.path`, dropping its later copy: a lookup only ever sees
    /// the first, and a long run keeps `sys.path` as short as its distinct folders.
    pub(super) fn prepend(&mut self, entry: Entry) {
        if let Some(at) = self.path.iter().position(|e| *e == entry) {
            self.path.remove(at);
            self.deduplicated = true;
        }
        self.path.insert(0, entry);
    }

    /// The portions of the namespace package `top` on today's `sys.path`; `None` when an
    /// entry offers a package or module of that name (Python then keeps the old path).
    pub(super) fn portions(&self, top: &str) -> Option<Vec<RelPath>> {
        let mut portions = Vec::new();
        for entry in &self.path {
            match entry {
                Entry::Repo(dir) => {
                    if self.offered(dir, top, &mut portions).is_some() {
                        return None;
                    }
                }
                Entry::Script => {}
                Entry::Installed => {
                    if (self.installed)(top) {
                        return None;
                    }
                }
            }
        }
        (!portions.is_empty()).then_some(portions)
    }

    /// What the folder `dir` offers for `part`; a folder without `__init__.py` is only a
    /// namespace portion, collected in `portions`.
    pub(super) fn offered(
        &self,
        dir: &RelPath,
        part: &str,
        portions: &mut Vec<RelPath>,
    ) -> Option<Loc> {
        let files = &self.repo.files;
        let folder = dir.child(part);
        if files.is_dir(&folder) && files.is_file(&folder.child("__init__.py")) {
            return Some(Loc::Package(folder));
        }
        let module = dir.child(&format!("{part}.py"));
        if files.is_file(&module) {
            return Some(Loc::File(module));
        }
        if files.is_dir(&folder) {
            portions.push(folder);
        }
        None
    }
}
