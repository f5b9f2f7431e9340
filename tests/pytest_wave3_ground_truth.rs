//! Differential test: TST003 and TST004 against real pytest.
//!
//! Each generated repository has code at its root (`functions/add/handler.py`,
//! `lib_utils.py`) and test modules in `tests/`, `tests/unit/`, `tests/integration/`,
//! `functions/add/tests/` and the root, with or without `__init__.py` in each folder,
//! often with the same basenames; a root or `tests/` `conftest.py`; a pytest
//! configuration in one of the file kinds pytest reads, setting `--import-mode` (in both
//! spellings), `pythonpath` or `testpaths`, sometimes a second configuration in `svc/`
//! (another run, with its own tests). Test modules import the root's code plainly, after
//! changing `sys.path`, inside `try`, or a helper beside them.
//!
//! pytest runs in the folder of each configuration (the root run with `--ignore` for the
//! nested one), twice: the `pytest` command and `python -m pytest`. Then:
//! - TST003 must report exactly the modules whose collection fails with "import file
//!   mismatch" (in the bare run);
//! - TST004 must report exactly the modules whose collection fails with
//!   `ModuleNotFoundError` in the bare run and succeeds with `python -m pytest`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::pytest_config::{CONFIG_KINDS, join};
use common::pytest_driver::{PytestJob, run_jobs};
use common::rng::Rng;
use common::{TestRepo, require_tool};

fn render_config(kind: &str, options: &[(&str, Vec<&str>)]) -> (String, String) {
    // No `[project]` or `[metadata]`: a project's packages count as installed, and
    // nothing installs them here.
    let (path, text) = common::pytest_config::render_config(kind, options, "");
    (path, text.replace("[metadata]\nname = demo\n\n", ""))
}

fn random_options(rng: &mut Rng) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut options = Vec::new();
    match rng.next() % 6 {
        0 => options.push(("addopts", vec!["--import-mode=importlib"])),
        1 => options.push(("addopts", vec!["-ra", "--import-mode", "importlib"])),
        2 => options.push(("addopts", vec!["--import-mode=append"])),
        3 => options.push(("addopts", vec!["-ra"])),
        _ => {}
    }
    if rng.chance(25) {
        options.push(("pythonpath", vec![rng.pick(&[".", "tests", "functions"])]));
    }
    if rng.chance(25) {
        let paths = rng.pick(&["tests", "tests functions"]);
        options.push(("testpaths", paths.split(' ').collect()));
    }
    if options.is_empty() {
        // An empty table is not a configuration for every pytest version.
        options.push(("addopts", vec!["-ra"]));
    }
    options
}

const BASENAMES: [&str; 3] = ["test_handler.py", "test_orders.py", "test_users.py"];
const DIRS: [&str; 6] = [
    "tests",
    "tests/unit",
    "tests/integration",
    "functions/add/tests",
    "",
    "tests/unit/deep",
];

/// A test module's text; `depth` is how many folders it sits below the root. The second
/// value says whether it changes `sys.path` by a path no one can compute without running
/// it (read from the environment): laylint must stay silent from there on.
fn test_body(rng: &mut Rng, depth: usize) -> (String, bool) {
    // Importing pytest marks the tests as pytest's (laylint leaves unittest suites alone).
    let test = "\nimport pytest  # noqa: F401\n\n\ndef test_it():\n    assert True\n";
    let up = vec![".."; depth].join("\", \"");
    let parents = ".parent".repeat(depth + 1);
    let body = match rng.next() % 13 {
        0 | 1 => format!("from functions.add import handler{test}"),
        2 => format!("import lib_utils{test}"),
        3 => format!("import functions.add.handler{test}"),
        4 => format!(
            "import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), \"{up}\"))\n\nfrom functions.add import handler  # noqa: E402{test}"
        ),
        5 => format!("try:\n    import lib_utils\nexcept ImportError:\n    lib_utils = None{test}"),
        6 => format!("from helpers import VALUE{test}"),
        7 => format!(
            "import sys\nfrom pathlib import Path\n\nsys.path.append(str(Path(__file__).resolve(){parents}))\n\nimport lib_utils  # noqa: E402{test}"
        ),
        8 => format!(
            "import os\nimport sys\n\nif os.path.abspath(os.path.join(os.path.dirname(__file__), \"{up}\")) not in sys.path:\n    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), \"{up}\")))\n\nimport lib_utils  # noqa: E402{test}"
        ),
        9 => format!(
            "import sys\n\nfrom functions.add import handler\n\nVERSION = sys.version_info{test}"
        ),
        10 if rng.chance(25) => format!(
            "import os\nimport sys\n\nsys.path.insert(0, os.environ.get(\"CODE_DIR\", os.path.join(os.path.dirname(__file__), \"{up}\")))\n\nimport lib_utils  # noqa: E402{test}"
        ),
        11 => format!(
            "import sys\n\nsys.path.append(\"functions\")\n\nimport add.handler  # noqa: E402{test}"
        ),
        _ => format!("import json{test}"),
    };
    let computed = body.contains("os.environ");
    (body, computed)
}

