//! Each generic check kind, proven on a passing and a failing fixture tree, through
//! `[[custom-rules]]` in the fixture's own `laylint.toml`.

mod common;

use common::TestRepo;

fn check(fixture: &str) -> (String, i32) {
    let repo = TestRepo::fixture(fixture);
    // Only the fixture's own custom rules: the shipped ones have fixtures of their own.
    let result = repo.run(&[
        "check",
        "--output-format",
        "concise",
        "--quiet",
        "--select",
        "ORG",
    ]);
    assert!(
        result.stderr.is_empty(),
        "{fixture}: unexpected stderr: {}",
        result.stderr
    );
    (result.stdout, result.code)
}

fn assert_kind(kind: &str) {
    let (pass, pass_code) = check(&format!("generic/{kind}/pass"));
    assert_eq!(pass, "", "{kind}/pass should be clean");
    assert_eq!(pass_code, 0, "{kind}/pass should exit 0");
    let (fail, fail_code) = check(&format!("generic/{kind}/fail"));
    assert_eq!(fail_code, 1, "{kind}/fail should exit 1");
    insta::assert_snapshot!(format!("generic_{kind}"), fail);
}

#[test]
fn require() {
    assert_kind("require");
}

#[test]
fn forbid() {
    assert_kind("forbid");
}

#[test]
fn companion() {
    assert_kind("companion");
}

#[test]
fn unique_name() {
    assert_kind("unique-name");
}

#[test]
fn name_pattern() {
    assert_kind("name-pattern");
}

#[test]
fn content() {
    assert_kind("content");
}

#[test]
fn toml_key() {
    assert_kind("toml-key");
}

#[test]
fn all() {
    assert_kind("all");
}

/// `all` combines generic kinds only: a kind that needs the model's costly parts, one the
/// engine runs apart, or another `all`, is refused when the rule loads, naming the entry.
#[test]
fn all_refuses_kinds_it_cannot_combine() {
    let repo = TestRepo::fixture("generic/all/pass");
    let config = std::fs::read_to_string(repo.path().join("laylint.toml")).unwrap();
    let first = "[[custom-rules.check.checks]]\nkind = \"require\"";
    for (entry, says) in [
        ("kind = \"py-typed\"", "only generic kinds"),
        ("kind = \"parse-error\"", "only generic kinds"),
        (
            "kind = \"all\"\nchecks = [{ kind = \"forbid\", glob = \"x\" }]",
            "`all` cannot nest",
        ),
    ] {
        let head = config.split(first).next().unwrap();
        let tail = config.split(first).nth(1).unwrap();
        let tail = &tail[tail.find("[[custom-rules.check.checks]]").unwrap()..];
        repo.write(
            "laylint.toml",
            &format!("{head}[[custom-rules.check.checks]]\n{entry}\n\n{tail}"),
        );
        let result = repo.run(&["check"]);
        assert_eq!(result.code, 2, "{entry}: {}", result.stderr);
        assert!(
            result.stderr.contains("checks[0]") && result.stderr.contains(says),
            "{entry}: {}",
            result.stderr
        );
    }
}

#[test]
fn unknown_check_parameter_points_into_the_config() {
    let repo = TestRepo::fixture("generic/require/pass");
    let config = std::fs::read_to_string(repo.path().join("laylint.toml")).unwrap();
    repo.write(
        "laylint.toml",
        &config.replace(
            "glob = \"requirements.txt\"",
            "globb = \"requirements.txt\"",
        ),
    );
    let result = repo.run(&["check"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("unknown field `globb`"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("laylint.toml"), "{}", result.stderr);
}

#[test]
fn custom_rule_cannot_take_a_shipped_code() {
    let repo = TestRepo::fixture("generic/require/pass");
    let config = std::fs::read_to_string(repo.path().join("laylint.toml")).unwrap();
    repo.write("laylint.toml", &config.replace("ORG001", "PAR001"));
    let result = repo.run(&["check"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("rule code `PAR001` is already taken"),
        "{}",
        result.stderr
    );
}
