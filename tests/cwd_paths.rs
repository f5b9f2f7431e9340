//! Paths in reports are relative to the working directory (as ruff prints them), in every
//! output format, when the laylint root is not the working directory: a sub-folder with
//! its own `laylint.toml` checked from the git root, or a run from inside the root.
//! JSON keeps `path` relative to the root and adds `cwd_path`.

mod common;

use std::path::Path;

use common::{TestRepo, run_in};

/// A git repository whose laylint root is `services/api` (its own `laylint.toml`), with a
/// SAM handler pointing at a module that does not exist (HDL001 on the template) and a
/// second finding in a sub-folder.
fn monorepo() -> TestRepo {
    TestRepo::with_files(&[
        ("services/api/laylint.toml", ""),
        (
            "services/api/template.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n",
        ),
        ("services/api/src/other.py", "X = 1\n"),
    ])
}

fn check(dir: &Path, format: &str, paths: &[&str]) -> String {
    let mut args = vec!["check", "--output-format", format, "--quiet"];
    args.extend_from_slice(paths);
    let result = run_in(dir, &args);
    assert_eq!(result.code, 1, "{}\n{}", result.stdout, result.stderr);
    result.stdout
}

#[test]
fn sub_folder_root_from_the_git_root() {
    let repo = monorepo();
    let top = repo.path();
    let concise = check(top, "concise", &["services/api"]);
    assert!(
        concise.starts_with("services/api/template.yaml:7:"),
        "{concise}"
    );
    let github = check(top, "github", &["services/api"]);
    assert!(
        github.contains("file=services/api/template.yaml,line=7"),
        "{github}"
    );
    let gitlab: serde_json::Value =
        serde_json::from_str(&check(top, "gitlab", &["services/api"])).unwrap();
    assert_eq!(gitlab[0]["location"]["path"], "services/api/template.yaml");
    let sarif: serde_json::Value =
        serde_json::from_str(&check(top, "sarif", &["services/api"])).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "services/api/template.yaml"
    );
    // `%SRCROOT%` is the working directory, so the relative URI resolves to the file.
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let canonical = top.canonicalize().unwrap();
    assert_eq!(base, format!("file://{}/", canonical.display()));
    let junit = check(top, "junit", &["services/api"]);
    assert!(
        junit.contains(r#"<testsuite name="services/api/template.yaml""#),
        "{junit}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&check(top, "json", &["services/api"])).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(json["version"], 1);
    assert_eq!(d["path"], "template.yaml", "`path` stays root-relative");
    assert_eq!(d["cwd_path"], "services/api/template.yaml");
    let lines = check(top, "json-lines", &["services/api"]);
    assert!(
        lines.contains(r#""path":"template.yaml","cwd_path":"services/api/template.yaml""#),
        "{lines}"
    );
    let full = check(top, "full", &["services/api"]);
    assert!(full.contains("services/api/template.yaml"), "{full}");
}

#[test]
fn run_from_inside_the_root() {
    let repo = monorepo();
    let src = repo.path().join("services/api/src");
    let concise = check(&src, "concise", &[".."]);
    assert!(concise.starts_with("../template.yaml:7:"), "{concise}");
    let json: serde_json::Value = serde_json::from_str(&check(&src, "json", &[".."])).unwrap();
    assert_eq!(json["diagnostics"][0]["path"], "template.yaml");
    assert_eq!(json["diagnostics"][0]["cwd_path"], "../template.yaml");
}

#[test]
fn run_at_the_root_prints_paths_as_before() {
    let repo = monorepo();
    let api = repo.path().join("services/api");
    let concise = check(&api, "concise", &[]);
    assert!(concise.starts_with("template.yaml:7:"), "{concise}");
    let json: serde_json::Value = serde_json::from_str(&check(&api, "json", &[])).unwrap();
    assert_eq!(json["diagnostics"][0]["cwd_path"], "template.yaml");
}
