//! The layouts of the seed documents, rebuilt as fixtures, and the example repository the
//! README runs: each gives exactly the findings its source describes.

mod common;

use common::{TestRepo, run_in};

fn concise(repo: &TestRepo) -> String {
    repo.run(&["check", "--output-format", "concise", "--quiet"])
        .stdout
}

/// Seed 000, the AWS CDK project structure: logical units with `infrastructure.py` in
/// packages, Lambda code in `runtime/`. Clean as published; without the `__init__.py`
/// files the three `infrastructure` modules collide in mypy.
#[test]
fn seed_000_cdk_project_structure() {
    let repo = TestRepo::fixture("seeds/seed_000_cdk_project_structure");
    assert_eq!(concise(&repo), "");
    for init in [
        "backend/__init__.py",
        "backend/api/__init__.py",
        "backend/database/__init__.py",
        "backend/monitoring/__init__.py",
    ] {
        std::fs::remove_file(repo.path().join(init)).unwrap();
    }
    insta::assert_snapshot!("seed_000_without_inits", concise(&repo));
}

/// Seed 001: `functions/*/handler.py` and a `layer/shared` package: exactly one TYP003 set.
#[test]
fn seed_001_functions_and_layer() {
    let repo = TestRepo::fixture("seeds/seed_001_setup_cfg_layer");
    insta::assert_snapshot!("seed_001", concise(&repo));
}

/// Seed 002: Poetry src layout with the two-dot handler: clean except TYP001.
#[test]
fn seed_002_poetry_src_layout() {
    let repo = TestRepo::fixture("seeds/seed_002_poetry_src_layout");
    insta::assert_snapshot!("seed_002", concise(&repo));
}

/// The README's main command, on the shipped example, with its full rendering.
#[test]
fn example_serverless_app() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = run_in(root, &["check", "examples/serverless-app"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    insta::assert_snapshot!("serverless_app", result.stdout);
}

/// Seed 002 under the project rules only: the one finding is the missing `py.typed`.
#[test]
fn seed_002_project_rules() {
    let out = TestRepo::fixture("seeds/seed_002_poetry_src_layout")
        .concise(&["--select", "LAY,TYP001,TST001,PAR001"]);
    insta::assert_snapshot!("seed_002_project_rules", out);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("TYP001"));
}

/// Seed 001 (setup.cfg, `package_dir = =layer`, `py.typed` shipped): no project findings.
#[test]
fn seed_001_project_rules() {
    let out = TestRepo::fixture("seeds/seed_001_setup_cfg_layer")
        .concise(&["--select", "LAY,TYP001,TST001,PAR001"]);
    assert_eq!(out, "");
}
