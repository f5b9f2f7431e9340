//! `requirements`: the dependencies of deployed code: a function importing a name nothing
//! it ships provides (PKG001), an application project managed by poetry, uv, pdm or
//! pipenv without its lock file (PKG006), a requirement of a deployed `requirements.txt`
//! that is not pinned (PKG007).
//! Each finding is one file below this folder.

mod function_requirements;
mod lockfile_missing;
mod module_graph;
mod unpinned;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::facets::FacetId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Requirements {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: RequirementsFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementsFinding {
    /// PKG001: a function imports a name nothing it ships provides.
    FunctionRequirementsMissing,
    /// PKG006: an application project without its lock file.
    LockfileMissing,
    /// PKG007: a deployed requirement without `==`, `===` or a hash.
    UnpinnedRequirement,
}

impl Requirements {
    /// The facets the finding reads.
    pub fn needs(&self) -> &'static [FacetId] {
        match self.finding {
            RequirementsFinding::FunctionRequirementsMissing => {
                &[FacetId::Handlers, FacetId::ResolvedHandlers]
            }
            RequirementsFinding::LockfileMissing | RequirementsFinding::UnpinnedRequirement => {
                &[FacetId::Handlers]
            }
        }
    }

    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.finding {
            RequirementsFinding::FunctionRequirementsMissing => function_requirements::run(repo),
            RequirementsFinding::LockfileMissing => lockfile_missing::run(repo),
            RequirementsFinding::UnpinnedRequirement => unpinned::run(repo),
        }
    }
}
