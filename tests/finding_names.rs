//! Kinds that serve several rules pick one with a typed parameter (`finding`, `scope`).
//! A rule naming a value the kind does not have fails when the rules load, even when
//! the rule is not enabled, with a configuration error (exit 2) that lists the valid
//! values; and those values are exactly the ones the shipped rules use, so a finding
//! without a rule, or a rule naming a finding that does not exist, fails here.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TestRepo;

/// The kinds with a typed selector, and the selector's key.
const SELECTORS: [(&str, &str); 8] = [
    ("handler", "finding"),
    ("layers", "finding"),
    ("src-layout", "finding"),
    ("mypy-modules", "finding"),
    ("tests-placement", "scope"),
    ("pytest-imports", "finding"),
    ("py-typed", "finding"),
    ("requirements", "finding"),
];

/// `kind` → the values of its selector in `rules/*.toml`.
fn shipped_values() -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(rules).expect("read rules/") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read rule");
        let rule: toml::Table = toml::from_str(&text).expect("rule parses");
        let check = rule["check"].as_table().expect("[check]");
        let kind = check["kind"].as_str().expect("kind");
        if let Some((_, key)) = SELECTORS.iter().find(|(k, _)| *k == kind) {
            let value = check[*key].as_str().expect("selector is a string");
            found
                .entry(kind.to_string())
                .or_default()
                .insert(value.to_string());
        }
    }
    found
}

fn custom_rule(kind: &str, key: &str, value: &str) -> String {
    format!(
        r#"[[custom-rules]]
code = "ORG001"
name = "custom-selector"
group = "custom"
summary = "custom rule"
severity = "warning"
default = false
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "{kind}"
{key} = "{value}"
"#
    )
}

/// The error without the report's line wrapping and frame.
fn flatten(stderr: &str) -> String {
    stderr
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

/// The backquoted names after `expected` in the flattened error message.
fn listed_values(flat: &str) -> BTreeSet<String> {
    let after = flat.split_once("expected").map_or("", |(_, rest)| rest);
    let message = after.split("laylint.toml").next().unwrap_or(after);
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_selector_kind_is_used_by_a_shipped_rule() {
    let shipped = shipped_values();
    for (kind, _) in SELECTORS {
        assert!(
            shipped.contains_key(kind),
            "no shipped rule of kind `{kind}`"
        );
    }
}

#[test]
fn an_unknown_finding_fails_when_rules_load_and_lists_the_valid_ones() {
    let shipped = shipped_values();
    for (kind, key) in SELECTORS {
        let repo = TestRepo::with_files(&[("laylint.toml", &custom_rule(kind, key, "nope"))]);
        // The rule is off by default and not selected: the error comes from loading it.
        let result = repo.run(&["check", "--select", "HDL001"]);
        assert_eq!(result.code, 2, "{kind}: {}", result.stderr);
        assert_eq!(result.stdout, "", "{kind}");
        let flat = flatten(&result.stderr);
        let wanted =
            format!("invalidparametersforORG001(custom-selector):unknown{key}`nope`,expected");
        assert!(flat.contains(&wanted), "{kind}: {}", result.stderr);
        assert!(flat.contains("laylint.toml"), "{kind}: {}", result.stderr);
        assert_eq!(
            listed_values(&flat),
            shipped[kind],
            "{kind}: the error should list exactly the values the shipped rules use: {}",
            result.stderr
        );
    }
}

#[test]
fn every_known_finding_loads() {
    for (kind, values) in shipped_values() {
        let key = SELECTORS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, key)| *key)
            .expect("selector kind");
        for value in values {
            let repo = TestRepo::with_files(&[("laylint.toml", &custom_rule(&kind, key, &value))]);
            let result = repo.run(&["check", "--select", "ORG001", "--quiet"]);
            assert_eq!(result.code, 0, "{kind} {value}: {}", result.stderr);
            assert_eq!(result.stderr, "", "{kind} {value}");
        }
    }
}

#[test]
fn a_shipped_rule_cannot_be_pointed_at_an_unknown_finding() {
    let repo = TestRepo::with_files(&[("laylint.toml", "[rules.HDL001]\nfinding = \"nope\"\n")]);
    let result = repo.run(&["check"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    let flat = flatten(&result.stderr);
    assert!(flat.contains("unknownfinding`nope`"), "{}", result.stderr);
    assert!(flat.contains("`module-not-found`"), "{}", result.stderr);
}
