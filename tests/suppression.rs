//! Suppression comments, and SUP001 for the ones that suppress nothing.

mod common;

use common::TestRepo;

#[test]
fn used_suppressions_are_not_reported() {
    let repo = TestRepo::fixture("SUP001/pass_used");
    let result = repo.run(&["check", "--output-format", "concise", "-q"]);
    assert_eq!(
        (result.stdout.as_str(), result.code),
        ("", 0),
        "{}",
        result.stderr
    );
}

#[test]
fn unused_and_unknown_codes_are_reported() {
    let repo = TestRepo::fixture("SUP001/fail_unused");
    let result = repo.run(&["check", "--output-format", "concise", "-q"]);
    // The findings themselves: tests/rules.rs, snapshot `rules__SUP001__fail_unused`.
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(result.stdout.contains("SUP001"), "{}", result.stdout);
    // Off by default: without extend-select nothing is reported.
    let quiet = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "-q",
        "--ignore",
        "SUP001",
    ]);
    assert_eq!(quiet.stdout, "");
}
