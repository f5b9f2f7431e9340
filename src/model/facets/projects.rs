//! The Python projects: one per manifest folder, with their import packages.

use super::{Facet, Reads};
use crate::model::Repo;
use crate::model::projects::Project;
use crate::model::projects::{MANIFESTS, find_projects};

pub struct Projects;

impl Facet for Projects {
    type Value = Vec<Project>;
    /// The manifests (and the file index, for packages and `src/`).
    const READS: Reads = Reads {
        files: |path| MANIFESTS.contains(&path.file_name()),
        facets: &[],
    };

    fn build(repo: &Repo) -> Vec<Project> {
        find_projects(repo)
    }
}

impl Repo {
    /// Every project of the repository, sorted by folder; computed once.
    pub fn projects(&self) -> &[Project] {
        self.facet::<Projects>()
    }
}
