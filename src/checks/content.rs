//! `content`: files matching `glob` (or any glob of the list `include`) must match a regex somewhere (`matches`), must not
//! (`forbids`, one finding per line holding a match, pointing at the first match, at most
//! [`MAX_FINDINGS_PER_FILE`] per file), or must start with a statement (`starts-with`,
//! after blank lines, comments and a module docstring).

use serde::Deserialize;

use super::pattern::{Glob, Pattern, render};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;

/// A file that matches everywhere gets this many findings; the last says there are more.
pub const MAX_FINDINGS_PER_FILE: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "ContentRaw")]
pub struct Content {
    /// The files checked: those matching any of these (`glob`, or the list `include`).
    pub globs: Vec<Glob>,
    pub test: ContentTest,
    pub message: Option<String>,
    pub help: Option<String>,
}

#[derive(Debug)]
pub enum ContentTest {
    Matches(Pattern),
    Forbids(Pattern),
    StartsWith(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ContentRaw {
    glob: Option<Glob>,
    include: Option<Vec<Glob>>,
    matches: Option<Pattern>,
    forbids: Option<Pattern>,
    starts_with: Option<String>,
    message: Option<String>,
    help: Option<String>,
}

impl TryFrom<ContentRaw> for Content {
    type Error = String;

    fn try_from(raw: ContentRaw) -> Result<Self, String> {
        let test = match (raw.matches, raw.forbids, raw.starts_with) {
            (Some(p), None, None) => ContentTest::Matches(p),
            (None, Some(p), None) => ContentTest::Forbids(p),
            (None, None, Some(s)) => ContentTest::StartsWith(s),
            _ => {
                return Err(
                    "content needs exactly one of `matches`, `forbids` and `starts-with`".into(),
                );
            }
        };
        let globs = match (raw.glob, raw.include) {
            (Some(glob), None) => vec![glob],
            (None, Some(globs)) => globs,
            _ => return Err("content needs exactly one of `glob` and `include`".into()),
        };
        Ok(Self {
            globs,
            test,
            message: raw.message,
            help: raw.help,
        })
    }
}

impl Content {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        let root = crate::paths::RelPath::root();
        let paths = repo
            .files
            .files()
            .filter(|entry| self.globs.iter().any(|g| g.matches_entry(&root, entry)))
            .map(|entry| &entry.path);
        for path in paths {
            let Some(source) = repo.read_or_report(path) else {
                continue;
            };
            let text = &source.text;
            let render_message = |default: String| match &self.message {
                Some(template) => render(template, &[("path", path.as_str())]),
                None => default,
            };
            match &self.test {
                ContentTest::Matches(pattern) if !pattern.0.is_match(text) => {
                    let message = render_message(format!(
                        "`{path}` has no text matching `{}`",
                        pattern.0.as_str()
                    ));
                    findings.push(Finding::new(Location::path(path.clone()), message));
                }
                ContentTest::Forbids(pattern) => {
                    for (n, found) in forbidden_lines(&pattern.0, text).enumerate() {
                        let message = render_message(format!(
                            "`{path}` contains forbidden text matching `{}`",
                            pattern.0.as_str()
                        ));
                        let mut finding =
                            Finding::new(Location::span(path.clone(), found.range()), message);
                        if n + 1 == MAX_FINDINGS_PER_FILE {
                            finding.help = Some(format!(
                                "only the first {MAX_FINDINGS_PER_FILE} lines with a match in this file are reported"
                            ));
                            findings.push(finding);
                            break;
                        }
                        findings.push(finding);
                    }
                }
                ContentTest::StartsWith(statement) => {
                    let (offset, first) = first_statement(text, path.extension() == Some("py"));
                    if !first.starts_with(statement.as_str()) {
                        let message =
                            render_message(format!("`{path}` does not start with `{statement}`"));
                        let end = offset + first.len();
                        findings.push(Finding::new(
                            Location::span(path.clone(), offset..end),
                            message,
                        ));
                    }
                }
                ContentTest::Matches(_) => {}
            }
        }
        if let Some(help) = &self.help {
            for finding in &mut findings {
                finding.help = Some(match finding.help.take() {
                    Some(limit) => format!("{help}\n{limit}"),
                    None => help.clone(),
                });
            }
        }
        findings
    }
}

/// The first match on each line that holds one. Each search starts at the next line, so
/// a file is scanned once however many matches it holds.
fn forbidden_lines<'t>(
    pattern: &'t regex::Regex,
    text: &'t str,
) -> impl Iterator<Item = regex::Match<'t>> + 't {
    let mut from = Some(0);
    std::iter::from_fn(move || {
        let found = pattern.find_at(text, from?)?;
        from = text[found.start()..]
            .find('\n')
            .map(|i| found.start() + i + 1)
            .filter(|&next| next <= text.len());
        Some(found)
    })
}

/// The first line that is not blank, a comment, or (in Python) part of the module docstring.
fn first_statement(text: &str, python: bool) -> (usize, &str) {
    let mut offset = 0;
    let mut in_docstring: Option<&str> = None;
    let mut seen_code = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if let Some(quote) = in_docstring {
            if trimmed.contains(quote) {
                in_docstring = None;
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if python && !seen_code {
            let body = trimmed.trim_start_matches(['r', 'R', 'u', 'U']);
            if let Some(quote) = ["\"\"\"", "'''"].into_iter().find(|q| body.starts_with(q)) {
                seen_code = true;
                if !body[3..].contains(quote) {
                    in_docstring = Some(quote);
                }
                continue;
            }
        }
        let lead = line.len() - line.trim_start().len();
        return (start + lead, trimmed);
    }
    (text.len(), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_match_per_line() {
        let pattern = regex::Regex::new("x").unwrap();
        let text = "xx x\nab\nax\nx";
        let starts: Vec<usize> = forbidden_lines(&pattern, text).map(|m| m.start()).collect();
        assert_eq!(starts, [0, 9, 11]);
        let lines = regex::RegexBuilder::new("^")
            .multi_line(true)
            .build()
            .unwrap();
        assert_eq!(forbidden_lines(&lines, "a\nb\n").count(), 3);
    }
}
