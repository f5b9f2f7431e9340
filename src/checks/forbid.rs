//! `forbid`: no path matching `glob` (relative to each `for-each` folder, or the root) may exist.

use serde::Deserialize;

use super::pattern::{Glob, render, scopes};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Forbid {
    pub for_each: Option<Glob>,
    pub glob: Glob,
    /// Message template; `{path}` is the forbidden path, `{glob}` the pattern.
    pub message: Option<String>,
    pub help: Option<String>,
}

impl Forbid {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for scope in scopes(&repo.files, self.for_each.as_ref()) {
            for entry in self.glob.matches_below(&repo.files, &scope) {
                let message = match &self.message {
                    Some(template) => render(
                        template,
                        &[("path", entry.path.as_str()), ("glob", &self.glob.pattern)],
                    ),
                    None => format!(
                        "`{}` matches the forbidden pattern `{}`",
                        entry.path, self.glob.pattern
                    ),
                };
                let mut finding = Finding::new(Location::path(entry.path.clone()), message);
                finding.help = self.help.clone();
                findings.push(finding);
            }
        }
        findings.sort_by(|a, b| a.location.cmp(&b.location));
        findings.dedup_by(|a, b| a.location == b.location);
        findings
    }
}
