//! `--select`, `--extend-select` and `--ignore` take one value per occurrence
//! (comma-separated), as ruff's do, so a PATH after them stays a PATH.

mod common;

use common::TestRepo;

/// A repository with one HDL002 finding under `functions/` and nothing else.
fn repo() -> TestRepo {
    TestRepo::fixture("HDL002/fail_missing_function")
}

#[test]
fn ignore_then_a_path_keeps_the_path() {
    let repo = repo();
    // Exactly the command line of the report: `laylint check --ignore HDL002 .`
    let out = repo.run(&["check", "--ignore", "HDL002", "."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    insta::assert_snapshot!(
        "ignore_then_path",
        format!("exit {}\n{}{}", out.code, out.stdout, out.stderr)
    );
}

#[test]
fn select_and_extend_select_then_a_path() {
    let repo = repo();
    let select = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "--select",
        "HDL002",
        ".",
    ]);
    assert_eq!(select.code, 1, "{}", select.stderr);
    let extend = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "--select",
        "HDL001",
        "--extend-select",
        "HDL002",
        ".",
    ]);
    assert_eq!(extend.code, 1, "{}", extend.stderr);
    assert_eq!(select.stdout, extend.stdout);
    // A comma list and a repeated flag select the same rules.
    let repeated = repo.concise(&["--select", "HDL001", "--select", "HDL002", "."]);
    let listed = repo.concise(&["--select", "HDL001,HDL002", "."]);
    assert_eq!(repeated, listed);
    assert!(listed.contains("HDL002"), "{listed}");
    insta::assert_snapshot!("select_then_path", select.stdout);
}

#[test]
fn a_second_value_without_the_flag_is_a_path() {
    let repo = repo();
    // `HDL001` is not a folder of the repository: the run says so instead of selecting it.
    let out = repo.run(&["check", "--select", "HDL002", "HDL001"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
}
