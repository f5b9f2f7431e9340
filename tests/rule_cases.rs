//! Rule tests that are more than one fixture run (those are `tests/rules.rs`): other
//! output formats and positions, suppression on a template line, parse-error bombs,
//! malformed manifests, runs from a sub-folder.

mod common;

use common::TestRepo;

/// TYP003 and TYP005 come from one module map: the mypy fixtures select both.
const MYPY_SELECT: [&str; 2] = ["--select", "TYP003,TYP005"];

#[test]
fn full_output_points_at_the_handler_value() {
    let repo = TestRepo::fixture("HDL004/fail_seed_code_root_in_package");
    let out = repo.run(&["check", "--select", "HDL004"]);
    insta::assert_snapshot!("HDL004__full_output", out.stdout);
}

/// The help asks for an `__init__.py` only when the package folder lacks one.
#[test]
fn relative_import_help_asks_for_init_only_when_missing() {
    let repo = TestRepo::fixture("HDL004/fail_seed_code_root_in_package");
    let help = |repo: &TestRepo| {
        let out = repo.run(&["check", "--select", "HDL004", "--output-format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["diagnostics"][0]["help"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let with_init = help(&repo);
    assert!(with_init.contains("CodeUri: src/"), "{with_init}");
    assert!(!with_init.contains("__init__.py"), "{with_init}");
    std::fs::remove_file(
        repo.path()
            .join("services/my_lambda/src/my_lambda/__init__.py"),
    )
    .unwrap();
    let without = help(&repo);
    assert!(
        without.contains("`services/my_lambda/src/my_lambda` needs an `__init__.py`"),
        "{without}"
    );
}

/// Two packages of one name: the help points at the first folder above each without an
/// `__init__.py` (`b/`), where one would give the files different names, not at the
/// package folder that already has one.
#[test]
fn duplicate_module_help_names_the_folder_without_init() {
    let repo = TestRepo::with_files(&[
        ("a/pkg/__init__.py", ""),
        ("a/pkg/handler.py", "X = 1\n"),
        ("b/pkg/__init__.py", ""),
        ("b/pkg/handler.py", "X = 1\n"),
    ]);
    let out = repo.run(&["check", "--select", "TYP003", "--output-format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let helps: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert_eq!(helps.len(), 2, "{}", out.stdout);
    for help in helps {
        assert!(help.contains("add an empty `__init__.py` to `b`"), "{help}");
    }
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

#[test]
fn lay004_points_at_the_name_value() {
    let repo = TestRepo::fixture("LAY004/fail_poetry_name");
    let out = repo.run(&["check", "--select", "LAY004", "--output-format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json output");
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "pyproject.toml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(8))
    );
    assert_eq!(d["end_column"].as_u64(), Some(19));
}

#[test]
fn malformed_manifests_are_reported_and_the_run_goes_on() {
    let repo = TestRepo::with_files(&[
        ("a/pyproject.toml", "[project\nname = \"a\"\n"),
        ("b/setup.cfg", "name = b\n"),
        ("c/setup.py", "setup(name='c',\n"),
        ("d/pyproject.toml", "[project]\nname = \"d\"\n"),
        ("d/d/__init__.py", ""),
    ]);
    let out = repo.concise(&["--select", "LAY,TYP001,PAR001"]);
    insta::assert_snapshot!("PAR001__malformed_manifests", out);
    assert_eq!(out.matches("PAR001").count(), 3, "{out}");
    assert!(out.contains("d/d: LAY001") || out.contains("d/d:"), "{out}");
}

/// A `setup.py` built to nest deeply is refused (PAR001) instead of overflowing the stack.
#[test]
fn deeply_nested_setup_py_does_not_crash() {
    let nested = format!(
        "setup(name={}{})\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let chain = format!("x = (1{})\n", "\n+1".repeat(50_000));
    for text in [nested, chain] {
        let repo = TestRepo::with_files(&[("setup.py", &text)]);
        let out = repo.run(&[
            "check",
            "--output-format",
            "concise",
            "--select",
            "LAY,PAR001",
        ]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stdout.contains("PAR001"), "{}", out.stdout);
    }
}

#[test]
fn seed_001_full_report_names_the_fixes() {
    let repo = TestRepo::fixture("TYP003/fail_seed001");
    let mut args = vec!["check", "--output-format", "full"];
    args.extend(MYPY_SELECT);
    let out = repo.run(&args);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("TYP003__fail_seed001_full", out.stdout);
}

#[test]
fn json_names_the_other_files() {
    let repo = TestRepo::fixture("TYP003/fail_three_apps");
    let mut args = vec!["check", "--output-format", "json"];
    args.extend(MYPY_SELECT);
    let out = repo.run(&args);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let related: Vec<Vec<&str>> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            d["related"]
                .as_array()
                .expect("related")
                .iter()
                .filter_map(|r| r["path"].as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        related,
        [
            vec!["api/orders/app.py"],
            vec!["functions/add/handler.py", "functions/multiply/handler.py"],
            vec!["functions/add/handler.py", "functions/divide/handler.py"],
        ]
    );
}

/// A copy without `.git`: `laylint check services/orders` from the top models the top, as
/// the whole run and mypy do; with the sub-folder as the root, mypy's crawl would name the
/// handler `orders.src.handler` and the test's `src.handler` would find it twice.
#[test]
fn sub_folder_run_without_git_sees_the_whole_repository() {
    let repo = TestRepo::with_files(&[
        ("services/orders/__init__.py", ""),
        ("services/orders/src/__init__.py", ""),
        (
            "services/orders/src/handler.py",
            "def handler(event, context):\n    return event\n",
        ),
        (
            "services/orders/tests/test_orders.py",
            "from src.handler import handler\n",
        ),
        ("services/users/src/__init__.py", ""),
        (
            "services/users/src/handler.py",
            "def handler(event, context):\n    return event\n",
        ),
    ]);
    std::fs::remove_dir(repo.path().join(".git")).expect("remove .git");
    for path in [".", "services/orders"] {
        let out = repo.run(&[
            "check",
            "--output-format",
            "concise",
            "--quiet",
            "--select=TYP003",
            path,
        ]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, ""),
            "{path}: {}",
            out.stderr
        );
    }
}
