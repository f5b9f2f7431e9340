//! The fixture driver of every fixable rule: each `tests/fixtures/<CODE>/fail_*` of a
//! rule whose `fixable` is not `none` is copied, `check --diff` must leave it
//! byte-identical, `check --fix` (with `--unsafe-fixes` for an unsafe rule) changes it,
//! the changed files are one snapshot (`fixes__<CODE>__<fixture>.snap`), and a second
//! `check` reports none of the findings that had a fix. Every rule's `fixable` must
//! agree with the fixes its findings carry, over all of its fixtures.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{TestRepo, fixtures_dir};
use laylint::rules::{Fixable, Registry};
use serde_json::Value;

/// The rules a fixture of `code` runs with, as `tests/rules.rs` selects them.
fn selection(code: &str) -> Vec<String> {
    let select = match code {
        "SUP001" => return Vec::new(),
        c if c.starts_with("HDL") => "HDL,TST002,PAR001",
        "TYP003" | "TYP005" => "TYP003,TYP005",
        other => other,
    };
    vec!["--select".into(), select.into()]
}

/// Every file below `dir` (but `.git`) and its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let entry = entry.expect("entry");
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .replace('\\', "/");
            let kind = entry.file_type().expect("file type");
            if rel == ".git" {
                continue;
            }
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_symlink() {
                out.insert(rel, b"<symlink>".to_vec());
            } else {
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// The diagnostics of a JSON run: (code, path, message, fix applicability).
fn diagnostics(repo: &TestRepo, args: &[String]) -> Vec<(String, String, String, Option<String>)> {
    let mut all = vec!["check".to_string(), "--output-format".into(), "json".into()];
    all.extend_from_slice(args);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = repo.run(&refs);
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("json: {e}\n{}\n{}", out.stdout, out.stderr));
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            let fix = d["fix"]["applicability"].as_str().map(str::to_string);
            (text("code"), text("path"), text("message"), fix)
        })
        .collect()
}

fn fixtures_of(code: &str) -> Vec<String> {
    let dir = fixtures_dir().join(code);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs one fixture; returns whether the rule's findings carried a fix there.
fn fix_fixture(code: &str, name: &str, fixable: Fixable) -> bool {
    let fixture = format!("{code}/{name}");
    let repo = TestRepo::fixture(&fixture);
    let mut args = selection(code);
    if fixable == Fixable::Unsafe {
        args.push("--unsafe-fixes".into());
    }
    let before = diagnostics(&repo, &selection(code));
    let fixed: BTreeSet<_> = before
        .iter()
        .filter(|d| d.0 == code && d.3.is_some())
        .map(|d| (d.0.clone(), d.1.clone(), d.2.clone()))
        .collect();
    if fixed.is_empty() {
        return false;
    }
    let original = tree(repo.path());
    let mut diff_args = vec!["check".to_string(), "--diff".into()];
    diff_args.extend(args.iter().cloned());
    let refs: Vec<&str> = diff_args.iter().map(String::as_str).collect();
    let diff = repo.run(&refs);
    assert_eq!(
        diff.code, 1,
        "{fixture}: --diff exits 1 when there is a diff\n{}",
        diff.stderr
    );
    assert!(diff.stdout.contains("+++ b/"), "{fixture}: {}", diff.stdout);
    assert_eq!(tree(repo.path()), original, "{fixture}: --diff wrote");

    let mut fix_args = vec![
        "check".to_string(),
        "--fix".into(),
        "--quiet".into(),
        "--output-format".into(),
        "concise".into(),
    ];
    fix_args.extend(args.iter().cloned());
    let refs: Vec<&str> = fix_args.iter().map(String::as_str).collect();
    let run = repo.run(&refs);
    assert!(run.code == 0 || run.code == 1, "{fixture}: {}", run.stderr);
    let after = tree(repo.path());
    let mut changed = String::new();
    for (path, bytes) in &after {
        if original.get(path) != Some(bytes) {
            let state = if original.contains_key(path) {
                "changed"
            } else {
                "new"
            };
            changed.push_str(&format!(
                "=== {path} ({state})\n{}\n",
                String::from_utf8_lossy(bytes)
            ));
        }
    }
    insta::assert_snapshot!(format!("{code}__{name}"), changed);
    let again = diagnostics(&repo, &selection(code));
    for d in &again {
        let key = (d.0.clone(), d.1.clone(), d.2.clone());
        assert!(
            !fixed.contains(&key),
            "{fixture}: still reported after --fix: {key:?}"
        );
    }
    true
}

#[test]
fn every_fixable_rule_fixes_its_failing_fixtures() {
    let registry = Registry::builtin().expect("rules load");
    for rule in registry.iter().filter(|r| r.fixable != Fixable::None) {
        let code = rule.code.as_str();
        let mut any = false;
        for name in fixtures_of(code).iter().filter(|n| n.starts_with("fail_")) {
            any |= fix_fixture(code, name, rule.fixable);
        }
        assert!(
            any,
            "{code} is fixable = \"{}\" but no failing fixture has a fix",
            rule.fixable
        );
    }
}

#[test]
fn fixable_agrees_with_the_fixes_findings_carry() {
    let registry = Registry::builtin().expect("rules load");
    for rule in registry.iter() {
        let code = rule.code.as_str();
        for name in fixtures_of(code) {
            let repo = TestRepo::fixture(&format!("{code}/{name}"));
            for d in diagnostics(&repo, &selection(code))
                .iter()
                .filter(|d| d.0 == code)
            {
                let expected = match rule.fixable {
                    Fixable::None => None,
                    Fixable::Safe => Some("safe"),
                    Fixable::Unsafe => Some("unsafe"),
                };
                if let Some(found) = &d.3 {
                    assert_eq!(
                        Some(found.as_str()),
                        expected,
                        "{code}/{name}: a `{found}` fix but fixable = \"{}\"",
                        rule.fixable
                    );
                }
            }
        }
    }
}
