//! Ground truth for TYP001's fix: after `check --fix`, the project's wheel, built by the
//! pinned backend in the test venv (setuptools 80.9, which ships `py.typed` as package
//! data by default since 69.0), contains the `py.typed` the fix created.

mod common;

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