struct Layout {
    name: String,
    files: Vec<(String, String)>,
    /// Folders holding a pytest configuration below the root (each its own run).
    nested: Vec<String>,
    /// A module changes `sys.path` by a path only running it tells.
    computed_sys_path: bool,
}

fn generated(count: u64) -> Vec<Layout> {
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(index + 7001);
            let mut files: Vec<(String, String)> = vec![
                (
                    "functions/add/handler.py".into(),
                    "def handler(event, context):\n    return event\n".into(),
                ),
                ("lib_utils.py".into(), "VALUE = 1\n".into()),
            ];
            let mut computed_sys_path = false;
            for dir in [
                "functions",
                "functions/add",
                "functions/add/tests",
                "tests",
                "tests/unit",
                "tests/integration",
            ] {
                if rng.chance(30) {
                    files.push((join(dir, "__init__.py"), String::new()));
                }
            }
            let modules = 3 + rng.next() % 6;
            for _ in 0..modules {
                let dir = rng.pick(&DIRS);
                let depth = dir.split('/').filter(|p| !p.is_empty()).count();
                let path = join(dir, rng.pick(&BASENAMES));
                if files.iter().any(|(p, _)| *p == path) {
                    continue;
                }
                let (body, computed) = test_body(&mut rng, depth);
                computed_sys_path |= computed;
                if body.contains("from helpers") {
                    files.push((join(dir, "helpers.py"), "VALUE = 1\n".into()));
                }
                files.push((path, body));
            }
            if rng.chance(20) {
                files.push(("conftest.py".into(), String::new()));
            }
            if rng.chance(15) {
                let text = if rng.chance(50) {
                    "import os\nimport sys\n\nsys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
                } else {
                    ""
                };
                files.push(("tests/conftest.py".into(), text.into()));
            }
            if rng.chance(75) {
                let (path, text) =
                    render_config(rng.pick(&CONFIG_KINDS[..7]), &random_options(&mut rng));
                files.push((path, text));
            }
            let mut nested = Vec::new();
            if rng.chance(20) {
                let (path, text) =
                    render_config(rng.pick(&CONFIG_KINDS[..7]), &random_options(&mut rng));
                files.push((format!("svc/{path}"), text));
                let (body, computed) = test_body(&mut rng, 2);
                computed_sys_path |= computed;
                files.push(("svc/tests/test_handler.py".into(), body));
                files.push(("svc/functions/add/handler.py".into(), "X = 1\n".into()));
                nested.push("svc".to_string());
            }
            files.sort();
            files.dedup_by(|a, b| a.0 == b.0);
            Layout {
                name: format!("generated #{index}"),
                files,
                nested,
                computed_sys_path,
            }
        })
        .collect()
}

/// The modules whose collection fails, by kind, in one pytest run's output.
#[derive(Debug, Default, PartialEq)]
struct Failures {
    mismatch: BTreeSet<String>,
    not_found: BTreeSet<String>,
    any: BTreeSet<String>,
}

fn failures(output: &str, dir: &str) -> Failures {
    let mut failures = Failures::default();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix('_').map(|l| l.trim_matches(['_', ' '])) {
            current = rest
                .strip_prefix("ERROR collecting ")
                .map(|path| join(dir, path.trim()));
            if let Some(path) = &current {
                failures.any.insert(path.clone());
            }
            continue;
        }
        let Some(path) = &current else { continue };
        if line.contains("import file mismatch") {
            failures.mismatch.insert(path.clone());
        } else if line.contains("ModuleNotFoundError") {
            failures.not_found.insert(path.clone());
        }
    }
    failures
}

/// TST003 and TST004 findings (paths) in one laylint run.
fn laylint_paths(repo: &TestRepo) -> [BTreeSet<String>; 2] {
    let out = repo.run(&[
        "check",
        "--output-format",
        "json",
        "--select",
        "TST003,TST004",
        "--exit-zero",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("laylint json: {e}\n{}\n{}", out.stdout, out.stderr));
    let mut found = [BTreeSet::new(), BTreeSet::new()];
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        let slot = usize::from(d["code"] == "TST004");
        if let Some(path) = d["path"].as_str() {
            found[slot].insert(path.to_string());
        }
    }
    found
}

/// The folder (from the root) of each job of `layouts`, in job order.
fn real_dirs(layouts: &[(Layout, TestRepo)]) -> Vec<String> {
    layouts
        .iter()
        .flat_map(|(layout, _)| common::pytest_config::runs(&layout.nested))
        .flat_map(|(dir, _)| [dir.clone(), dir])
        .collect()
}

