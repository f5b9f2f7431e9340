//! `unique-name`: the stems (or names) of paths matching `glob` are unique within each
//! `for-each` folder (or the whole repository). One finding per path after the first.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::pattern::{Glob, render, scopes};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UniqueName {
    pub for_each: Option<Glob>,
    pub glob: Glob,
    /// Compare the `stem` (default) or the whole `name`.
    #[serde(default)]
    pub key: NameKey,
    /// Message template; `{path}` is the duplicate, `{first}` the first path, `{key}` the shared name.
    pub message: Option<String>,
    pub help: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameKey {
    #[default]
    Stem,
    Name,
}

impl UniqueName {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for scope in scopes(&repo.files, self.for_each.as_ref()) {
            let mut groups: BTreeMap<&str, Vec<&crate::paths::RelPath>> = BTreeMap::new();
            for entry in self.glob.matches_below(&repo.files, &scope) {
                let key = match self.key {
                    NameKey::Stem => entry.path.stem(),
                    NameKey::Name => entry.path.file_name(),
                };
                groups.entry(key).or_default().push(&entry.path);
            }
            for (key, paths) in groups.into_iter().filter(|(_, paths)| paths.len() > 1) {
                let first = paths[0];
                for path in &paths[1..] {
                    let message = match &self.message {
                        Some(template) => render(
                            template,
                            &[
                                ("path", path.as_str()),
                                ("first", first.as_str()),
                                ("key", key),
                            ],
                        ),
                        None => format!("`{path}` has the same name `{key}` as `{first}`"),
                    };
                    let mut finding = Finding::new(Location::path((*path).clone()), message);
                    for other in paths.iter().filter(|p| *p != path) {
                        finding = finding.with_related(
                            Location::path((*other).clone()),
                            format!("also named `{key}`"),
                        );
                    }
                    finding.help = self.help.clone();
                    findings.push(finding);
                }
            }
        }
        findings
    }
}
