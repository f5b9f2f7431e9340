//! `require`: in each folder matching `for-each` (or the root), paths matching `glob`
//! must exist, between `min` (default 1) and `max` times. Folders matching an `exclude`
//! glob are skipped.

use serde::Deserialize;

use super::glob_count::counts_below;
use super::pattern::{Glob, render, scopes};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Require {
    /// Folders to check, relative to the root; default: the root only.
    pub for_each: Option<Glob>,
    /// Folders matching `for-each` that are not checked.
    #[serde(default)]
    pub exclude: Vec<Glob>,
    /// What must exist, relative to each folder.
    pub glob: Glob,
    #[serde(default = "one")]
    pub min: usize,
    pub max: Option<usize>,
    /// Message template; `{path}` is the folder, `{glob}` the pattern, `{count}` the matches.
    pub message: Option<String>,
    pub help: Option<String>,
}

fn one() -> usize {
    1
}

impl Require {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut scopes = scopes(&repo.files, self.for_each.as_ref());
        scopes.retain(|scope| !self.exclude.iter().any(|glob| glob.matches_path(scope)));
        let counts = counts_below(&self.glob, &repo.files, &scopes);
        for (scope, count) in scopes.into_iter().zip(counts) {
            let problem = if count < self.min {
                Some(if self.min == 1 {
                    format!("`{scope}` has no path matching `{}`", self.glob.pattern)
                } else {
                    format!(
                        "`{scope}` has {count} paths matching `{}`, fewer than {}",
                        self.glob.pattern, self.min
                    )
                })
            } else {
                self.max.filter(|&max| count > max).map(|max| {
                    format!(
                        "`{scope}` has {count} paths matching `{}`, more than {max}",
                        self.glob.pattern
                    )
                })
            };
            if let Some(default) = problem {
                let message = self.message.as_deref().map_or(default, |template| {
                    render(
                        template,
                        &[
                            ("path", scope.as_str()),
                            ("glob", &self.glob.pattern),
                            ("count", &count.to_string()),
                        ],
                    )
                });
                let mut finding = Finding::new(Location::path(scope), message);
                finding.help = self.help.clone();
                findings.push(finding);
            }
        }
        findings
    }
}
