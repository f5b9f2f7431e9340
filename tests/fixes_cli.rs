//! `check --fix` on hostile and composite cases: a read-only file is reported and the run
//! goes on, a symlink is never written through, several fixes to one file compose (in one
//! pass, and across passes when their edits overlap), and the JSON and SARIF reports carry
//! the fixes.

mod common;

use std::path::Path;

use common::TestRepo;
use laylint::diagnostic::{Diagnostic, Edit, Fix, Location, RuleCode, Severity};
use laylint::paths::RelPath;
use serde_json::Value;

const TEMPLATE_HEAD: &str =
    "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n";

fn function(name: &str, handler: &str, runtime: &str) -> String {
    format!(
        "  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: {handler}\n      Runtime: {runtime}\n"
    )
}

fn read(repo: &TestRepo, path: &str) -> String {
    std::fs::read_to_string(repo.path().join(path)).expect("read")
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_reported_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let template = format!(
        "{TEMPLATE_HEAD}{}",
        function("Fn", "app.py.handler", "python3.13")
    );
    let repo = TestRepo::with_files(&[
        ("template.yaml", &template),
        ("fn/app.py", "def handler(event, context):\n    return 1\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"svc\"\nversion = \"1\"\n",
        ),
        ("src/svc/__init__.py", ""),
        ("src/svc/sub/m.py", "X = 1\n"),
    ]);
    let path = repo.path().join("template.yaml");
    std::fs::set_permissions(&path, PermissionsExt::from_mode(0o444)).expect("chmod");
    let run = repo.run(&[
        "check",
        "--fix",
        "--select",
        "HDL003,LAY003",
        "--output-format",
        "concise",
    ]);
    assert!(
        run.stderr.contains("cannot fix `template.yaml`: read-only"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&repo, "template.yaml"), template);
    assert!(
        repo.path().join("src/svc/sub/__init__.py").is_file(),
        "the run went on"
    );
    // What remains decides the exit code: the read-only file's finding.
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("HDL003"), "{}", run.stdout);
    assert!(!run.stdout.contains("LAY003"), "{}", run.stdout);
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_never_written_through() {
    let repo = TestRepo::with_files(&[("real/template.yaml", "Handler: app.py.handler\n")]);
    std::os::unix::fs::symlink("real/template.yaml", repo.path().join("template.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink("real", repo.path().join("linked")).expect("symlink");
    // A plan made before the file was swapped for a symlink (the walk never lists a
    // symlink's target as a template, so this is the race the writer must survive).
    let replace = |path: &str| Edit::Replace {
        path: RelPath::parse(path).expect("path"),
        range: 12..15,
        content: String::new(),
    };
    let diagnostic = |edit: Edit| Diagnostic {
        code: RuleCode::new("HDL003").expect("code"),
        rule: "handler-malformed".into(),
        severity: Severity::Error,
        message: "m".into(),
        location: Location::path(edit.path().clone()),
        start: None,
        end: None,
        help: None,
        url: String::new(),
        related: Vec::new(),
        fix: Some(Fix::safe("drop .py", vec![edit])),
    };
    let diagnostics = [
        diagnostic(replace("template.yaml")),
        diagnostic(replace("linked/template.yaml")),
        diagnostic(Edit::Create {
            path: RelPath::parse("linked/__init__.py").expect("path"),
            content: String::new(),
        }),
    ];
    let plan = laylint::fix::Plan::new(&diagnostics, false, &[]);
    assert_eq!(plan.fixes.len(), 3);
    let applied = laylint::fix::apply(repo.path(), &plan, false);
    assert!(applied.files.is_empty(), "{:?}", applied.files);
    assert_eq!(applied.failed.len(), 3, "{:?}", applied.failed);
    assert_eq!(
        read(&repo, "real/template.yaml"),
        "Handler: app.py.handler\n"
    );
    assert!(!repo.path().join("real/__init__.py").exists());
}

#[test]
fn fixes_to_one_file_compose_within_a_pass_and_across_passes() {
    let template = format!(
        "{TEMPLATE_HEAD}{}{}{}",
        function(
            "Malformed",
            "\"app.py.handler\"  # keep this comment",
            "python3.13"
        ),
        function("Old", "app.handler", "'python3.9'"),
        function(
            "Missing",
            "nope.handler  # laylint: ignore[HDL001, HDL002, HDL005]",
            "python3.13"
        ),
    );
    let repo = TestRepo::with_files(&[
        ("laylint.toml", "select = [\"HDL\", \"SUP001\"]\n"),
        ("template.yaml", &template),
        ("fn/app.py", "def handler(event, context):\n    return 1\n"),
    ]);
    let run = repo.run(&[
        "check",
        "--fix",
        "--unsafe-fixes",
        "--show-fixes",
        "--output-format",
        "concise",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let expected = format!(
        "{TEMPLATE_HEAD}{}{}{}",
        function(
            "Malformed",
            "\"app.handler\"  # keep this comment",
            "python3.13"
        ),
        function("Old", "app.handler", "'python3.14'"),
        function(
            "Missing",
            "nope.handler  # laylint: ignore[HDL001]",
            "python3.13"
        ),
    );
    assert_eq!(read(&repo, "template.yaml"), expected);
    // HDL003, HDL011, and the two unused codes of one comment (overlapping: two passes).
    assert!(
        run.stderr.contains("fixed 4 findings, 0 remaining"),
        "{}",
        run.stderr
    );
    for code in ["HDL003", "HDL011", "SUP001"] {
        assert!(
            run.stderr.contains(code),
            "--show-fixes lists {code}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn diff_changes_nothing_and_safe_fixes_leave_unsafe_ones() {
    let template = format!(
        "{TEMPLATE_HEAD}{}",
        function("Old", "app.py.handler", "python3.9")
    );
    let repo = TestRepo::with_files(&[
        ("template.yaml", &template),
        ("fn/app.py", "def handler(event, context):\n    return 1\n"),
    ]);
    let diff = repo.run(&["check", "--diff", "--select", "HDL"]);
    assert_eq!(diff.code, 1);
    assert!(
        diff.stdout
            .contains("-      Handler: app.py.handler\n+      Handler: app.handler\n"),
        "{}",
        diff.stdout
    );
    assert!(
        !diff.stdout.contains("python3.14"),
        "unsafe fixes need --unsafe-fixes"
    );
    assert_eq!(read(&repo, "template.yaml"), template);
    let fixed = repo.run(&[
        "check",
        "--fix",
        "--select",
        "HDL",
        "--output-format",
        "concise",
    ]);
    assert_eq!(fixed.code, 1, "HDL011 remains: {}", fixed.stdout);
    assert!(fixed.stdout.contains("HDL011") && !fixed.stdout.contains("HDL003"));
    let clean = repo.run(&["check", "--diff", "--select", "HDL"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""));
}

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(include_str!("sarif-2.1.0-rtm.5.json"))
        .expect("vendored schema is JSON");
    // The published `language` pattern does not compile in Rust (see tests/formats.rs).
    for definition in ["run", "toolComponent"] {
        schema["definitions"][definition]["properties"]["language"]["pattern"] =
            serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn json_and_sarif_carry_the_fixes() {
    let repo = TestRepo::fixture("LAY003/fail_subpackage_no_init");
    let json = repo.run(&["check", "--select", "LAY003", "--output-format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).expect("json");
    let fix = &doc["diagnostics"][0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["kind"], "create");
    assert!(
        fix["edits"][0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("/__init__.py"))
    );

    let template = format!(
        "{TEMPLATE_HEAD}{}",
        function("Fn", "app.py.handler", "python3.13")
    );
    let repo = TestRepo::with_files(&[
        ("template.yaml", &template),
        ("fn/app.py", "def handler(event, context):\n    return 1\n"),
    ]);
    let sarif = repo.run(&["check", "--select", "HDL003", "--output-format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif.stdout).expect("sarif");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let change = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    let region = &change["replacements"][0]["deletedRegion"];
    let start = region["byteOffset"].as_u64().expect("offset") as usize;
    assert_eq!(&template[start..start + 3], ".py");
    assert_eq!(region["byteLength"], 3);
    assert!(
        Path::new(change["artifactLocation"]["uri"].as_str().expect("uri"))
            .ends_with("template.yaml")
    );
}

#[test]
fn a_code_location_shared_through_globals_is_not_moved_for_one_function() {
    let function = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.13\n";
    let template = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    CodeUri: src/pkg/\n{function}"
    );
    let repo = TestRepo::with_files(&[
        ("template.yaml", &template),
        (
            "pyproject.toml",
            "[project]\nname = \"pkg\"\nversion = \"1\"\n",
        ),
        ("src/pkg/__init__.py", ""),
        (
            "src/pkg/app.py",
            "from . import util\n\ndef handler(event, context):\n    return util\n",
        ),
        ("src/pkg/util.py", ""),
    ]);
    let json = repo.run(&["check", "--select", "HDL004", "--output-format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(doc["diagnostics"][0]["code"], "HDL004", "{}", json.stdout);
    assert!(doc["diagnostics"][0]["fix"].is_null(), "{}", json.stdout);
    // The same function with its own CodeUri gets the fix.
    let own = template
        .replace("Globals:\n  Function:\n    CodeUri: src/pkg/\n", "")
        .replace("      Handler:", "      CodeUri: src/pkg/\n      Handler:");
    repo.write("template.yaml", &own);
    let run = repo.run(&["check", "--fix", "--unsafe-fixes", "--select", "HDL"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let fixed = read(&repo, "template.yaml");
    assert!(
        fixed.contains("      CodeUri: src/\n      Handler: pkg.app.handler\n"),
        "{fixed}"
    );
}

#[test]
fn a_registry_module_call_gets_its_runtime_bumped_where_it_is_written() {
    let repo = TestRepo::fixture("tools/terraform_modules/fail_registry");
    let before = read(&repo, "main.tf");
    assert!(before.contains("runtime       = \"python3.7\""), "{before}");
    let json = |repo: &TestRepo| -> Vec<String> {
        let out = repo.run(&["check", "--output-format", "json", "--select", "HDL011"]);
        let report: Value = serde_json::from_str(&out.stdout).expect("json");
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(json(&repo).iter().any(|m| m.contains("python3.7")));
    let out = repo.run(&["check", "--fix", "--unsafe-fixes", "--select", "HDL011"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let after = read(&repo, "main.tf");
    // One line changed, in place: the argument of the module call.
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{after}");
    assert!(
        changed[0].0.contains("\"python3.7\"")
            && changed[0].1.starts_with("  runtime       = \"python3.")
    );
    assert!(json(&repo).is_empty());
}
