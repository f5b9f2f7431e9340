//! `toml-key`: TOML files matching `glob` must (or, with `present = false`, must not)
//! have `key`; with `contains`, the key's list must (not) hold that value.

use serde::Deserialize;

use super::pattern::{Glob, render};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlKey {
    pub glob: Glob,
    /// A dotted key path such as `tool.pytest.ini_options.addopts`.
    pub key: String,
    #[serde(default = "yes")]
    pub present: bool,
    pub contains: Option<toml::Value>,
    /// Message template; `{path}` is the file, `{key}` the key.
    pub message: Option<String>,
    pub help: Option<String>,
}

fn yes() -> bool {
    true
}

impl TomlKey {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for path in self.glob.matching_files(&repo.files) {
            let Some(doc) = repo.toml(path) else { continue };
            let value = doc.get(&self.key);
            let key = &self.key;
            let problem: Option<(Location, String)> = match (&self.contains, value) {
                (None, None) if self.present => Some((
                    Location::path(path.clone()),
                    format!("`{path}` has no key `{key}`"),
                )),
                (None, Some(v)) if !self.present => Some((
                    Location::span(path.clone(), v.span.clone()),
                    format!("`{path}` sets `{key}`, which it should not"),
                )),
                (Some(wanted), v) => {
                    let items: Vec<_> = match v {
                        Some(v) => v
                            .as_array()
                            .map(<[_]>::to_vec)
                            .unwrap_or_else(|| vec![v.clone()]),
                        None => Vec::new(),
                    };
                    let hit = items.iter().find(|item| item.matches(wanted));
                    match (hit, self.present) {
                        (None, true) => {
                            let location = v.map_or(Location::path(path.clone()), |v| {
                                Location::span(path.clone(), v.span.clone())
                            });
                            Some((
                                location,
                                format!("`{key}` in `{path}` does not contain {wanted}"),
                            ))
                        }
                        (Some(item), false) => Some((
                            Location::span(path.clone(), item.span.clone()),
                            format!("`{key}` in `{path}` contains {wanted}"),
                        )),
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some((location, default)) = problem {
                let message = self.message.as_deref().map_or(default, |t| {
                    render(t, &[("path", path.as_str()), ("key", key)])
                });
                let mut finding = Finding::new(location, message);
                finding.help = self.help.clone();
                findings.push(finding);
            }
        }
        findings
    }
}
