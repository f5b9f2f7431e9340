//! The binary end to end: exit codes, root discovery, configuration, selection,
//! suppression, output formats and the informational flags.

mod common;

use common::custom::custom_rule;
use common::{TestRepo, run_in};

/// A custom rule: `.env` files are forbidden (warning), and `pyproject.toml` must set
/// `project.name` (read with the TOML parser, so a broken file gives PAR001).
fn config() -> String {
    // The shipped IAC002 reports the same `.env`: this test is about the custom rule.
    "ignore = [\"IAC002\"]\n\n".to_string()
        + &custom_rule(
            "ORG001",
            "env-file",
            "warning",
            "kind = \"forbid\"\nglob = \"**/.env\"\n",
        )
        + &custom_rule(
            "ORG002",
            "project-name",
            "error",
            "kind = \"toml-key\"\nglob = \"**/pyproject.toml\"\nkey = \"project.name\"",
        )
}

fn repo() -> TestRepo {
    TestRepo::with_files(&[
        ("laylint.toml", &config()),
        ("svc/.env", "KEY=1\n"),
        ("svc/pyproject.toml", "[project]\nname = \"svc\"\n"),
        ("broken/pyproject.toml", "[project\nname = \"x\"\n"),
        ("other/pyproject.toml", "[project]\nversion = \"1\"\n"),
    ])
}

#[test]
fn clean_repository_exits_zero() {
    let repo = TestRepo::with_files(&[
        ("laylint.toml", &config()),
        ("pyproject.toml", "[project]\nname = \"a\"\n"),
    ]);
    let result = repo.run(&["check"]);
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert_eq!(result.stdout.trim(), "All checks passed!");
}

#[test]
fn findings_exit_one_and_concise_lists_them_sorted() {
    let result = repo().run(&["check", "--output-format", "concise"]);
    assert_eq!(result.code, 1);
    insta::assert_snapshot!("concise_basic", result.stdout);
}

#[test]
fn full_output_points_into_the_file() {
    let result = repo().run(&["check", "--output-format", "full"]);
    assert_eq!(result.code, 1);
    insta::assert_snapshot!("full_basic", result.stdout);
}

#[test]
fn exit_zero_and_fail_on() {
    let repo = repo();
    assert_eq!(repo.run(&["check", "--exit-zero"]).code, 0);
    // Only the warning is left once the error rules are ignored.
    assert_eq!(repo.run(&["check", "--ignore", "ORG002,PAR001"]).code, 1);
    assert_eq!(
        repo.run(&["check", "--ignore", "ORG002,PAR001", "--fail-on", "error"])
            .code,
        0
    );
}

#[test]
fn json_has_the_public_shape() {
    let result = repo().run(&["check", "--output-format", "json"]);
    assert_eq!(result.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&result.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    let first = &doc["diagnostics"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "code",
        "rule",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "url",
        "related",
        "fix",
    ] {
        assert!(keys.contains(&key), "missing {key} in {first}");
    }
    assert_eq!(doc["summary"]["errors"], 2);
    assert_eq!(doc["summary"]["warnings"], 1);
    assert_eq!(doc["summary"]["files"], 5);
    let par = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "PAR001")
        .unwrap();
    assert_eq!(par["path"], "broken/pyproject.toml");
    assert_eq!(par["line"], 1);
    assert_eq!(par["rule"], "parse-error");
    assert!(
        par["url"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules/PAR001.md")
    );
}

#[test]
fn json_lines_and_github_formats() {
    let repo = repo();
    let lines = repo.run(&["check", "--output-format", "json-lines"]).stdout;
    assert_eq!(lines.lines().count(), 3);
    for line in lines.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
    let github = repo.run(&["check", "--output-format", "github"]).stdout;
    assert!(
        github.contains("::error file=broken/pyproject.toml,line=1,col="),
        "{github}"
    );
    assert!(
        github.contains("::warning file=svc/.env,title=laylint (ORG001)::"),
        "{github}"
    );
}

#[test]
fn output_format_from_the_environment() {
    let repo = repo();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_laylint"))
        .args(["check"])
        .current_dir(repo.path())
        .env("LAYLINT_OUTPUT_FORMAT", "concise")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("broken/pyproject.toml:1:"));
}

