//! What pytest needs from the whole repository to tell a test module: the modules a
//! Lambda handler points at (deployed code, never tests) and every folder holding a
//! pytest configuration, with its naming options.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Facet, FacetId, Reads};
use crate::model::Repo;
use crate::model::handlers::Verdict;
use crate::model::pytest_config::{CONFIG_FILES, PytestConfig, read_config};
use crate::paths::RelPath;

pub struct Pytest;

/// The value of [`Pytest`].
#[derive(Debug, Default)]
pub struct PytestView {
    pub handler_modules: HashSet<RelPath>,
    /// The folders whose files configure pytest, and what the first of them says.
    pub configs: HashMap<RelPath, Arc<PytestConfig>>,
}

impl Facet for Pytest {
    type Value = PytestView;
    const READS: Reads = Reads {
        files: |path| CONFIG_FILES.contains(&path.file_name()),
        facets: &[FacetId::ResolvedHandlers],
    };

    fn build(repo: &Repo) -> PytestView {
        let handler_modules = repo
            .resolved_handlers()
            .iter()
            .filter_map(|resolved| match &resolved.verdict {
                Verdict::Ok { module } => module.clone(),
                Verdict::FunctionNotFound { module, .. }
                | Verdict::Async { module, .. }
                | Verdict::Arity { module, .. } => Some(module.clone()),
                Verdict::RelativeImport(error) => Some(error.module.clone()),
                _ => None,
            })
            .collect();
        let mut configs = HashMap::new();
        for entry in repo.files.files() {
            if !CONFIG_FILES.contains(&entry.path.file_name()) {
                continue;
            }
            let dir = entry.path.parent().unwrap_or_default();
            if configs.contains_key(&dir) {
                continue;
            }
            if let Some(names) = read_config(repo, &dir) {
                configs.insert(dir, Arc::new(names));
            }
        }
        PytestView {
            handler_modules,
            configs,
        }
    }
}

impl Repo {
    /// See [`PytestView`]; computed once.
    pub fn pytest_view(&self) -> &PytestView {
        self.facet::<Pytest>()
    }
}
