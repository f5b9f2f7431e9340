//! `companion`: each path matching `glob` needs a path matching `needs` beside it (for a
//! file: in its folder) or inside it (for a folder; beside it with `beside = true`). `{stem}` and `{name}` in `needs`
//! stand for the matched path's stem and name. With `only-if`, a match is checked only
//! when that glob matches there too.

use serde::Deserialize;

use super::pattern::{Glob, render};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::files::EntryKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Companion {
    pub glob: Glob,
    /// A glob relative to the matched file's folder, or to the matched folder.
    pub needs: String,
    /// Look for `needs` beside a matched folder (in its parent) instead of inside it.
    #[serde(default)]
    pub beside: bool,
    /// Check a match only when a path matching this glob is where `needs` is looked for
    /// (`cdk.json` only beside a Python project's `requirements.txt`).
    pub only_if: Option<Glob>,
    /// Message template; `{path}` is the matched path, `{needs}` the expanded companion.
    pub message: Option<String>,
    pub help: Option<String>,
}

impl Companion {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for entry in self.glob.matching(&repo.files) {
            let base = if entry.kind == EntryKind::Dir && !self.beside {
                entry.path.clone()
            } else {
                entry.path.parent().unwrap_or_default()
            };
            if let Some(only_if) = &self.only_if
                && only_if.matches_below(&repo.files, &base).next().is_none()
            {
                continue;
            }
            let needs = render(
                &self.needs,
                &[
                    ("stem", entry.path.stem()),
                    ("name", entry.path.file_name()),
                ],
            );
            let found = match Glob::new(&needs) {
                Ok(glob) => glob.matches_below(&repo.files, &base).next().is_some(),
                Err(_) => false,
            };
            if !found {
                let message = match &self.message {
                    Some(template) => render(
                        template,
                        &[("path", entry.path.as_str()), ("needs", &needs)],
                    ),
                    None => format!("`{}` has no companion matching `{needs}`", entry.path),
                };
                let mut finding = Finding::new(Location::path(entry.path.clone()), message);
                finding.help = self.help.clone();
                findings.push(finding);
            }
        }
        findings
    }
}
