//! `lambda-environment`: IAC003, a secret written as a literal in a Lambda function's
//! environment. The value is never part of the finding: the message names the variable,
//! and the value's bytes are masked in every excerpt a report shows ([`Finding::redact`]).

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::templates::environment::{EnvValue, EnvVar};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LambdaEnvironment {}

/// Names that say the value is a credential.
const SECRET_WORDS: [&str; 6] = [
    "PASSWORD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
];
/// Suffixes that say the value points at a secret, or describes one, without being it.
const POINTER_SUFFIXES: [&str; 19] = [
    "_ARN",
    "_NAME",
    "_ID",
    "_PATH",
    "_PARAM",
    "_PARAMETER",
    "_URL",
    "_HEADER",
    "_REGION",
    // What kind of secret, and how it is used (`TOKEN_TYPE: identityToken`).
    "_TYPE",
    "_ENDPOINT",
    "_LOCATION",
    "_FORMAT",
    "_ALGORITHM",
    "_ISSUER",
    "_AUDIENCE",
    "_SCOPE",
    "_SCOPES",
    "_VERSION",
];
/// Words that say the value is a setting about a secret (a lifetime, a length).
const SETTING_WORDS: [&str; 4] = ["TTL", "LENGTH", "SECONDS", "EXPIR"];

/// Whether the variable's name says it holds a secret.
pub fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| name.contains(w))
        && !POINTER_SUFFIXES.iter().any(|s| name.ends_with(s))
        && !SETTING_WORDS.iter().any(|w| name.contains(w))
}

/// Words of a placeholder that stands for a secret in samples (`<YOUR API KEY>`,
/// `REPLACE-WITH-YOUR-SECRET`, `DUMMYEXAMPLEKEY`, `AIzaXXXX`).
const PLACEHOLDER_WORDS: [&str; 9] = [
    "YOUR",
    "REPLACE",
    "CHANGE",
    "EXAMPLE",
    "DUMMY",
    "FAKE",
    "PLACEHOLDER",
    "TODO",
    "XXX",
];
/// Shorter values (`abc123`) are placeholders in samples far more often than secrets.
const MIN_SECRET_CHARS: usize = 8;

/// Whether a literal value is one a secret could be: not empty, not an ARN, not a
/// reference any tool resolves at deploy time, not a sample's placeholder.
fn could_be_secret(text: &str) -> bool {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    let placeholder = (text.starts_with('<') && text.ends_with('>'))
        || PLACEHOLDER_WORDS.iter().any(|w| upper.contains(w));
    let resolved = text.starts_with("arn:") || text.contains("${") || text.contains("{{resolve:");
    text.chars().count() >= MIN_SECRET_CHARS && !placeholder && !resolved
}

fn literal_secret(var: &EnvVar) -> Option<Finding> {
    let EnvValue::Text(text) = &var.value else {
        return None;
    };
    if !names_a_secret(&var.name) || !could_be_secret(text) {
        return None;
    }
    let owner = match var.function.as_str() {
        "Globals" | "provider" => format!("every function of `{}`", var.file),
        function => format!("function `{function}`"),
    };
    let mut finding = Finding::new(
        Location::span(var.file.clone(), var.name_span.clone()),
        format!(
            "environment variable `{}` of {owner} holds a secret written as a literal: it is committed with the code, and anyone who can read the function's configuration can read it",
            var.name,
        ),
    )
    .with_help(
        "keep the secret in AWS Secrets Manager or SSM Parameter Store and pass its name or ARN (or a dynamic reference such as `{{resolve:secretsmanager:…}}`, `${ssm:…}`) instead; then rotate the committed value",
    );
    finding.redact.push(var.value_span.clone());
    Some(finding)
}

impl LambdaEnvironment {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        repo.environment_variables()
            .iter()
            .filter_map(literal_secret)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_as_the_rule_says() {
        for name in ["DB_PASSWORD", "api_key", "GITHUB_TOKEN", "JWT_SECRET_KEY"] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "DB_PASSWORD_ARN",
            "SECRET_NAME",
            "TOKEN_TTL",
            "API_KEY_HEADER",
            "PASSWORD_LENGTH",
            "TOKEN_EXPIRY",
            "SECRET_ID",
            "TABLE_NAME",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
        assert!(could_be_secret("hunter2-but-longer"));
        assert!(!could_be_secret(
            "arn:aws:secretsmanager:us-east-1:1:secret:x"
        ));
        assert!(!could_be_secret("  "));
        assert!(!could_be_secret("{{resolve:ssm:/x}}"));
        for placeholder in [
            "<YOUR DATADOG API KEY>",
            "<Fixer API key>",
            "DUMMYEXAMPLEKEY",
            "AIzaXXXX",
            "REPLACE-WITH-YOUR-SECRET-HERE",
            "abc123",
            "changeme",
        ] {
            assert!(!could_be_secret(placeholder), "{placeholder}");
        }
    }
}
