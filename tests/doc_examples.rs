//! The `## Example` section of every rule's documentation is executed: each example is a
//! small repository, built in a temporary folder and checked by laylint, which must report
//! the rule there (and nothing of it in the "Use instead" repository that may follow).
//!
//! The format (see CONTRIBUTING.md): in `## Example`, every fenced block is part of the
//! repository:
//! - ```` ```yaml template.yaml ````: a file, its path after the language;
//! - ```` ```text tree ````: a folder drawing (`├──`, `└──`, `│`, four columns a level;
//!   a name ending in `/` is a folder; `# …` is a comment); the files it names are empty
//!   unless a file block gives their text.
//!
//! A paragraph starting with `Use instead` begins a second repository, which must not
//! report the rule. A block with neither a path nor `tree` fails the test: every example
//! can be run.

mod common;

use std::collections::BTreeMap;

use common::TestRepo;
use laylint::rules::Registry;

/// One example repository: its files (path → text) and whether the rule must fire.
#[derive(Debug, Default)]
struct Example {
    files: BTreeMap<String, String>,
    reports: bool,
}

/// The `## Example` section of a rule's docs.
fn example_section(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| l.trim_end() != "## Example");
    lines.next()?;
    let mut section = String::new();
    let mut fenced = false;
    for line in lines {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with("## ") {
            break;
        }
        section.push_str(line);
        section.push('\n');
    }
    Some(section)
}

/// The example repositories of a section; `Err` names what cannot be executed.
fn parse_examples(section: &str) -> Result<Vec<Example>, String> {
    let mut examples = vec![Example {
        reports: true,
        ..Example::default()
    }];
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("Use instead") {
            examples.push(Example::default());
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for inner in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        let example = examples.last_mut().expect("one example at least");
        match info.split_whitespace().nth(1) {
            Some("tree") => {
                for path in tree_files(&body)? {
                    example.files.entry(path).or_default();
                }
            }
            Some(path) => {
                example.files.insert(path.to_string(), body);
            }
            None => {
                return Err(format!(
                    "a block without a path (```{info}): write ```<lang> <path> or ```text tree"
                ));
            }
        }
    }
    if examples.iter().any(|e| e.files.is_empty()) {
        return Err("an example without files".into());
    }
    Ok(examples)
}

/// The paths a folder drawing names; folders end with `/`.
fn tree_files(drawing: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut paths = Vec::new();
    for line in drawing.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let mut rest = line;
        let mut depth = 0;
        while let Some(after) = rest
            .strip_prefix("│   ")
            .or_else(|| rest.strip_prefix("    "))
        {
            rest = after;
            depth += 1;
        }
        let name = match rest
            .strip_prefix("├── ")
            .or_else(|| rest.strip_prefix("└── "))
        {
            Some(name) => {
                depth += 1;
                name.trim()
            }
            None if depth == 0 => rest.trim(),
            None => return Err(format!("tree line not understood: {line:?}")),
        };
        if depth > stack.len() {
            return Err(format!("tree line deeper than its parent: {line:?}"));
        }
        stack.truncate(depth);
        let path = format!("{}{name}", stack.concat());
        if name.ends_with('/') {
            stack.push(name.to_string());
        }
        paths.push(path);
    }
    Ok(paths)
}

/// Builds the example and returns laylint's concise findings of `code`.
fn findings(code: &str, example: &Example) -> String {
    let repo = TestRepo::empty();
    for (path, text) in &example.files {
        if let Some(folder) = path.strip_suffix('/') {
            std::fs::create_dir_all(repo.path().join(folder)).expect("create folder");
        } else {
            repo.write(path, text);
        }
    }
    let out = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "--quiet",
        "--extend-select",
        code,
    ]);
    assert_ne!(out.code, 101, "{code}: laylint panicked: {}", out.stderr);
    out.stdout
        .lines()
        .filter(|l| l.contains(&format!(" {code} ")))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn every_rule_example_runs_and_shows_its_rule() {
    let registry = Registry::builtin().expect("shipped rules load");
    let mut problems = Vec::new();
    let mut run = 0;
    for rule in registry.iter() {
        let code = rule.code.to_string();
        let Some(section) = example_section(&rule.docs) else {
            problems.push(format!("{code}: no `## Example` section"));
            continue;
        };
        let examples = match parse_examples(&section) {
            Ok(examples) => examples,
            Err(e) => {
                problems.push(format!("{code}: {e}"));
                continue;
            }
        };
        for example in &examples {
            run += 1;
            let found = findings(&code, example);
            if example.reports && found.is_empty() {
                problems.push(format!(
                    "{code}: the example does not report {code}; files: {:?}",
                    example.files.keys().collect::<Vec<_>>()
                ));
            }
            if !example.reports && !found.is_empty() {
                problems.push(format!(
                    "{code}: the \"Use instead\" example reports {code}:\n{found}"
                ));
            }
        }
    }
    eprintln!("{run} examples run");
    assert!(
        problems.is_empty(),
        "{} rule examples fail:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn tree_drawings_name_files_and_folders() {
    let drawing = "services/orders/\n├── pyproject.toml\n├── orders/          # flat\n│   ├── __init__.py\n│   └── handler.py\n└── tests/\nlayer/shared/__init__.py\n";
    assert_eq!(
        tree_files(drawing).unwrap(),
        [
            "services/orders/",
            "services/orders/pyproject.toml",
            "services/orders/orders/",
            "services/orders/orders/__init__.py",
            "services/orders/orders/handler.py",
            "services/orders/tests/",
            "layer/shared/__init__.py",
        ]
    );
    assert!(tree_files("a/\n        └── b.py\n").is_err());
}

#[test]
fn blocks_without_a_path_are_refused_and_use_instead_starts_a_clean_example() {
    assert!(parse_examples("```yaml\nHandler: app.py.handler\n```\n").is_err());
    let examples =
        parse_examples("```toml pyproject.toml\n[project\n```\n\nUse instead:\n```toml pyproject.toml\n[project]\n```\n")
            .unwrap();
    assert_eq!(examples.len(), 2);
    assert!(examples[0].reports && !examples[1].reports);
    assert_eq!(examples[1].files["pyproject.toml"], "[project]\n");
}
