//! `aws-keys`: AWS credentials written into a file of the repository (IAC001). What counts
//! is decided in `model/aws_keys.rs`; a finding shows only the key's first and last four
//! characters, and the sink shows the file masked.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::aws_keys::KeyKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AwsKeys {}

impl AwsKeys {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (path, scan) in repo.aws_keys() {
            for hit in &scan.hits {
                let what = match hit.kind {
                    KeyKind::AccessKeyId => format!("an AWS access key id `{}`", hit.masked),
                    KeyKind::SecretAccessKey => format!(
                        "an AWS secret access key `{}` assigned to `aws_secret_access_key`",
                        hit.masked
                    ),
                };
                let location = if scan.exact {
                    Location::span(path.clone(), hit.range.clone())
                } else {
                    Location::path(path.clone())
                };
                let at = if scan.exact {
                    String::new()
                } else {
                    format!(" on line {}", hit.line)
                };
                findings.push(
                    Finding::new(location, format!("`{path}` holds {what}{at}")).with_help(
                        "deactivate the key in IAM now (it stays in the git history), remove it, \
                         and let the code find credentials itself: an IAM role, a profile, \
                         environment variables set outside the repository, or Secrets Manager",
                    ),
                );
            }
        }
        findings
    }
}
