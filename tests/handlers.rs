//! Handler rules (HDL001–HDL005) and the parse errors of templates and handler modules,
//! one snapshot per fixture repository.

mod common;

use common::{TestRepo, fixtures_dir};

/// Every fixture of `code`: `pass_*` must be silent, `fail_*` must report `code`.
fn check_fixtures(code: &str) {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(code))
        .expect("fixture folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        check_fixture(code, &name);
    }
}

fn check_fixture(code: &str, name: &str) {
    let repo = TestRepo::fixture(&format!("{code}/{name}"));
    // INF001 is off by default and informational: only its own fixtures select it.
    let select = if code == "INF001" {
        "INF001"
    } else {
        "HDL,TST002,PAR001"
    };
    let out = repo.concise(&["--select", select]);
    if name.starts_with("pass_") {
        assert_eq!(out, "", "{code}/{name} should pass");
    } else {
        assert!(
            out.contains(code),
            "{code}/{name} should report {code}:\n{out}"
        );
    }
    insta::assert_snapshot!(format!("{code}__{name}"), out);
}

#[test]
fn hdl001_handler_module_not_found() {
    check_fixtures("HDL001");
}

#[test]
fn hdl002_handler_function_not_found() {
    check_fixtures("HDL002");
}

#[test]
fn hdl003_handler_malformed() {
    check_fixtures("HDL003");
}

#[test]
fn hdl004_handler_relative_import() {
    check_fixtures("HDL004");
}

#[test]
fn hdl005_handler_async() {
    check_fixtures("HDL005");
}

#[test]
fn hdl007_handler_not_two_dot() {
    check_fixtures("HDL007");
}

#[test]
fn hdl006_handler_arity() {
    check_fixtures("HDL006");
}

#[test]
fn hdl008_handler_shadows_stdlib() {
    check_fixtures("HDL008");
}

#[test]
fn hdl009_code_root_missing() {
    check_fixtures("HDL009");
}

#[test]
fn hdl010_handler_or_runtime_missing() {
    check_fixtures("HDL010");
}

#[test]
fn hdl011_runtime_deprecated() {
    check_fixtures("HDL011");
}

#[test]
fn hdl012_serverless_module_prefix() {
    check_fixtures("HDL012");
}

#[test]
fn inf001_handler_unresolvable() {
    check_fixtures("INF001");
}

#[test]
fn tst002_tests_in_code_root() {
    check_fixtures("TST002");
}

#[test]
fn par001_templates_and_handler_modules() {
    check_fixture("PAR001", "fail_template_yaml");
    check_fixture("PAR001", "fail_handler_module_syntax");
    check_fixture("PAR001", "fail_inline_code_syntax");
}

#[test]
fn full_output_points_at_the_handler_value() {
    let repo = TestRepo::fixture("HDL004/fail_seed_code_root_in_package");
    let out = repo.run(&["check", "--select", "HDL004"]);
    insta::assert_snapshot!("HDL004__full_output", out.stdout);
}

#[test]
fn template_alias_bomb_and_deep_nesting_are_parse_errors() {
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let deep = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"x\": {}{}}}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let nested_py = format!("x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000));
    let repo = TestRepo::with_files(&[
        ("bomb.yaml", &bomb),
        ("deep.json", &deep),
        (
            "template.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Code: fn/\n",
        ),
        ("fn/app.py", &nested_py),
    ]);
    let out = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "--quiet",
        "--select",
        "HDL,PAR001",
    ]);
    assert_ne!(out.code, 101, "panicked: {}", out.stderr);
    insta::assert_snapshot!("PAR001__bombs_and_nesting", out.stdout);
}

#[test]
fn sam_init_hello_world_is_clean_under_every_default_rule() {
    let repo = TestRepo::fixture("HDL001/pass_sam_hello_world");
    let out = repo.run(&["check", "--output-format", "concise"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn handler_findings_are_suppressed_on_the_template_line() {
    let repo = TestRepo::fixture("HDL001/fail_missing_module");
    let template = repo.path().join("template.yaml");
    let text = std::fs::read_to_string(&template).expect("template");
    let text = text.replace(
        "Handler: hello.lambda_handler",
        "Handler: hello.lambda_handler  # laylint: ignore[HDL001]",
    );
    std::fs::write(&template, text).expect("write template");
    assert_eq!(repo.concise(&["--select", "HDL"]), "");
}
