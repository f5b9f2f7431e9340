//! Rules are data: one TOML file each under `rules/`, embedded in the binary.

pub mod selector;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{RuleCode, Severity};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The base of every rule's documentation page.
pub const DOCS_BASE_URL: &str = "https://github.com/laylint/laylint/blob/main/docs/rules";

/// Whether and how a rule's findings can be fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fixable {
    #[default]
    None,
    Safe,
    Unsafe,
}

impl fmt::Display for Fixable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fixable::None => "none",
            Fixable::Safe => "safe",
            Fixable::Unsafe => "unsafe",
        })
    }
}

/// One rule as written in `rules/<CODE>-<name>.toml` or a `[[custom-rules]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleDef {
    pub code: RuleCode,
    /// Kebab-case, names the problem.
    pub name: String,
    pub group: String,
    pub summary: String,
    pub severity: Severity,
    pub default: bool,
    #[serde(default)]
    pub fixable: Fixable,
    /// Markdown with `## What it does`, `## Why is this bad?`, `## Example`, `## How to fix`.
    pub docs: String,
    /// `kind` and the check's parameters; validated when the rule is enabled.
    pub check: toml::Table,
}

/// The documentation sections every rule must have, in order.
pub const DOC_SECTIONS: [&str; 4] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## How to fix",
];

impl RuleDef {
    /// Structural checks that serde cannot express.
    pub fn validate(&self) -> Result<(), String> {
        if !is_kebab_case(&self.name) {
            return Err(format!("rule name `{}` is not kebab-case", self.name));
        }
        let mut from = 0;
        for section in DOC_SECTIONS {
            match self.docs[from..].find(section) {
                Some(at) => from += at + section.len(),
                None => {
                    return Err(format!(
                        "{}: docs lack the section `{section}` (or it is out of order)",
                        self.code
                    ));
                }
            }
        }
        if self
            .check
            .get("kind")
            .and_then(toml::Value::as_str)
            .is_none()
        {
            return Err(format!("{}: `[check]` has no `kind`", self.code));
        }
        Ok(())
    }

    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}/{}.md", self.code)
    }
}

pub fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Every rule known to a run: the shipped ones and the user's custom rules.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    rules: BTreeMap<RuleCode, RuleDef>,
}

impl Registry {
    /// The rules embedded in the binary. A broken shipped rule is a bug, caught by tests.
    pub fn builtin() -> Result<Self, String> {
        let mut registry = Self::default();
        for (file, text) in BUILTIN_RULE_FILES {
            let rule: RuleDef = toml::from_str(text).map_err(|e| format!("rules/{file}: {e}"))?;
            let expected = format!("{}-{}.toml", rule.code, rule.name);
            if *file != expected {
                return Err(format!("rules/{file}: file name should be `{expected}`"));
            }
            registry
                .add(rule)
                .map_err(|e| format!("rules/{file}: {e}"))?;
        }
        Ok(registry)
    }

    /// Adds a rule, refusing a code or name already taken.
    pub fn add(&mut self, rule: RuleDef) -> Result<(), String> {
        rule.validate()?;
        if self.rules.contains_key(&rule.code) {
            return Err(format!("rule code `{}` is already taken", rule.code));
        }
        if let Some(other) = self.rules.values().find(|r| r.name == rule.name) {
            return Err(format!(
                "rule name `{}` is already taken by {}",
                rule.name, other.code
            ));
        }
        self.rules.insert(rule.code.clone(), rule);
        Ok(())
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleDef> {
        self.rules.values()
    }

    pub fn get(&self, code: &RuleCode) -> Option<&RuleDef> {
        self.rules.get(code)
    }

    /// A rule by code (`HDL001`, any case) or name (`handler-module-not-found`).
    pub fn find(&self, code_or_name: &str) -> Option<&RuleDef> {
        let upper = code_or_name.to_ascii_uppercase();
        self.rules
            .values()
            .find(|r| r.code.as_str() == upper || r.name == code_or_name)
    }
}
