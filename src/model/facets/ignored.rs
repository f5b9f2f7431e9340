//! The repository's `.gitignore` matchers.

use super::{Facet, Reads};
use crate::model::Repo;
use crate::model::ignored::IgnoreMatchers;
use crate::paths::RelPath;

pub struct Ignored;

impl Facet for Ignored {
    type Value = IgnoreMatchers;
    const READS: Reads = Reads {
        files: |path| path.file_name() == ".gitignore",
        facets: &[],
    };

    fn build(repo: &Repo) -> IgnoreMatchers {
        IgnoreMatchers::build(repo)
    }
}

impl Repo {
    /// Whether the repository's `.gitignore` files cover `path`.
    pub fn is_gitignored(&self, path: &RelPath, is_dir: bool) -> bool {
        self.facet::<Ignored>().is_ignored(path, is_dir)
    }
}
