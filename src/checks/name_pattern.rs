//! `name-pattern`: names of paths matching `glob` follow a case style or a regex, as
//! ls-lint does. Files are judged by their stem, folders by their name, unless `part` says.

use serde::Deserialize;

use super::pattern::{Glob, Pattern, render};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::files::EntryKind;

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    try_from = "NamePatternRaw"
)]
pub struct NamePattern {
    pub glob: Glob,
    pub rule: NameRule,
    pub part: Option<NamePart>,
    pub message: Option<String>,
    pub help: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NamePatternRaw {
    glob: Glob,
    case: Option<CaseStyle>,
    regex: Option<Pattern>,
    part: Option<NamePart>,
    message: Option<String>,
    help: Option<String>,
}

impl TryFrom<NamePatternRaw> for NamePattern {
    type Error = String;

    fn try_from(raw: NamePatternRaw) -> Result<Self, String> {
        let rule = match (raw.case, raw.regex) {
            (Some(case), None) => NameRule::Case(case),
            (None, Some(regex)) => NameRule::Regex(regex),
            _ => return Err("name-pattern needs exactly one of `case` and `regex`".into()),
        };
        Ok(Self {
            glob: raw.glob,
            rule,
            part: raw.part,
            message: raw.message,
            help: raw.help,
        })
    }
}

#[derive(Debug)]
pub enum NameRule {
    Case(CaseStyle),
    Regex(Pattern),
}

/// Which part of the name is judged.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamePart {
    Stem,
    Name,
}

/// Naming conventions, as ls-lint spells them.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum CaseStyle {
    #[serde(rename = "snake_case")]
    Snake,
    #[serde(rename = "kebab-case")]
    Kebab,
    #[serde(rename = "camelCase")]
    Camel,
    #[serde(rename = "PascalCase")]
    Pascal,
    #[serde(rename = "SCREAMING_SNAKE_CASE")]
    ScreamingSnake,
    #[serde(rename = "lowercase")]
    Lower,
    /// An importable Python name: letters, digits and `_`, not starting with a digit.
    #[serde(rename = "python-identifier")]
    PythonIdentifier,
}

impl CaseStyle {
    pub fn name(self) -> &'static str {
        match self {
            CaseStyle::Snake => "snake_case",
            CaseStyle::Kebab => "kebab-case",
            CaseStyle::Camel => "camelCase",
            CaseStyle::Pascal => "PascalCase",
            CaseStyle::ScreamingSnake => "SCREAMING_SNAKE_CASE",
            CaseStyle::Lower => "lowercase",
            CaseStyle::PythonIdentifier => "a Python identifier",
        }
    }

    pub fn accepts(self, name: &str) -> bool {
        let words = |sep: char, ok: fn(char) -> bool| {
            let core = if sep == '_' {
                name.trim_matches('_')
            } else {
                name
            };
            !core.is_empty() && core.split(sep).all(|w| !w.is_empty() && w.chars().all(ok))
        };
        let first = name.chars().next();
        match self {
            CaseStyle::Snake => words('_', |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            CaseStyle::Kebab => words('-', |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            CaseStyle::ScreamingSnake => {
                words('_', |c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
            CaseStyle::Lower => {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            }
            CaseStyle::Camel => {
                first.is_some_and(|c| c.is_ascii_lowercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric())
            }
            CaseStyle::Pascal => {
                first.is_some_and(|c| c.is_ascii_uppercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric())
            }
            CaseStyle::PythonIdentifier => is_python_identifier(name),
        }
    }
}

/// Python's `str.isidentifier()` for the names people give folders: a letter or `_`
/// first, then letters, digits or `_` (Unicode letters count, as in Python 3).
pub fn is_python_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

impl NamePattern {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for entry in self.glob.matching(&repo.files) {
            let part = self.part.unwrap_or(if entry.kind == EntryKind::Dir {
                NamePart::Name
            } else {
                NamePart::Stem
            });
            let name = match part {
                NamePart::Stem => entry.path.stem(),
                NamePart::Name => entry.path.file_name(),
            };
            let (ok, wanted) = match &self.rule {
                NameRule::Case(case) => (case.accepts(name), case.name().to_string()),
                NameRule::Regex(regex) => {
                    (regex.0.is_match(name), format!("`{}`", regex.0.as_str()))
                }
            };
            if !ok {
                let message = match &self.message {
                    Some(template) => render(
                        template,
                        &[
                            ("path", entry.path.as_str()),
                            ("name", name),
                            ("expected", &wanted),
                        ],
                    ),
                    None => format!("`{name}` in `{}` is not {wanted}", entry.path),
                };
                let mut finding = Finding::new(Location::path(entry.path.clone()), message);
                finding.help = self.help.clone();
                findings.push(finding);
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStyle;

    #[test]
    fn case_styles() {
        assert!(CaseStyle::Snake.accepts("__init__"));
        assert!(CaseStyle::Snake.accepts("my_service2"));
        assert!(!CaseStyle::Snake.accepts("my-service"));
        assert!(CaseStyle::Kebab.accepts("my-service"));
        assert!(!CaseStyle::Kebab.accepts("my--service"));
        assert!(CaseStyle::Pascal.accepts("MyStack"));
        assert!(!CaseStyle::PythonIdentifier.accepts("2fa"));
        assert!(CaseStyle::PythonIdentifier.accepts("café"));
    }
}
