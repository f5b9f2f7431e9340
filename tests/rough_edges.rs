//! Rough edges a new user meets first: `init --pyproject` tables, `init --force`, the
//! configuration examples in `docs/configuration.md`, `rule --output-format json`, the
//! alignment of `laylint rules`, and no "SPEC" references in what users read.

mod common;

use std::path::Path;

use common::{TestRepo, run_in};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every commented-out line of the starter (`# key = value`, `# [table]`, `# "glob" = …`),
/// uncommented: what a user gets by deleting the `# `.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest.starts_with('"')
                    || rest.split_once(" = ").is_some_and(|(key, _)| {
                        !key.is_empty()
                            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    }) =>
            {
                rest.to_string()
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn settings(dir: &Path) -> String {
    let result = run_in(dir, &["check", "--show-settings"]);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    result.stdout
}

#[test]
fn init_pyproject_uncommented_is_read_as_written() {
    let repo = TestRepo::with_files(&[("pyproject.toml", "[project]\nname = \"svc\"\n")]);
    let result = run_in(repo.path(), &["init", "--pyproject"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let path = repo.path().join("pyproject.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("# [tool.laylint.severity]"), "{written}");
    assert!(!written.contains("# [severity]"), "{written}");
    std::fs::write(&path, uncommented(&written)).unwrap();
    let shown = settings(repo.path());
    // The severity table's `TYP001 = "error"` and the per-path ignore are in effect.
    let typ001 = shown
        .lines()
        .find(|l| l.trim_start().starts_with("TYP001 "))
        .unwrap();
    assert!(typ001.ends_with("(error)"), "{shown}");
    assert!(shown.contains(r#""scripts/**" = ["TYP003"]"#), "{shown}");
}

#[test]
fn init_laylint_toml_uncommented_is_valid() {
    let repo = TestRepo::empty();
    assert_eq!(run_in(repo.path(), &["init"]).code, 0);
    let path = repo.path().join("laylint.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, uncommented(&written)).unwrap();
    let shown = settings(repo.path());
    assert!(shown.contains(r#""scripts/**" = ["TYP003"]"#), "{shown}");
}

#[test]
fn init_force_replaces_an_existing_file_and_not_a_symlink_target() {
    let repo = TestRepo::with_files(&[("laylint.toml", "fail-on = \"error\"\n")]);
    let refused = run_in(repo.path(), &["init"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    let forced = run_in(repo.path(), &["init", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let text = std::fs::read_to_string(repo.path().join("laylint.toml")).unwrap();
    assert!(text.starts_with("# laylint configuration"), "{text}");

    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("kept.toml");
        std::fs::write(&target, "kept\n").unwrap();
        let repo = TestRepo::empty();
        std::os::unix::fs::symlink(&target, repo.path().join("laylint.toml")).unwrap();
        assert_eq!(run_in(repo.path(), &["init", "--force"]).code, 0);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
        let link = std::fs::symlink_metadata(repo.path().join("laylint.toml")).unwrap();
        assert!(link.is_file(), "the link is replaced by a file");
    }
}

/// Every ```toml block of `docs/configuration.md`, used as a `laylint.toml`, loads.
#[test]
fn configuration_examples_in_the_docs_load() {
    let docs = std::fs::read_to_string(manifest_dir().join("docs/configuration.md")).unwrap();
    let blocks: Vec<&str> = docs
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 2, "toml examples expected");
    for block in blocks {
        let repo = TestRepo::with_files(&[("laylint.toml", block)]);
        let result = run_in(repo.path(), &["check"]);
        assert_eq!(
            result.code, 0,
            "this example from docs/configuration.md does not load:\n{block}\n{}",
            result.stderr
        );
    }
}

#[test]
fn rule_json() {
    let repo = TestRepo::empty();
    let one = run_in(repo.path(), &["rule", "HDL001", "--output-format", "json"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let list: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["code"], "HDL001");
    assert_eq!(list[0]["name"], "handler-module-not-found");
    assert!(
        list[0]["documentation"]
            .as_str()
            .unwrap()
            .starts_with("# HDL001")
    );
    let all = run_in(repo.path(), &["rule", "--all", "--output-format", "json"]);
    let rules = run_in(repo.path(), &["rules", "--output-format", "json"]);
    let all: serde_json::Value = serde_json::from_str(&all.stdout).unwrap();
    let rules: serde_json::Value = serde_json::from_str(&rules.stdout).unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        rules.as_array().unwrap().len()
    );
}

/// Each column of `laylint rules` starts at the same place on every line.
#[test]
fn rules_table_is_aligned() {
    let out = run_in(Path::new("."), &["rules"]).stdout;
    let lines: Vec<&str> = out.lines().collect();
    let starts = |line: &str| -> Vec<usize> {
        let bytes = line.as_bytes();
        (0..bytes.len())
            .filter(|&i| bytes[i] != b' ' && (i == 0 || bytes[i - 1] == b' '))
            .collect()
    };
    let header = starts(lines[0]);
    assert_eq!(header.len(), 6, "{}", lines[0]);
    for line in &lines[1..] {
        assert_eq!(starts(line), header, "misaligned:\n{}\n{line}", lines[0]);
    }
}

/// Users do not have the specification: nothing they read cites it.
#[test]
fn no_spec_references_in_help_or_docs() {
    let mut texts = Vec::new();
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["init", "--help"],
        &["rule", "--help"],
        &["rules", "--help"],
        &["server", "--help"],
    ] {
        texts.push((
            format!("laylint {}", args.join(" ")),
            run_in(Path::new("."), args).stdout,
        ));
    }
    let mut files = vec![manifest_dir().join("README.md")];
    let mut dirs = vec![manifest_dir().join("docs"), manifest_dir().join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            texts.push((file.display().to_string(), text));
        }
    }
    for (name, text) in texts {
        assert!(!text.contains("SPEC §"), "{name} cites the SPEC");
    }
}
