//! The seed layouts shipped in `examples/`, each with its profile rule turned on in its
//! `laylint.toml`: each runs clean as shipped, and each fault planted in a copy is found
//! by its profile rule.

mod common;

use std::path::Path;

use common::{TestRepo, copy_dir};

/// A copy of `examples/<name>` as a repository of its own.
fn example(name: &str) -> TestRepo {
    let repo = TestRepo::empty();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    copy_dir(&from, repo.path());
    repo
}

/// A planted fault: its name, how to plant it, the paths the profile rule reports.
type Fault<'a> = (&'a str, fn(&Path), &'a [&'a str]);

/// Runs the example as shipped (clean), then each fault on a fresh copy: `plant` changes
/// the copy, and the run must report `code` at the expected paths and nothing else.
fn check_profile(name: &str, code: &str, faults: &[Fault]) {
    let clean = example(name).concise(&[]);
    assert_eq!(clean, "", "{name} as shipped should run clean");
    for (fault, plant, paths) in faults {
        let repo = example(name);
        plant(repo.path());
        let out = repo.concise(&[]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), paths.len(), "{name}, {fault}:\n{out}");
        for (line, path) in lines.iter().zip(paths.iter()) {
            assert!(
                line.starts_with(&format!("{path}:")) && line.contains(code),
                "{name}, {fault}: expected {code} at {path}:\n{out}"
            );
        }
    }
}

fn remove(root: &Path, path: &str) {
    let full = root.join(path);
    if full.is_dir() {
        std::fs::remove_dir_all(full).unwrap();
    } else {
        std::fs::remove_file(full).unwrap();
    }
}

#[test]
fn cdk_project_structure() {
    check_profile(
        "cdk-project-structure",
        "LAY901",
        &[
            (
                "runtime without requirements.txt",
                |root| remove(root, "backend/api/runtime/requirements.txt"),
                &["backend/api/runtime"],
            ),
            (
                "app entry point renamed",
                |root| {
                    std::fs::rename(root.join("app.py"), root.join("main.py")).unwrap();
                    let cdk = std::fs::read_to_string(root.join("cdk.json")).unwrap();
                    let cdk = cdk.replace("python3 app.py", "python3 main.py");
                    std::fs::write(root.join("cdk.json"), cdk).unwrap();
                },
                &["cdk.json"],
            ),
            (
                "runtime without its infrastructure",
                |root| {
                    let api = root.join("backend/api");
                    std::fs::rename(api.join("infrastructure.py"), api.join("stack.py")).unwrap();
                },
                &["backend/api/runtime"],
            ),
        ],
    );
}

#[test]
fn iac_infra() {
    check_profile(
        "iac-infra",
        "LAY902",
        &[(
            "no envs folder",
            |root| remove(root, "infra/envs"),
            &["infra"],
        )],
    );
    check_profile(
        "iac-infra",
        "IAC005",
        &[(
            "a component without the future import",
            |root| {
                let vpc = root.join("infra/components/vpc.py");
                let text = std::fs::read_to_string(&vpc).unwrap();
                let text = text.replace("from __future__ import annotations\n", "");
                std::fs::write(vpc, text).unwrap();
            },
            &["infra/components/vpc.py"],
        )],
    );
}

#[test]
fn e2e_tests() {
    check_profile(
        "e2e-tests",
        "LAY903",
        &[
            (
                "feature without its fixture",
                |root| remove(root, "tests/e2e/logger/conftest.py"),
                &["tests/e2e/logger"],
            ),
            (
                "feature without a test module",
                |root| remove(root, "tests/e2e/metrics/test_basic.py"),
                &["tests/e2e/metrics"],
            ),
            (
                "new feature folder with tests only",
                |root| {
                    let tracer = root.join("tests/e2e/tracer");
                    std::fs::create_dir_all(&tracer).unwrap();
                    std::fs::write(tracer.join("test_tracer.py"), "def test_it():\n    pass\n")
                        .unwrap();
                },
                &["tests/e2e/tracer"],
            ),
        ],
    );
}
