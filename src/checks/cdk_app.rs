//! `cdk-app`: `cdk.json`'s `app` runs a Python file that is not there (IAC004). `cdk synth`
//! then fails with `python3: can't open file '…/app.py': [Errno 2] No such file or
//! directory` before any stack is built.
//!
//! Only plain commands are read: an interpreter (`python`, `python3`, `python3.12`, a path
//! ending in one, optionally after `poetry run`, `pipenv run`, `uv run`) or `uv run`, then
//! options, then a relative `.py` path. A command that changes folder, chains commands or
//! uses shell syntax (`cd`, `&&`, `;`, `|`, `$`, quotes) is not judged.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CdkApp {}

impl CdkApp {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for entry in repo.files.files() {
            if entry.path.file_name() != "cdk.json" {
                continue;
            }
            let cdk_json = &entry.path;
            let Some(source) = repo.read_or_report(cdk_json) else {
                continue;
            };
            let app = match serde_json::from_str::<serde_json::Value>(&source.text) {
                Ok(value) => value
                    .get("app")
                    .and_then(|a| a.as_str().map(str::to_string)),
                Err(error) => {
                    repo.report_problem(
                        cdk_json,
                        None,
                        format!("`{cdk_json}` is not valid JSON: {error}"),
                    );
                    continue;
                }
            };
            let Some(app) = app else { continue };
            let Some(script) = python_script(&app) else {
                continue;
            };
            let folder = cdk_json.parent().unwrap_or_else(RelPath::root);
            let Ok(path) = folder.join_relative(script) else {
                continue;
            };
            if repo.files.is_file(&path) || repo.is_gitignored(&path, false) {
                continue;
            }
            let location = match value_span(&source.text, &app) {
                Some(span) => Location::span(cdk_json.clone(), span),
                None => Location::path(cdk_json.clone()),
            };
            findings.push(
                Finding::new(
                    location,
                    format!(
                        "`{cdk_json}` runs `{app}`, but `{path}` does not exist: `cdk synth` stops before building any stack"
                    ),
                )
                .with_help(format!(
                    "create `{path}` (the CDK app: `app = cdk.App()`, the stacks, `app.synth()`), or point `app` in `{cdk_json}` at the file that builds the app"
                )),
            );
        }
        findings
    }
}

/// The Python file a plain `app` command runs, if it is one (see the module docs).
pub fn python_script(command: &str) -> Option<&str> {
    if command.chars().any(|c| {
        matches!(
            c,
            '&' | ';' | '|' | '$' | '`' | '"' | '\'' | '(' | '<' | '>' | '\\' | '~' | '*'
        )
    }) {
        return None;
    }
    let tokens: Vec<&str> = command.split_whitespace().collect();
    let mut i = 0;
    // Runners that take the command after them: `poetry run`, `pipenv run`, `uv run`.
    if matches!(
        tokens.first(),
        Some(&("poetry" | "pipenv" | "uv" | "hatch" | "pdm"))
    ) && tokens.get(1) == Some(&"run")
    {
        i = 2;
        if tokens[0] == "uv" {
            // `uv run app.py` runs the file itself; skip flags without values only.
            while tokens.get(i).is_some_and(|t| t.starts_with('-')) {
                if !matches!(
                    tokens[i],
                    "--no-sync" | "--frozen" | "--locked" | "--isolated" | "-q" | "--quiet"
                ) {
                    return None;
                }
                i += 1;
            }
            if let Some(script) = tokens.get(i).filter(|t| t.ends_with(".py")) {
                return Some(script);
            }
        }
    }
    let interpreter = tokens.get(i)?;
    if !is_python(interpreter.rsplit('/').next().unwrap_or(interpreter)) {
        return None;
    }
    i += 1;
    // Interpreter options without a value (`-u`, `-O`, `-B`); any other option is not judged.
    while let Some(option) = tokens.get(i).filter(|t| t.starts_with('-')) {
        if !option[1..]
            .chars()
            .all(|c| matches!(c, 'u' | 'O' | 'B' | 'E' | 's' | 'S' | 'I' | 'q'))
            || option.len() < 2
        {
            return None;
        }
        i += 1;
    }
    tokens
        .get(i)
        .copied()
        .filter(|t| t.ends_with(".py") && !t.starts_with('/'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The span of the `app` value in `cdk.json`'s text: the JSON string after an `"app"` key.
fn value_span(text: &str, app: &str) -> Option<std::ops::Range<usize>> {
    let encoded = serde_json::to_string(app).ok()?;
    let mut from = 0;
    while let Some(at) = text[from..].find("\"app\"") {
        let key_end = from + at + 5;
        from = key_end;
        let Some(after_colon) = text[key_end..].trim_start().strip_prefix(':') else {
            continue;
        };
        let value_start = text.len() - after_colon.trim_start().len();
        if text[value_start..].starts_with(&encoded) {
            return Some(value_start..value_start + encoded.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_plain_commands() {
        for (command, script) in [
            ("python3 app.py", Some("app.py")),
            ("python app.py", Some("app.py")),
            (".venv/bin/python app.py", Some("app.py")),
            ("python3.12 -u infra/app.py", Some("infra/app.py")),
            ("uv run app.py", Some("app.py")),
            ("uv run python app.py", Some("app.py")),
            ("poetry run python3 app.py", Some("app.py")),
            ("python3 -m app", None),
            ("cd infra && python3 app.py", None),
            ("npx ts-node --prefer-ts-exts bin/app.ts", None),
            ("python3 $APP", None),
            ("python3 /abs/app.py", None),
            ("pipenv run python app.py", Some("app.py")),
            ("python3 -X dev app.py", None),
            ("uv run --with x app.py", None),
        ] {
            assert_eq!(python_script(command), script, "{command}");
        }
    }

    #[test]
    fn spans_point_at_the_value() {
        let text = "{\n  \"context\": {\"app\": 1},\n  \"app\" : \"python3 app.py\"\n}";
        let span = value_span(text, "python3 app.py").unwrap();
        assert_eq!(&text[span], "\"python3 app.py\"");
    }
}
