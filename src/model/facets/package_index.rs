//! Which projects' import packages each folder is, for lookups by path.

use std::collections::HashMap;

use super::{Facet, FacetId, Reads};
use crate::model::Repo;
use crate::paths::RelPath;

pub struct PackageIndex;

impl Facet for PackageIndex {
    /// Folder → (project index, package index) of the packages that are that folder.
    type Value = HashMap<RelPath, Vec<(usize, usize)>>;
    const READS: Reads = Reads {
        files: Reads::no_files,
        facets: &[FacetId::Projects],
    };

    fn build(repo: &Repo) -> Self::Value {
        let mut index: HashMap<RelPath, Vec<(usize, usize)>> = HashMap::new();
        for (i, project) in repo.projects().iter().enumerate() {
            for (j, package) in project.packages.iter().enumerate() {
                if !package.is_module {
                    index.entry(package.path.clone()).or_default().push((i, j));
                }
            }
        }
        index
    }
}
