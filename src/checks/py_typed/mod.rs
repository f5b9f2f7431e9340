//! `py-typed`: the PEP 561 marker of a project's import packages: missing (TYP001), left
//! out of the wheel by the project's own build (TYP002), or misplaced (TYP004). Each
//! finding is one file below this folder.

mod misplaced;
mod missing;
mod not_shipped;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PyTyped {
    #[serde(
        default = "default_finding",
        deserialize_with = "super::selector::finding"
    )]
    pub finding: PyTypedFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PyTypedFinding {
    /// TYP001: an import package without `py.typed`.
    Missing,
    /// TYP002: `py.typed` in the package, but the build leaves it out of the wheel.
    NotShipped,
    /// TYP004: a `py.typed` outside any import package's top folder.
    Misplaced,
}

fn default_finding() -> PyTypedFinding {
    PyTypedFinding::Missing
}

impl PyTyped {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.finding {
            PyTypedFinding::Missing => missing::run(repo),
            PyTypedFinding::NotShipped => not_shipped::run(repo),
            PyTypedFinding::Misplaced => misplaced::run(repo),
        }
    }
}
