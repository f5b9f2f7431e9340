//! The configuration as written by users: kebab-case keys, unknown keys rejected.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rules::RuleDef;

/// Findings at or above this severity make the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// `laylint.toml`, `.laylint.toml` or `[tool.laylint]` in `pyproject.toml`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "laylint configuration")]
pub struct Options {
    /// Rules to enable: codes (`HDL001`), group prefixes (`HDL`), rule names, or `ALL`.
    /// A prefix enables the default-on rules it covers. Default: every default-on rule.
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules to enable on top of `select`.
    #[schemars(with = "Option<Vec<String>>")]
    pub extend_select: Option<Vec<Spanned<String>>>,
    /// Rules to disable. The most specific selector wins; a tie goes to `ignore`.
    #[schemars(with = "Option<Vec<String>>")]
    pub ignore: Option<Vec<Spanned<String>>>,
    /// Globs (relative to the root) of paths to leave out of the walk. Replaces the default (none).
    #[schemars(with = "Option<Vec<String>>")]
    pub exclude: Option<Vec<Spanned<String>>>,
    /// Globs to leave out in addition to `exclude`.
    #[schemars(with = "Option<Vec<String>>")]
    pub extend_exclude: Option<Vec<Spanned<String>>>,
    /// Honour `.gitignore` and `.git/info/exclude` (`.ignore` files always are; git's global excludes file, outside the repository, never is). Default: true.
    pub respect_gitignore: Option<bool>,
    /// The lowest severity that makes the run exit 1. Default: `warning`.
    pub fail_on: Option<FailOn>,
    /// Globs mapped to the rules to ignore for paths they match.
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    pub per_path_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    /// Per-rule severity overrides: `HDL007 = "error"`.
    #[schemars(with = "Option<BTreeMap<String, Severity>>")]
    pub severity: Option<BTreeMap<Spanned<String>, Spanned<Severity>>>,
    /// Per-rule parameters, merged over the rule's `[check]` table.
    #[schemars(with = "Option<BTreeMap<String, serde_json::Map<String, serde_json::Value>>>")]
    pub rules: Option<BTreeMap<Spanned<String>, Spanned<toml::Table>>>,
    /// Rules of your own, in the same schema as the shipped `rules/*.toml`.
    #[schemars(with = "Option<Vec<CustomRuleSchema>>")]
    pub custom_rules: Option<Vec<Spanned<RuleDef>>>,
}

/// The JSON Schema of a `[[custom-rules]]` entry (mirrors [`RuleDef`]).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(dead_code)]
pub struct CustomRuleSchema {
    /// Two to four capital letters and three digits, not taken by a shipped rule.
    #[schemars(regex(pattern = r"^[A-Z]{2,4}[0-9]{3}$"))]
    code: String,
    /// Kebab-case, names the problem.
    name: String,
    group: String,
    summary: String,
    severity: Severity,
    default: bool,
    fixable: Option<String>,
    /// Markdown with `## What it does`, `## Why is this bad?`, `## Example`, `## How to fix`.
    docs: String,
    /// `kind` (require, forbid, companion, unique-name, name-pattern, content, toml-key, all) and its parameters.
    check: serde_json::Map<String, serde_json::Value>,
}

/// `pyproject.toml`, as far as laylint's configuration goes.
#[derive(Debug, Deserialize)]
pub struct Pyproject {
    pub tool: Option<PyprojectTool>,
}

#[derive(Debug, Deserialize)]
pub struct PyprojectTool {
    pub laylint: Option<Options>,
}
