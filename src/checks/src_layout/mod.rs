//! `src-layout`: where a project's import packages live (LAY001–LAY006). Projects only: a
//! Lambda code folder called `src/` without packaging metadata is never looked at. Each
//! finding is one file below this folder.

mod flat_layout;
mod missing_init;
mod mixed_layout;
mod package_mismatch;
mod selection_missing;
mod stray_module;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::projects::Backend;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SrcLayout {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: SrcLayoutFinding,
    /// For `package-mismatch`: the backends that build only the package named after the
    /// project (default: poetry, hatchling, flit, pdm).
    #[serde(default = "default_backends")]
    pub backends: Vec<BackendName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SrcLayoutFinding {
    /// LAY001: an import package beside the manifest.
    FlatLayout,
    /// LAY002: a `.py` file directly in `src/`.
    StrayModule,
    /// LAY003: a folder of modules under `src/` without `__init__.py`.
    MissingInit,
    /// LAY004: no package matches the project name and nothing selects one.
    PackageMismatch,
    /// LAY005: an explicit package selection names a path that does not exist.
    SelectionMissing,
    /// LAY006: packages under `src/` and an import package beside the manifest.
    MixedLayout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendName {
    Setuptools,
    Poetry,
    Hatchling,
    Flit,
    Pdm,
}

fn default_backends() -> Vec<BackendName> {
    vec![
        BackendName::Poetry,
        BackendName::Hatchling,
        BackendName::Flit,
        BackendName::Pdm,
    ]
}

impl BackendName {
    fn matches(self, backend: &Backend) -> bool {
        let named = match self {
            BackendName::Setuptools => Backend::Setuptools,
            BackendName::Poetry => Backend::Poetry,
            BackendName::Hatchling => Backend::Hatchling,
            BackendName::Flit => Backend::Flit,
            BackendName::Pdm => Backend::Pdm,
        };
        *backend == named
    }
}

impl SrcLayout {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for project in repo.projects().iter().filter(|p| p.package_mode) {
            match self.finding {
                SrcLayoutFinding::FlatLayout => flat_layout::check(project, &mut findings),
                SrcLayoutFinding::StrayModule => stray_module::check(repo, project, &mut findings),
                SrcLayoutFinding::MissingInit => missing_init::check(repo, project, &mut findings),
                SrcLayoutFinding::PackageMismatch => {
                    if self.backends.iter().any(|b| b.matches(&project.backend)) {
                        package_mismatch::check(repo, project, &mut findings);
                    }
                }
                SrcLayoutFinding::SelectionMissing => {
                    selection_missing::check(repo, project, &mut findings)
                }
                SrcLayoutFinding::MixedLayout => mixed_layout::check(repo, project, &mut findings),
            }
        }
        findings
    }
}
