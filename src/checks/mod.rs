//! Check kinds: one file each. A rule's `[check]` table deserializes into [`CheckSpec`]
//! (unknown parameters rejected, globs and regexes compiled once); `run` reads the
//! repository model and returns findings. No check walks, prints or writes.
//!
//! A kind that serves several rules (`handler`, `src-layout`, `mypy-modules`,
//! `tests-placement`) is a folder: its `mod.rs` holds the parameters, an enum naming the
//! rule's finding (`finding = "…"`, or `scope`) and one `match` over it with no
//! catch-all, and each finding is a file named after it. A rule naming a finding the
//! enum lacks fails when rules load; a variant without its arm does not compile.

pub mod all;
pub mod aws_keys;
pub mod cdk_app;
pub mod companion;
pub mod content;
pub mod env_files;
pub mod forbid;
pub mod glob_count;
pub mod handler;
pub mod lambda_environment;
pub mod layers;
pub mod mypy_modules;
pub mod name_pattern;
pub mod parse_error;
pub mod pattern;
pub mod py_typed;
pub mod pytest_imports;
pub mod require;
pub mod requirements;
pub mod selector;
pub mod src_layout;
pub mod tests_placement;
pub mod toml_key;
pub mod unique_name;
pub mod unused_suppression;

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::facets::FacetId;

/// A check kind with its parameters.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CheckSpec {
    Require(require::Require),
    All(all::All),
    Forbid(forbid::Forbid),
    Companion(companion::Companion),
    UniqueName(unique_name::UniqueName),
    NamePattern(name_pattern::NamePattern),
    Content(content::Content),
    TomlKey(toml_key::TomlKey),
    MypyModules(mypy_modules::MypyModulesCheck),
    ParseError(parse_error::ParseError),
    UnusedSuppression(unused_suppression::UnusedSuppression),
    Handler(handler::Handler),
    SrcLayout(src_layout::SrcLayout),
    PyTyped(py_typed::PyTyped),
    TestsPlacement(tests_placement::TestsPlacement),
    PytestImports(pytest_imports::PytestImports),
    AwsKeys(aws_keys::AwsKeys),
    EnvFiles(env_files::EnvFiles),
    CdkApp(cdk_app::CdkApp),
    Requirements(requirements::Requirements),
    Layers(layers::Layers),
    LambdaEnvironment(lambda_environment::LambdaEnvironment),
}

impl CheckSpec {
    /// Validates and compiles a `[check]` table.
    pub fn from_table(table: toml::Table) -> Result<Self, String> {
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| e.message().trim_end().to_string())
    }

    /// Runs the check over the model.
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self {
            CheckSpec::Require(check) => check.run(repo),
            CheckSpec::All(check) => check.run(repo),
            CheckSpec::Forbid(check) => check.run(repo),
            CheckSpec::Companion(check) => check.run(repo),
            CheckSpec::UniqueName(check) => check.run(repo),
            CheckSpec::NamePattern(check) => check.run(repo),
            CheckSpec::Content(check) => check.run(repo),
            CheckSpec::TomlKey(check) => check.run(repo),
            CheckSpec::MypyModules(check) => check.run(repo),
            CheckSpec::ParseError(check) => check.run(repo),
            // Reported by the engine, which knows which suppressions were used.
            CheckSpec::UnusedSuppression(_) => Vec::new(),
            CheckSpec::Handler(check) => check.run(repo),
            CheckSpec::SrcLayout(check) => check.run(repo),
            CheckSpec::PyTyped(check) => check.run(repo),
            CheckSpec::TestsPlacement(check) => check.run(repo),
            CheckSpec::PytestImports(check) => check.run(repo),
            CheckSpec::AwsKeys(check) => check.run(repo),
            CheckSpec::EnvFiles(check) => check.run(repo),
            CheckSpec::CdkApp(check) => check.run(repo),
            CheckSpec::Requirements(check) => check.run(repo),
            CheckSpec::Layers(check) => check.run(repo),
            CheckSpec::LambdaEnvironment(check) => check.run(repo),
        }
    }

    /// The costly facets this check reads. The engine builds them before any check runs,
    /// one after another and from outside the thread pool, so that each is built with
    /// all cores (see [`crate::par`]); `run` then finds them ready.
    pub fn needs(&self) -> &'static [FacetId] {
        match self {
            CheckSpec::Handler(_) => &[FacetId::ResolvedHandlers],
            CheckSpec::MypyModules(_) => &[FacetId::MypyMapping, FacetId::MypyModules],
            CheckSpec::SrcLayout(_) => &[FacetId::Projects, FacetId::Ignored],
            CheckSpec::PyTyped(_) => &[FacetId::Projects, FacetId::PackageIndex],
            CheckSpec::Layers(_) | CheckSpec::LambdaEnvironment(_) => &[FacetId::Handlers],
            CheckSpec::TestsPlacement(_) | CheckSpec::PytestImports(_) => {
                &[FacetId::Projects, FacetId::Handlers, FacetId::Pytest]
            }
            CheckSpec::AwsKeys(_) => &[FacetId::AwsKeys],
            CheckSpec::EnvFiles(_) | CheckSpec::CdkApp(_) => &[FacetId::Ignored],
            CheckSpec::Requirements(check) => check.needs(),
            _ => &[],
        }
    }

    /// Whether this is the check the engine feeds with unused suppression comments.
    pub fn reports_unused_suppressions(&self) -> bool {
        matches!(self, CheckSpec::UnusedSuppression(_))
    }

    /// Checks that report what the others could not read run after them.
    pub fn runs_last(&self) -> bool {
        matches!(self, CheckSpec::ParseError(_))
    }
}
