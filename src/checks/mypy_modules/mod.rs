//! `mypy-modules`: what `mypy` run at the repository root would abort on, from the shared
//! mypy facet ([`crate::model::mypy`]). `finding` picks the rule: two files under one
//! module name or one file under two (`duplicate-module`, TYP003), or a package folder
//! whose name is not an identifier (`invalid-package-name`, TYP005), or a `files` entry
//! that gives mypy nothing to read (`target-missing`, TYP006). mypy stops at the first of
//! these; every one is reported here. Each finding is one file below this folder.

mod duplicate_module;
mod invalid_package_name;
mod target_missing;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MypyModulesCheck {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: MypyFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MypyFinding {
    /// TYP003.
    DuplicateModule,
    /// TYP005.
    InvalidPackageName,
    /// TYP006.
    TargetMissing,
}

impl MypyModulesCheck {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mypy = repo.mypy_modules();
        match self.finding {
            MypyFinding::DuplicateModule => duplicate_module::check(repo, &mypy),
            MypyFinding::InvalidPackageName => invalid_package_name::check(&mypy),
            MypyFinding::TargetMissing => target_missing::check(repo, &mypy),
        }
    }
}
