//! The CI formats, checked by their consumers' rules: SARIF against the official 2.1.0
//! schema (vendored from the `@microsoft/jest-sarif` npm package, `sarif-2.1.0-rtm.5.json`),
//! JUnit by parsing the XML, GitLab Code Quality by its required fields.

mod common;

use common::TestRepo;
use common::custom::custom_rule;

fn repo() -> TestRepo {
    let config = format!(
        "select = [\"ORG\", \"PAR\"]\n\n{}\n{}\n{}",
        custom_rule(
            "ORG001",
            "env-file",
            "warning",
            "kind = \"forbid\"\nglob = \"**/.env\""
        ),
        custom_rule(
            "ORG002",
            "unique-tests",
            "error",
            "kind = \"unique-name\"\nglob = \"**/test_*.py\""
        ),
        custom_rule(
            "ORG003",
            "project-name",
            "info",
            "kind = \"toml-key\"\nglob = \"**/pyproject.toml\"\nkey = \"project.name\""
        ),
    );
    TestRepo::with_files(&[
        ("laylint.toml", &config),
        ("svc/.env", "KEY=1\n"),
        ("a/test_x.py", ""),
        ("b/test_x.py", ""),
        ("broken/pyproject.toml", "[project\n"),
        ("other/pyproject.toml", "[project]\nversion = \"1\" # <&>\n"),
    ])
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-2.1.0-rtm.5.json"))
            .expect("vendored schema is JSON");
    // The published schema's `language` pattern (on `run` and `toolComponent`, fields laylint
    // never writes) has a stray `]` that Rust regex engines reject; it is replaced in memory by
    // the pattern it means.
    let bad = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(language, bad);
        *language = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let result = repo().run(&["check", "--output-format", "sarif"]);
    assert_eq!(result.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&result.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "laylint");
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        rule_ids.contains(&"PAR001") && rule_ids.contains(&"ORG001"),
        "{rule_ids:?}"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let par = results.iter().find(|r| r["ruleId"] == "PAR001").unwrap();
    assert_eq!(par["level"], "error");
    assert_eq!(
        par["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken/pyproject.toml"
    );
    assert_eq!(
        par["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let dup = results.iter().find(|r| r["ruleId"] == "ORG002").unwrap();
    assert_eq!(
        dup["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a/test_x.py"
    );
    // An empty run is valid too.
    let clean = TestRepo::with_files(&[("pyproject.toml", "[project]\nname = \"a\"\n")]).run(&[
        "check",
        "--output-format",
        "sarif",
    ]);
    let clean: serde_json::Value = serde_json::from_str(&clean.stdout).unwrap();
    assert!(validator.is_valid(&clean));
}

#[test]
fn junit_is_well_formed_xml_with_one_case_per_diagnostic() {
    let result = repo().run(&["check", "--output-format", "junit"]);
    assert_eq!(result.code, 1);
    let mut reader = quick_xml::Reader::from_str(&result.stdout);
    let (mut cases, mut failures, mut suites) = (0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().0 {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "testsuite" => suites += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((cases, failures, suites), (4, 4, 4), "{}", result.stdout);
}

#[test]
fn gitlab_code_quality_has_stable_fingerprints() {
    let repo = repo();
    let first = repo.run(&["check", "--output-format", "gitlab"]).stdout;
    let issues: serde_json::Value = serde_json::from_str(&first).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 4);
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue.get(key).is_some(), "missing {key}");
        }
        assert!(
            issue["location"]["path"].is_string()
                && issue["location"]["lines"]["begin"].is_number()
        );
    }
    let fingerprints: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), 4, "fingerprints are unique");
    // Moving a finding down a line keeps its fingerprint.
    repo.write("broken/pyproject.toml", "\n[project\n");
    let second: serde_json::Value =
        serde_json::from_str(&repo.run(&["check", "--output-format", "gitlab"]).stdout).unwrap();
    let again: std::collections::BTreeSet<&str> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints, again);
}
