//! Ground truth after `check --fix`, from the real tools: the project's wheel, built by
//! the pinned backend in the test venv (setuptools 80.9, which ships `py.typed` as package
//! data by default since 69.0), contains the `py.typed` TYP001's fix created; mypy, which
//! stopped on every failing TYP003 fixture, passes once TYP003's fix has run.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestRepo, fixtures_dir, require_tool};

#[test]
fn a_wheel_built_after_the_typ001_fix_ships_py_typed() {
    let test = "a_wheel_built_after_the_typ001_fix_ships_py_typed";
    let Some(python) = require_tool("python", test) else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join("TYP001"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("fail_"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let repo = TestRepo::fixture(&format!("TYP001/{name}"));
        let before = repo.concise(&["--select", "TYP001"]);
        assert!(before.contains("TYP001"), "{name}: {before}");
        let run = repo.run(&["check", "--fix", "--select", "TYP001"]);
        assert_eq!(run.code, 0, "{name}: {}{}", run.stdout, run.stderr);
        let out = repo.path().join("wheel-out");
        let build = Command::new(&python)
            .args([
                "-m",
                "pip",
                "wheel",
                "--no-build-isolation",
                "--no-deps",
                "-q",
                "-w",
            ])
            .arg(&out)
            .arg(repo.path())
            .output()
            .expect("run pip wheel");
        assert!(
            build.status.success(),
            "{name}: pip wheel failed: {}",
            String::from_utf8_lossy(&build.stderr)
        );
        let listing = Command::new(&python)
            .args([
                "-c",
                "import glob, sys, zipfile\nfor w in glob.glob(sys.argv[1] + '/*.whl'):\n    print('\\n'.join(zipfile.ZipFile(w).namelist()))",
            ])
            .arg(&out)
            .output()
            .expect("list the wheel");
        let listing = String::from_utf8_lossy(&listing.stdout);
        assert!(
            listing.lines().any(|l| l.ends_with("/py.typed")),
            "{name}: the wheel lacks py.typed:\n{listing}"
        );
    }
}

/// mypy's output and exit code on the repository at `dir`, as the mypy ground-truth
/// test runs it (no cache, no user configuration, the fixture's own settings).
fn mypy(mypy: &Path, dir: &Path) -> (String, i32) {
    let home = tempfile::tempdir().expect("home");
    let output = Command::new(mypy)
        .args([
            "--no-incremental",
            "--cache-dir=/dev/null",
            "--ignore-missing-imports",
            ".",
        ])
        .current_dir(dir)
        .env("HOME", home.path())
        .env_remove("MYPYPATH")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("MYPY_CACHE_DIR")
        .output()
        .expect("run mypy");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (text, output.status.code().unwrap_or(-1))
}

#[test]
fn mypy_passes_after_the_typ003_fix() {
    let test = "mypy_passes_after_the_typ003_fix";
    let Some(mypy_bin) = require_tool("mypy", test) else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join("TYP003"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("fail_"))
        .collect();
    names.sort();
    assert!(names.len() >= 3);
    for name in names {
        let repo = TestRepo::fixture(&format!("TYP003/{name}"));
        let (before, code) = mypy(&mypy_bin, repo.path());
        assert_ne!(
            code, 0,
            "{name}: mypy should stop before the fix:\n{before}"
        );
        assert!(
            before.contains("Duplicate module") || before.contains("found twice"),
            "{name}: {before}"
        );
        let run = repo.run(&["check", "--fix", "--select", "TYP003,TYP005"]);
        assert_eq!(run.code, 0, "{name}: {}{}", run.stdout, run.stderr);
        let (after, code) = mypy(&mypy_bin, repo.path());
        assert_eq!(code, 0, "{name}: mypy after the fix:\n{after}");
        assert!(after.contains("Success"), "{name}: {after}");
    }
}
