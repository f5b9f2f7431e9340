//! `requirements`: how the dependencies of deployed code are locked and pinned: an
//! application project managed by poetry, uv, pdm or pipenv without its lock file
//! (PKG006), a requirement of a deployed `requirements.txt` that is not pinned (PKG007).
//! Each finding is one file below this folder.

mod lockfile_missing;
mod unpinned;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Requirements {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: RequirementsFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementsFinding {
    /// PKG006: an application project without its lock file.
    LockfileMissing,
    /// PKG007: a deployed requirement without `==`, `===` or a hash.
    UnpinnedRequirement,
}

impl Requirements {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.finding {
            RequirementsFinding::LockfileMissing => lockfile_missing::run(repo),
            RequirementsFinding::UnpinnedRequirement => unpinned::run(repo),
        }
    }
}
