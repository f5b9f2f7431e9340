//! The fixture driver of every rule: each rule of the registry × each repository under
//! `tests/fixtures/<CODE>/{pass_*,fail_*}` → one snapshot, `rules__<CODE>__<fixture>.snap`.
//! A `pass_*` fixture reports nothing, a `fail_*` fixture reports its rule. A rule without
//! both kinds of fixture, a fixture folder of no rule, or a folder that is neither `pass_*`
//! nor `fail_*` fails the run. Tests that are more than one fixture run live in
//! `tests/rule_cases.rs`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{TestRepo, fixtures_dir};
use laylint::rules::Registry;

/// Folders of `tests/fixtures` that belong to other tests, not to one rule.
const SHARED_FIXTURES: [&str; 3] = [
    "generic", // tests/generic_kinds.rs: the generic check kinds, through custom rules
    "seeds",   // tests/seeds.rs: the layouts of the seed documents
    "tools",   // tests/tools.rs: one deployment tool's reader each
];

/// The rules a fixture of `code` runs with (`--select`), or `None` for the defaults plus
/// the fixture's own `laylint.toml`.
fn selection(code: &str) -> Option<String> {
    let select = match code {
        // Off by default and informational: only its own fixtures select it.
        "INF001" => "INF001",
        // Needs every rule that could use a suppression: the defaults, and the fixture's
        // configuration turns SUP001 on.
        "SUP001" => return None,
        // The whole handler group, so a handler fixture also shows that no sibling rule
        // fires, with the parse errors and tests-in-code-root of the same functions.
        // PAR001 reports only files a selected rule read: these are the rules reading them.
        c if c.starts_with("HDL") || c == "TST002" || c == "PAR001" => "HDL,TST002,PAR001",
        // Both rules come from mypy's one module map.
        "TYP003" | "TYP005" => "TYP003,TYP005",
        _ => code,
    };
    Some(select.to_string())
}

/// Files a fixture's build step makes and git cannot carry (its `.gitignore` ignores them).
const BUILD_OUTPUTS: [(&str, &str, &str); 3] = [
    ("TYP006/pass_gitignored", "generated/models.py", "X = 1\n"),
    (
        "IAC002/pass_ignored_and_templates",
        ".env",
        "DB_PASSWORD=hunter2\n",
    ),
    (
        "IAC002/pass_ignored_and_templates",
        ".env.production",
        "DB_PASSWORD=x\n",
    ),
];

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs one fixture and checks it; returns the problem instead of panicking so every
/// fixture runs and all problems are listed together.
fn check_fixture(code: &str, name: &str) -> Result<(), String> {
    let fixture = format!("{code}/{name}");
    let repo = TestRepo::fixture(&fixture);
    for (owner, path, text) in BUILD_OUTPUTS {
        if owner == fixture {
            repo.write(path, text);
        }
    }
    let out = match selection(code) {
        Some(select) => repo.concise(&["--select", &select]),
        None => repo.concise(&[]),
    };
    let snapshot = std::panic::catch_unwind(|| {
        insta::assert_snapshot!(format!("{code}__{name}"), out);
    });
    if name.starts_with("pass_") && !out.is_empty() {
        return Err(format!("{fixture} should report nothing:\n{out}"));
    }
    if name.starts_with("fail_") && !out.contains(code) {
        return Err(format!("{fixture} should report {code}:\n{out}"));
    }
    snapshot.map_err(|_| format!("{fixture}: snapshot differs (see above)"))
}

#[test]
fn every_fixture_of_every_rule() {
    let registry = Registry::builtin().expect("shipped rules load");
    let codes: BTreeSet<String> = registry.iter().map(|r| r.code.to_string()).collect();
    let mut problems = Vec::new();
    let mut fixtures = Vec::new();
    for folder in names_in(&fixtures_dir()) {
        if !fixtures_dir().join(&folder).is_dir() || SHARED_FIXTURES.contains(&folder.as_str()) {
            continue;
        }
        if !codes.contains(&folder) {
            problems.push(format!(
                "tests/fixtures/{folder}: no rule has this code (shared fixtures go in {SHARED_FIXTURES:?})"
            ));
        }
    }
    for code in &codes {
        let dir = fixtures_dir().join(code);
        let names = if dir.is_dir() {
            names_in(&dir)
        } else {
            Vec::new()
        };
        for kind in ["pass_", "fail_"] {
            if !names.iter().any(|n| n.starts_with(kind)) {
                problems.push(format!("{code}: no tests/fixtures/{code}/{kind}* fixture"));
            }
        }
        for name in names {
            if name.starts_with("pass_") || name.starts_with("fail_") {
                fixtures.push((code.clone(), name));
            } else {
                problems.push(format!(
                    "tests/fixtures/{code}/{name}: a fixture is named pass_* or fail_*"
                ));
            }
        }
    }
    // Each fixture is a separate laylint process: run them on every core.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let found = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((code, name)) =
                    fixtures.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    if let Err(problem) = check_fixture(code, name) {
                        found.lock().expect("lock").push(problem);
                    }
                }
            });
        }
    });
    problems.extend(found.into_inner().expect("lock"));
    eprintln!("{} fixtures of {} rules", fixtures.len(), codes.len());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
