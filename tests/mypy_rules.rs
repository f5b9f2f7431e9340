//! TYP003 mypy-duplicate-module, TYP005 mypy-invalid-package-name and TYP006
//! mypy-target-missing on fixture repositories.

mod common;

use common::TestRepo;

const SELECT: [&str; 2] = ["--select", "TYP003,TYP005"];

fn concise(fixture: &str) -> String {
    TestRepo::fixture(fixture).concise(&SELECT)
}

#[test]
fn seed_001_layout_has_exactly_one_duplicate_set() {
    let output = concise("TYP003/fail_seed001");
    assert_eq!(output.lines().count(), 1, "{output}");
    insta::assert_snapshot!("typ003_fail_seed001", output);
}

#[test]
fn seed_001_full_report_names_the_fixes() {
    let repo = TestRepo::fixture("TYP003/fail_seed001");
    let mut args = vec!["check", "--output-format", "full"];
    args.extend(SELECT);
    let out = repo.run(&args);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("typ003_fail_seed001_full", out.stdout);
}

#[test]
fn every_collision_set_is_reported() {
    insta::assert_snapshot!("typ003_fail_three_apps", concise("TYP003/fail_three_apps"));
}

#[test]
fn file_found_twice_through_an_import() {
    insta::assert_snapshot!(
        "typ003_fail_found_twice",
        concise("TYP003/fail_found_twice")
    );
}

#[test]
fn json_names_the_other_files() {
    let repo = TestRepo::fixture("TYP003/fail_three_apps");
    let mut args = vec!["check", "--output-format", "json"];
    args.extend(SELECT);
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

#[test]
fn fixes_clear_the_duplicate() {
    for fixture in [
        "TYP003/pass_init_per_function",
        "TYP003/pass_explicit_package_bases",
        "TYP003/pass_exclude",
    ] {
        assert_eq!(concise(fixture), "", "{fixture}");
    }
}

#[test]
fn hyphenated_package_is_reported() {
    insta::assert_snapshot!("typ005_fail_hyphen", concise("TYP005/fail_hyphen"));
}

#[test]
fn invalid_names_outside_mypy_targets_pass() {
    for fixture in [
        "TYP005/pass_no_init",
        "TYP005/pass_excluded",
        "TYP005/pass_hidden",
    ] {
        assert_eq!(concise(fixture), "", "{fixture}");
    }
}

#[test]
fn missing_files_entries_are_reported() {
    let output = TestRepo::fixture("TYP006/fail_missing_paths").concise(&["--select", "TYP006"]);
    assert_eq!(output.lines().count(), 3, "{output}");
    insta::assert_snapshot!("typ006_fail_missing_paths", output);
}

#[test]
fn files_entries_that_exist_pass() {
    let exist = TestRepo::fixture("TYP006/pass_files_exist");
    assert_eq!(exist.concise(&["--select", "TYP006"]), "");
    // `generated/` is ignored by the fixture's `.gitignore`, so git cannot carry it: the
    // build step that makes it is played here. Ignored but on disk counts, as for mypy.
    let ignored = TestRepo::fixture("TYP006/pass_gitignored");
    ignored.write("generated/models.py", "X = 1\n");
    assert_eq!(ignored.concise(&["--select", "TYP006"]), "");
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
