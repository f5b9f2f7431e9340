//! Ground truth for LAY005 and TYP002: generated projects are built with the real
//! backends (setuptools 80 and 68, poetry-core, hatchling, flit-core, pdm-backend, pinned
//! in `.ci/requirements.txt` and `.ci/requirements-setuptools68.txt`), offline, by the
//! PEP 517 hook runner `pip wheel --no-deps --no-build-isolation` uses; the wheels'
//! contents are listed and laylint must agree on every project:
//! - LAY005 ⇔ the build fails, or the wheel lacks an import package the selection names;
//! - TYP002 ⇔ the wheel lacks the `py.typed` the package holds.

mod common;

#[path = "packaging_ground_truth/cases.rs"]
mod cases;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use cases::Case;
use common::{TestRepo, in_ci, python_tool};

fn skip(test: &str, what: &str) {
    if in_ci() {
        panic!("{test}: {what} required in CI");
    }
    eprintln!("SKIPPED {test}: {what} not found in LAYLINT_TEST_VENV; CI never skips this");
}

/// setuptools 68 in a folder of its own beside the venv, installed on first use.
fn old_setuptools(python: &Path) -> Option<PathBuf> {
    // Both tests may ask at once: one installs, the other waits.
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _installing = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let venv = python.parent()?.parent()?;
    let dir = venv.join(".laylint-setuptools-68");
    if dir.join("setuptools").is_dir() {
        return Some(dir);
    }
    let requirements =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/requirements-setuptools68.txt");
    let staging = venv.join(format!(".laylint-setuptools-68.{}", std::process::id()));
    let installed = Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg("--target")
        .arg(&staging)
        .arg("-r")
        .arg(requirements)
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let _ = std::fs::remove_dir_all(&staging);
        return None;
    }
    if std::fs::rename(&staging, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    dir.join("setuptools").is_dir().then_some(dir)
}

struct Built {
    built: bool,
    files: Vec<String>,
    error: String,
}

/// Writes every case under `cases/<name>/` of one repository and builds them all.
fn build_all(
    python: &Path,
    repo: &TestRepo,
    cases: &[Case],
    old: &Path,
) -> BTreeMap<String, Built> {
    let mut list = Vec::new();
    for case in cases {
        for (path, text) in &case.files {
            repo.write(&format!("cases/{}/{path}", case.name), text);
        }
        list.push(serde_json::json!({
            "dir": repo.path().join("cases").join(&case.name),
            "backend": case.backend,
            "pythonpath": case.old_setuptools.then_some(old),
        }));
    }
    let work = tempfile::tempdir().expect("temp dir");
    let input = work.path().join("cases.json");
    let output = work.path().join("built.json");
    std::fs::write(&input, serde_json::to_string(&list).expect("json")).expect("write cases");
    let driver =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packaging_ground_truth/build_wheels.py");
    let run = Command::new(python)
        .arg(driver)
        .arg(&input)
        .arg(&output)
        .output()
        .expect("run the build driver");
    assert!(
        run.status.success(),
        "build driver failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&output).expect("driver output");
    let value: serde_json::Value = serde_json::from_str(&text).expect("driver json");
    let mut built = BTreeMap::new();
    for case in cases {
        let dir = repo.path().join("cases").join(&case.name);
        let entry = &value[dir.to_string_lossy().as_ref()];
        built.insert(
            case.name.clone(),
            Built {
                built: entry["built"].as_bool().expect("built flag"),
                files: entry["files"]
                    .as_array()
                    .expect("files")
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect(),
                error: entry["error"].as_str().unwrap_or("").to_string(),
            },
        );
    }
    built
}

/// The cases laylint reports `code` for, from one run over the repository.
fn reported(repo: &TestRepo, code: &str) -> BTreeSet<String> {
    repo.concise(&["--select", code])
        .lines()
        .filter(|line| line.contains(&format!(" {code} ")))
        .filter_map(|line| {
            let rest = line.strip_prefix("cases/")?;
            Some(rest.split('/').next()?.to_string())
        })
        .collect()
}

fn tools(test: &str) -> Option<(PathBuf, PathBuf)> {
    let Some(python) = python_tool("python") else {
        skip(test, "python");
        return None;
    };
    let probe = Command::new(&python)
        .args(["-c", "import setuptools, poetry.core, hatchling, flit_core, pdm.backend, pip._vendor.pyproject_hooks"])
        .status()
        .is_ok_and(|s| s.success());
    if !probe {
        skip(
            test,
            "pip, setuptools, poetry-core, hatchling, flit-core and pdm-backend",
        );
        return None;
    }
    let Some(old) = old_setuptools(&python) else {
        skip(
            test,
            "setuptools 68 (.ci/requirements-setuptools68.txt, installed on first use)",
        );
        return None;
    };
    Some((python, old))
}

#[test]
fn lay005_matches_real_builds() {
    let test = "lay005_matches_real_builds";
    let Some((python, old)) = tools(test) else {
        return;
    };
    let cases = cases::selection_cases();
    let repo = TestRepo::empty();
    let built = build_all(&python, &repo, &cases, &old);
    let reported = reported(&repo, "LAY005");
    let mut disagreements = Vec::new();
    let mut broken = 0;
    for case in &cases {
        let wheel = &built[&case.name];
        let ships = |package: &String| {
            wheel
                .files
                .iter()
                .any(|f| f.starts_with(&format!("{package}/")) || *f == format!("{package}.py"))
        };
        let breaks = !wheel.built || !case.expect.iter().all(ships);
        broken += usize::from(breaks);
        if breaks != reported.contains(&case.name) {
            disagreements.push(format!(
                "{}: build {} (wheel: {:?}; {}), laylint {}",
                case.name,
                if wheel.built { "passes" } else { "fails" },
                wheel.files,
                wheel.error,
                if breaks { "silent" } else { "reports LAY005" }
            ));
        }
    }
    eprintln!("{test}: {} projects built, {broken} broken", cases.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        broken >= 20 && cases.len() - broken >= 10,
        "the corpus lost its balance"
    );
}

#[test]
fn typ002_matches_real_wheels() {
    let test = "typ002_matches_real_wheels";
    let Some((python, old)) = tools(test) else {
        return;
    };
    let cases = cases::marker_cases();
    let repo = TestRepo::empty();
    let built = build_all(&python, &repo, &cases, &old);
    let reported = reported(&repo, "TYP002");
    let mut disagreements = Vec::new();
    let mut dropped = 0;
    for case in &cases {
        let wheel = &built[&case.name];
        assert!(
            wheel.built,
            "{}: the build fails: {}",
            case.name, wheel.error
        );
        let missing = !wheel.files.contains(&case.expect[0]);
        dropped += usize::from(missing);
        if missing != reported.contains(&case.name) {
            disagreements.push(format!(
                "{}: the wheel {} py.typed ({:?}), laylint {}",
                case.name,
                if missing { "lacks" } else { "holds" },
                wheel.files,
                if missing { "silent" } else { "reports TYP002" }
            ));
        }
    }
    eprintln!(
        "{test}: {} wheels built, {dropped} without py.typed",
        cases.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        dropped >= 8 && cases.len() - dropped >= 8,
        "the corpus lost its balance"
    );
}
