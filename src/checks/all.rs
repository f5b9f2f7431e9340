//! `all`: several checks of the generic kinds under one rule, each reporting its own
//! findings (a profile rule states a layout in several parts). Only kinds that read no
//! costly facet may be combined, so the rule needs nothing built before it runs.

use serde::Deserialize;

use super::CheckSpec;
use crate::diagnostic::Finding;
use crate::model::Repo;

#[derive(Debug)]
pub struct All {
    pub checks: Vec<CheckSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    checks: Vec<toml::Table>,
}

impl<'de> Deserialize<'de> for All {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = Raw::deserialize(deserializer)?;
        if raw.checks.is_empty() {
            return Err(D::Error::custom("`checks` is empty"));
        }
        let mut checks = Vec::with_capacity(raw.checks.len());
        for (i, table) in raw.checks.into_iter().enumerate() {
            let check = CheckSpec::from_table(table)
                .map_err(|e| D::Error::custom(format!("checks[{i}]: {e}")))?;
            if !check.needs().is_empty() || check.reports_unused_suppressions() || check.runs_last()
            {
                return Err(D::Error::custom(format!(
                    "checks[{i}]: only generic kinds (require, forbid, companion, \
                     unique-name, name-pattern, content, toml-key) can be combined"
                )));
            }
            if matches!(check, CheckSpec::All(_)) {
                return Err(D::Error::custom(format!("checks[{i}]: `all` cannot nest")));
            }
            checks.push(check);
        }
        Ok(All { checks })
    }
}

impl All {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        self.checks
            .iter()
            .flat_map(|check| check.run(repo))
            .collect()
    }
}