/// The failures of real `pytest` and `python -m pytest` processes on `layouts`, in job
/// order.
fn real_runs(pytest: &Path, python: &Path, layouts: &[(Layout, TestRepo)]) -> Vec<Failures> {
    let mut found = Vec::new();
    for (layout, repo) in layouts {
        for (dir, args) in common::pytest_config::runs(&layout.nested) {
            for module in [false, true] {
                let mut command = Command::new(if module { python } else { pytest });
                if module {
                    command.args(["-m", "pytest"]);
                }
                let output = command
                    .args(["-p", "no:cacheprovider", "-q", "-W", "ignore", "--tb=short"])
                    .args(&args)
                    .current_dir(repo.path().join(&dir))
                    .env_remove("PYTEST_ADDOPTS")
                    .env_remove("PYTHONPATH")
                    .env("PYTHONDONTWRITEBYTECODE", "1")
                    .output()
                    .expect("run pytest");
                found.push(failures(&String::from_utf8_lossy(&output.stdout), &dir));
            }
        }
    }
    found
}

#[test]
fn tst003_and_tst004_agree_with_pytest() {
    let test = "tst003_and_tst004_agree_with_pytest";
    let Some(pytest) = require_tool("pytest", test) else {
        return;
    };
    let Some(python) = require_tool("python", test) else {
        return;
    };
    let layouts: Vec<(Layout, TestRepo)> = generated(LAYOUTS)
        .into_iter()
        .map(|layout| {
            let repo = TestRepo::empty();
            for (path, text) in &layout.files {
                repo.write(path, text);
            }
            (layout, repo)
        })
        .collect();
    let mut jobs = Vec::new();
    for (layout, repo) in &layouts {
        for (dir, args) in common::pytest_config::runs(&layout.nested) {
            for module in [false, true] {
                jobs.push(PytestJob {
                    dir: repo.path().join(&dir),
                    module,
                    args: args.clone(),
                });
            }
        }
    }
    let (outputs, laylint, real) = std::thread::scope(|scope| {
        let laylint = scope.spawn(|| {
            layouts
                .iter()
                .map(|(_, repo)| laylint_paths(repo))
                .collect::<Vec<_>>()
        });
        let real = scope.spawn(|| real_runs(&pytest, &python, &layouts[..CROSS_CHECKED]));
        let outputs = run_jobs(&python, &pytest, &jobs, 2);
        (
            outputs,
            laylint.join().expect("laylint worker"),
            real.join().expect("real pytest worker"),
        )
    });
    // The driver must not change what pytest does: on a few layouts, real `pytest` and
    // `python -m pytest` processes report the same failures.
    for (i, (real, driven)) in real.iter().zip(&outputs).enumerate() {
        assert_eq!(
            real,
            &failures(&driven.text, &real_dirs(&layouts[..CROSS_CHECKED])[i]),
            "job {i}: the driver differs from a real pytest run"
        );
    }
    let mut index = 0;
    let mut disagreements = Vec::new();
    let (mut mismatches, mut not_found, mut undecidable) = (0, 0, 0);
    for ((layout, _), [laylint003, laylint004]) in layouts.iter().zip(&laylint) {
        let (mut tst003, mut tst004) = (BTreeSet::new(), BTreeSet::new());
        for (dir, _) in common::pytest_config::runs(&layout.nested) {
            let bare = failures(&outputs[index].text, &dir);
            let module = failures(&outputs[index + 1].text, &dir);
            index += 2;
            tst003.extend(bare.mismatch.iter().cloned());
            tst004.extend(
                bare.not_found
                    .iter()
                    .filter(|path| !module.any.contains(*path))
                    .cloned(),
            );
        }
        mismatches += tst003.len();
        not_found += tst004.len();
        // Past a `sys.path` change no one can compute, laylint stays silent: it may
        // report less than pytest there, never more.
        let agrees = if layout.computed_sys_path {
            undecidable += 1;
            laylint003.is_subset(&tst003) && laylint004.is_subset(&tst004)
        } else {
            tst003 == *laylint003 && tst004 == *laylint004
        };
        if !agrees {
            let files: Vec<String> = layout
                .files
                .iter()
                .map(|(p, t)| format!("--- {p}\n{t}"))
                .collect();
            disagreements.push(format!(
                "{} (computed sys.path: {}):\n  import file mismatch: pytest {tst003:?}, TST003 {laylint003:?}\n  \
                 ModuleNotFoundError only without -m: pytest {tst004:?}, TST004 {laylint004:?}\n{}",
                layout.name,
                layout.computed_sys_path,
                files.join("")
            ));
        }
    }
    println!(
        "pytest wave-3 ground truth: {} layouts ({undecidable} with a computed sys.path), \
         {} pytest runs, {mismatches} import file mismatches, {not_found} modules failing only \
         under bare pytest; laylint agrees on {}",
        layouts.len(),
        jobs.len(),
        layouts.len() - disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "laylint disagrees with pytest on {} of {} layouts:\n\n{}",
        disagreements.len(),
        layouts.len(),
        disagreements.join("\n\n")
    );
    assert!(
        mismatches > 10 && not_found > 10,
        "the layouts must exercise both rules"
    );
    assert!(
        undecidable >= 1 && undecidable * 6 <= layouts.len(),
        "computed sys.path changes must be exercised and stay a small minority ({undecidable})"
    );
}

/// How many layouts the test generates, and how many of them also run as real processes.
const LAYOUTS: u64 = 64;
const CROSS_CHECKED: usize = 2;
