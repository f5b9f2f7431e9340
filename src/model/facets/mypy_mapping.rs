//! mypy's settings, sources and module names (reads configuration, no module).

use std::sync::Arc;

use super::{Facet, Reads};
use crate::model::Repo;
use crate::model::mypy::MypyMapping;
use crate::model::mypy::settings::CONFIG_FILES;
use crate::paths::RelPath;

pub struct MypyMappingFacet;

/// Whether `path` is one of the files mypy run at the root reads its settings from.
pub fn is_mypy_config(path: &RelPath) -> bool {
    path.parent().is_some_and(|d| d.is_root()) && CONFIG_FILES.contains(&path.file_name())
}

impl Facet for MypyMappingFacet {
    type Value = Arc<MypyMapping>;
    /// Its settings, and the file index.
    const READS: Reads = Reads {
        files: is_mypy_config,
        facets: &[],
    };
    const SEQUENTIAL: bool = true;

    fn build(repo: &Repo) -> Arc<MypyMapping> {
        Arc::new(MypyMapping::build(repo))
    }
}

impl Repo {
    /// mypy's sources and names, computed once (reads configuration, no module).
    pub fn mypy_mapping(&self) -> Arc<MypyMapping> {
        self.facet::<MypyMappingFacet>().clone()
    }
}