#[test]
fn same_result_from_an_unrelated_folder() {
    let repo = repo();
    let inside = repo.run(&["check", "--output-format", "json"]).stdout;
    let elsewhere = tempfile::tempdir().unwrap();
    let path = repo.path().to_str().unwrap();
    let outside = run_in(
        elsewhere.path(),
        &["check", path, "--output-format", "json"],
    )
    .stdout;
    // The same findings; only `cwd_path` (relative to the working folder) differs.
    let without_cwd_paths = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("\"cwd_path\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_cwd_paths(&inside), without_cwd_paths(&outside));
    // Naming a subfolder models the whole repository but reports only under it.
    let sub = repo.path().join("svc");
    let only_svc = run_in(
        elsewhere.path(),
        &[
            "check",
            sub.to_str().unwrap(),
            "--output-format",
            "concise",
            "-q",
        ],
    )
    .stdout;
    // Outside the working folder, paths print in full (as ruff prints them).
    let root = repo.path().canonicalize().unwrap();
    assert_eq!(
        only_svc,
        format!(
            "{}/svc/.env:1:1: ORG001 `svc/.env` matches the forbidden pattern `**/.env`\n",
            root.display()
        )
    );
}

#[test]
fn bad_input_exits_two_with_a_message() {
    let missing = repo().run(&["check", "does/not/exist"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("does/not/exist") && missing.stderr.contains("no such file"),
        "{}",
        missing.stderr
    );

    let flag = repo().run(&["check", "--no-such-flag"]);
    assert_eq!(flag.code, 2);
    assert!(flag.stderr.contains("--no-such-flag"));

    let selector = repo().run(&["check", "--select", "NOPE999"]);
    assert_eq!(selector.code, 2);
    assert!(
        selector.stderr.contains("`NOPE999` is not a rule code"),
        "{}",
        selector.stderr
    );

    let bad_config = TestRepo::with_files(&[(
        "laylint.toml",
        "select = [\"PAR001\"]\nfail-on = \"sometimes\"\n",
    )]);
    let result = bad_config.run(&["check"]);
    assert_eq!(result.code, 2);
    insta::assert_snapshot!("config_error", result.stderr);
}

#[test]
fn pyproject_tool_laylint_is_read() {
    let repo = TestRepo::with_files(&[
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\n\n[tool.laylint]\nselect = [\"PAR001\"]\nignor = []\n",
        ),
        ("sub/x.py", ""),
    ]);
    let result = repo.run(&["check"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("unknown field `ignor`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("pyproject.toml:6"),
        "{}",
        result.stderr
    );
    // Run from a subfolder: the root is found by walking up to the pyproject with [tool.laylint].
    let sub = run_in(&repo.path().join("sub"), &["check"]);
    assert_eq!(sub.code, 2);
}

#[test]
fn selection_by_prefix_name_and_ignore() {
    let repo = repo();
    let only_org = repo.concise(&["--select", "ORG", "--ignore", "project-name"]);
    assert_eq!(only_org.lines().count(), 1, "{only_org}");
    assert!(only_org.contains("ORG001"));
    let extended = repo.concise(&["--select", "project-name", "--extend-select", "PAR"]);
    assert!(
        extended.contains("ORG002") && extended.contains("PAR001") && !extended.contains("ORG001"),
        "{extended}"
    );
    // PAR001 reports only files a rule had to read: nothing reads the broken pyproject here.
    let unread = repo.concise(&["--select", "env-file", "--extend-select", "PAR"]);
    assert_eq!(unread.lines().count(), 1, "{unread}");
    // The most specific selector wins: ignoring the group but selecting one rule keeps it.
    let specific = repo.concise(&["--ignore", "ORG", "--extend-select", "ORG002"]);
    assert!(
        specific.contains("ORG002") && !specific.contains("ORG001"),
        "{specific}"
    );
}

#[test]
fn suppression_comments_and_per_path_ignores() {
    let repo = repo();
    repo.write(
        "other/pyproject.toml",
        "# laylint: ignore-file[ORG002]\n[project]\nversion = \"1\"\n",
    );
    repo.write(
        "broken/pyproject.toml",
        "[project  # laylint: ignore[PAR001]\nname = \"x\"\n",
    );
    let out = repo.concise(&[]);
    assert_eq!(
        out,
        "svc/.env:1:1: ORG001 `svc/.env` matches the forbidden pattern `**/.env`\n"
    );
    repo.write(
        "laylint.toml",
        &format!(
            "{}\n[per-path-ignores]\n\"svc/**\" = [\"env-file\"]\n",
            config()
        ),
    );
    assert_eq!(repo.concise(&[]), "");
}

#[test]
fn statistics_settings_files_and_output_file() {
    let repo = repo();
    let stats = repo.run(&["check", "--statistics"]);
    assert_eq!(stats.code, 1);
    assert!(
        stats.stdout.contains("1\tORG001\tenv-file"),
        "{}",
        stats.stdout
    );

    let settings = repo.run(&["check", "--show-settings"]);
    assert_eq!(settings.code, 0);
    assert!(
        settings.stdout.contains("ORG002 project-name (error)"),
        "{}",
        settings.stdout
    );
    assert!(settings.stdout.contains("laylint.toml"));

    repo.write(".gitignore", "build/\n");
    repo.write("build/pyproject.toml", "not toml at all [");
    repo.write(
        "laylint.toml",
        &format!("exclude = [\"other/**\"]\n{}", config()),
    );
    let files = repo.run(&["check", "--show-files"]).stdout;
    assert!(
        !files.contains("build/") && !files.contains("other/"),
        "{files}"
    );
    assert!(
        files.contains("svc/.env") && files.contains(".gitignore"),
        "{files}"
    );
    let unignored = repo
        .run(&["check", "--show-files", "--no-respect-gitignore"])
        .stdout;
    assert!(unignored.contains("build/pyproject.toml"), "{unignored}");

    let report = repo.path().join("report.json");
    let written = repo.run(&[
        "check",
        "--output-format",
        "json",
        "--output-file",
        report.to_str().unwrap(),
    ]);
    assert_eq!(written.code, 1);
    assert!(written.stdout.is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 2);
}

#[test]
fn rule_and_rules_commands() {
    let repo = TestRepo::empty();
    let page = repo.run(&["rule", "PAR001"]);
    assert_eq!(page.code, 0);
    assert!(page.stdout.starts_with("# PAR001 `parse-error`"));
    assert_eq!(repo.run(&["rule", "parse-error"]).stdout, page.stdout);
    assert_eq!(repo.run(&["rule", "XYZ123"]).code, 2);
    let all = repo.run(&["rule", "--all"]);
    assert!(all.stdout.contains("# PAR001"));

    let list = repo.run(&["rules", "--output-format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let first = &rules[0];
    for key in [
        "code", "name", "group", "severity", "default", "fixable", "summary",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert!(repo.run(&["rules"]).stdout.contains("parse-error"));
    assert!(repo.run(&["--version"]).stdout.starts_with("laylint "));
}

#[test]
fn init_writes_a_starter_and_refuses_to_overwrite() {
    let repo = TestRepo::empty();
    let first = repo.run(&["init"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let text = std::fs::read_to_string(repo.path().join("laylint.toml")).unwrap();
    assert!(text.contains("# select = "));
    assert_eq!(
        repo.run(&["check"]).code,
        0,
        "the starter is valid configuration"
    );
    let second = repo.run(&["init"]);
    assert_eq!(second.code, 2);
    assert!(second.stderr.contains("already exists"));

    let py = TestRepo::with_files(&[("pyproject.toml", "[project]\nname = \"a\"")]);
    assert_eq!(py.run(&["init", "--pyproject"]).code, 0);
    let text = std::fs::read_to_string(py.path().join("pyproject.toml")).unwrap();
    assert!(
        text.starts_with("[project]\nname = \"a\"\n\n[tool.laylint]\n"),
        "{text}"
    );
    assert_eq!(py.run(&["check", "--show-settings"]).code, 0);
    assert_eq!(py.run(&["init", "--pyproject"]).code, 2);
}

#[test]
fn show_handlers_lists_what_laylint_understood() {
    let template = "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\nResources:\n  Good:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: app.handler\n  Bad:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: app.missing\n  FromS3:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://bucket/key.zip\n      Handler: app.handler\n";
    let repo = TestRepo::with_files(&[
        ("template.yaml", template),
        ("fn/app.py", "def handler(event, context):\n    return 1\n"),
    ]);
    let text = repo.run(&["check", "--show-handlers"]);
    assert_eq!(text.code, 0);
    insta::assert_snapshot!("show_handlers", text.stdout);
    let json = repo
        .run(&["check", "--show-handlers", "--output-format", "json"])
        .stdout;
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let verdicts: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["ok", "function-not-found", "skipped"]);
    assert_eq!(list[1]["line"], 16);
}
