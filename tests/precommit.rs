//! The pre-commit hook, driven by the real `pre-commit` (installed from PyPI by .ci/test):
//! `pre-commit try-repo` builds laylint from this repository through `.pre-commit-hooks.yaml`
//! (`language: rust`) and runs it on a throwaway git repository, failing on a bad layout and
//! passing once it is fixed.

mod common;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

const CONFIG: &str = r#"[[custom-rules]]
code = "ORG001"
name = "project-version"
group = "custom"
summary = "Every pyproject sets project.version"
severity = "warning"
default = true
docs = """
## What it does
Requires `project.version`.
## Why is this bad?
Builds fail without a version.
## Example
`[project]` without `version`.
## How to fix
Set it.
"""
[custom-rules.check]
kind = "toml-key"
glob = "**/pyproject.toml"
key = "project.version"
"#;

#[test]
fn pre_commit_runs_the_hook_from_this_repository() {
    let Some(pre_commit) = common::require_tool(
        "pre-commit",
        "pre_commit_runs_the_hook_from_this_repository",
    ) else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("project");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("laylint.toml"), CONFIG).unwrap();
    std::fs::write(repo.join("pyproject.toml"), "[project]\nname = \"svc\"\n").unwrap();
    std::fs::create_dir(repo.join("docs")).unwrap();
    std::fs::write(
        repo.join("docs/notes.txt"),
        "not a type the hook receives\n",
    )
    .unwrap();
    git(&repo, &["add", "-A"]);

    let laylint_repo = env!("CARGO_MANIFEST_DIR");
    // pre-commit installs the hook with `cargo install --bins --root <env> --path <repo>`,
    // in release. One target folder serves both runs, and the build is made as cheap as a
    // debug one (no optimisation, no LTO, many codegen units): this tests the hook wiring,
    // not the optimiser. It cannot share the wheel's release build (tests/dist.rs): without
    // `--locked`, which pre-commit does not pass, `cargo install` resolves the newest
    // compatible dependencies instead of Cargo.lock's, and maturin builds for an explicit
    // `--target` with zig as the C compiler and linker, so none of its artifacts match.
    let target = Path::new(laylint_repo).join("target/pre-commit");
    let run = || {
        Command::new(&pre_commit)
            .args([
                "try-repo",
                laylint_repo,
                "laylint",
                "--all-files",
                "--color",
                "never",
            ])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", work.path().join("cache"))
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env_remove("LAYLINT_OUTPUT_FORMAT")
            .output()
            .expect("pre-commit runs")
    };
    let failing = run();
    let out = String::from_utf8_lossy(&failing.stdout).into_owned()
        + &String::from_utf8_lossy(&failing.stderr);
    assert_eq!(
        failing.status.code(),
        Some(1),
        "pre-commit should fail on the bad layout:\n{out}"
    );
    assert!(out.contains("ORG001"), "{out}");
    assert!(out.contains("pyproject.toml"), "{out}");

    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"svc\"\nversion = \"1.0\"\n",
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    let passing = run();
    let out = String::from_utf8_lossy(&passing.stdout).into_owned()
        + &String::from_utf8_lossy(&passing.stderr);
    assert_eq!(
        passing.status.code(),
        Some(0),
        "pre-commit should pass once fixed:\n{out}"
    );
    assert!(out.contains("laylint") && out.contains("Passed"), "{out}");
}
