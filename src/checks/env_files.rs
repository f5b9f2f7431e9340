//! `env-files`: a dotenv file (`.env`, `.env.<name>`) that `.gitignore` does not cover
//! (IAC002). Templates (`.env.example`, `.sample`, `.template`, `.dist`) are meant to be
//! committed and are not reported.
//!
//! A file `.gitignore` covers is not even walked, unless `--no-respect-gitignore`; then the
//! repository's `.gitignore` files decide, as git would.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::files::EntryKind;

/// Name parts after `.env` that mark a template, not a file of values.
const TEMPLATE_PARTS: [&str; 4] = ["example", "sample", "template", "dist"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnvFiles {}

/// Whether a file name is a dotenv file of values: `.env`, or `.env.<name>` none of whose
/// dot-separated parts marks a template.
pub fn is_env_file(name: &str) -> bool {
    if name == ".env" {
        return true;
    }
    let Some(rest) = name.strip_prefix(".env.") else {
        return false;
    };
    !rest.is_empty()
        && rest.split('.').all(|part| {
            !part.is_empty() && !TEMPLATE_PARTS.contains(&part.to_ascii_lowercase().as_str())
        })
}

impl EnvFiles {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        repo.files
            .iter()
            .filter(|e| e.kind == EntryKind::File && is_env_file(e.path.file_name()))
            .filter(|e| !repo.is_gitignored(&e.path, false))
            .map(|e| {
                let name = e.path.file_name();
                Finding::new(
                    Location::path(e.path.clone()),
                    format!("`{}` is a dotenv file that `.gitignore` does not cover: its values get committed", e.path),
                )
                .with_help(format!(
                    "add `{name}` to `.gitignore` (and `git rm --cached {name}` if it is tracked); commit a `{name}.example` with the names and no values instead"
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::is_env_file;

    #[test]
    fn dotenv_names() {
        for name in [".env", ".env.local", ".env.production", ".env.dev.local"] {
            assert!(is_env_file(name), "{name}");
        }
        for name in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.local.example",
            ".env.EXAMPLE",
            ".envrc",
            "env",
            ".env.",
            "x.env",
            ".environment",
        ] {
            assert!(!is_env_file(name), "{name}");
        }
    }
}
