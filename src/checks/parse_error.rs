//! `parse-error`: files a rule had to read but could not parse or read (PAR001), and
//! folders the walk could not list. Runs after every other check.

use serde::Deserialize;

use crate::diagnostic::Finding;
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParseError {}

impl ParseError {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        repo.problems()
    }
}
