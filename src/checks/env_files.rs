//! `env-files`: a dotenv file (`.env`, `.env.<name>`) that `.gitignore` does not cover
//! (IAC002). Templates (`.env.example`, `.sample`, `.template`, `.dist`) are meant to be
//! committed and are not reported.
//!
//! A file that assigns no value (empty, comments, `NAME=` only) is a placeholder and is
//! not reported: nothing leaks yet.
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

/// Whether dotenv text assigns a non-empty value (`NAME=value`, `export NAME=value`).
pub fn holds_a_value(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        !line.starts_with('#')
            && line
                .split_once('=')
                .is_some_and(|(name, value)| !name.trim().is_empty() && !value.trim().is_empty())
    })
}

impl EnvFiles {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        repo.files
            .iter()
            .filter(|e| e.kind == EntryKind::File && is_env_file(e.path.file_name()))
            .filter(|e| !repo.is_gitignored(&e.path, false))
            .filter(|e| {
                // A file without a value (empty, or comments only) leaks nothing yet: a
                // placeholder committed on purpose. An unreadable one is reported.
                repo.read_or_report(&e.path)
                    .is_none_or(|source| holds_a_value(&source.text))
            })
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
    use super::{holds_a_value, is_env_file};

    #[test]
    fn values() {
        assert!(holds_a_value("# db\nDB_PASSWORD=hunter2\n"));
        assert!(holds_a_value("export TOKEN = abc"));
        for text in [
            "",
            "# THIS IS THE .ENV.LOCAL FILE\n",
            "DB_PASSWORD=\n",
            "  \n# A=b\n",
        ] {
            assert!(!holds_a_value(text), "{text:?}");
        }
    }

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
