//! Differential test: laylint's notion of a test module against real `pytest --collect-only`.
//!
//! Each generated repository is one Lambda code root (`CodeUri: ./`), so TST002 reports
//! every test module laylint sees. The modules mix test functions and classes, helpers,
//! fixtures, classes pytest refuses (`__init__`), unittest cases and a handler module
//! that may be named `test_*.py`; the pytest configuration comes in every file kind
//! pytest reads (sometimes two at once, sometimes a second one in a sub-folder) with
//! custom `python_files` / `python_functions` / `python_classes`. pytest is run from the
//! folder of each configuration (as a developer runs it there), and the modules it
//! collects must be exactly those laylint reports (`conftest.py`, which pytest loads but
//! does not list, aside).

mod common;

use std::collections::BTreeSet;

use common::pytest_config::{CONFIG_KINDS, join};
use common::pytest_driver::{JobOutput, PytestJob, run_jobs};
use common::rng::Rng;
use common::{TestRepo, require_tool};

const BODIES: [&str; 14] = [
    "def test_it():\n    assert True\n",
    "def helper():\n    return 1\n",
    "class TestThing:\n    def test_method(self):\n        assert True\n",
    "class TestThing:\n    def __init__(self):\n        self.x = 1\n\n    def test_method(self):\n        assert True\n",
    "class TestThing:\n    def helper(self):\n        return 1\n",
    "class CheckThing:\n    def test_method(self):\n        assert True\n",
    "class CheckThing:\n    def should_pass(self):\n        assert True\n",
    "def should_work():\n    assert True\n",
    "import pytest\n\n\n@pytest.fixture\ndef test_data():\n    return 1\n",
    "test_value = 3\n",
    "import unittest\n\n\nclass Checks(unittest.TestCase):\n    def test_case(self):\n        self.assertTrue(True)\n",
    "def check_it():\n    assert True\n",
    "if True:\n    def test_guarded():\n        assert True\n",
    "def test_it():\n    assert True\n\n\ntest_it = None\n",
];

/// A `[project]` table heads each generated `pyproject.toml`.
const PROJECT: &str = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n\n";

fn render_config(kind: &str, options: &[(&str, Vec<&str>)]) -> (String, String) {
    common::pytest_config::render_config(kind, options, PROJECT)
}

struct Layout {
    name: String,
    files: Vec<(String, String)>,
    /// Folders holding a pytest configuration below the root.
    nested: Vec<String>,
}

fn random_options(rng: &mut Rng) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut options = Vec::new();
    if rng.chance(60) {
        let files: &[&str] = match rng.next() % 5 {
            0 => &["check_*.py"],
            1 => &["test_*.py", "check_*.py"],
            2 => &["*_test.py"],
            3 => &["*/sub/*.py", "test_*.py"],
            _ => &["t[a-z]st_*.py", "*_spec.py"],
        };
        options.push(("python_files", files.to_vec()));
    }
    if rng.chance(40) {
        let functions: &[&str] = match rng.next() % 3 {
            0 => &["should_*"],
            1 => &["test", "check"],
            _ => &["check_*"],
        };
        options.push(("python_functions", functions.to_vec()));
    }
    if rng.chance(40) {
        let classes: &[&str] = match rng.next() % 2 {
            0 => &["Check*"],
            _ => &["Test", "Check"],
        };
        options.push(("python_classes", classes.to_vec()));
    }
    options
}

fn generated(count: u64) -> Vec<Layout> {
    let stems = [
        "test_orders",
        "orders_test",
        "check_orders",
        "orders",
        "test_users",
        "users_spec",
        "tast_items",
        "helpers_test",
        "test_utils",
    ];
    let dirs = ["", "a", "a/sub", "svc", "svc/sub", "lib"];
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(index + 101);
            let mut layout = Layout {
                name: format!("generated #{index}"),
                files: Vec::new(),
                nested: Vec::new(),
            };
            let handler_stem = rng.pick(&["app", "test_event_subscriber", "check_handler"]);
            let handler_dir = rng.pick(&["", "a"]);
            let handler_path = join(handler_dir, &format!("{handler_stem}.py"));
            let handler = format!("{}.handler", handler_path.trim_end_matches(".py"));
            layout.files.push((
                "template.yaml".into(),
                format!(
                    "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n\
                     Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
                     CodeUri: ./\n      Handler: {handler}\n      Runtime: python3.12\n"
                ),
            ));
            layout.files.push((
                handler_path,
                "def handler(event, context):\n    return event\n".into(),
            ));
            let modules = 3 + rng.next() % 6;
            for n in 0..modules {
                let dir = rng.pick(&dirs);
                // Unique basenames: pytest's default import mode refuses two of one name.
                let stem = rng.pick(&stems);
                let name = if let Some(rest) = stem.strip_suffix("_test") {
                    format!("{rest}{n}_test.py")
                } else if let Some(rest) = stem.strip_suffix("_spec") {
                    format!("{rest}{n}_spec.py")
                } else {
                    format!("{stem}{n}.py")
                };
                let mut body = rng.pick(&BODIES).to_string();
                if rng.chance(30) {
                    body.push_str("\n\n");
                    body.push_str(&rng.pick(&BODIES).replace("Thing", "Other"));
                }
                layout.files.push((join(dir, &name), body));
            }
            if rng.chance(20) {
                let dir = rng.pick(&["", "a"]);
                layout.files.push((join(dir, "conftest.py"), "import pytest\n".into()));
            }
            if rng.chance(70) {
                let kind = rng.pick(&CONFIG_KINDS);
                let options = random_options(&mut rng);
                let (path, text) = render_config(kind, &options);
                layout.files.push((path.clone(), text));
                // A second file at the root: pytest takes the first in its order.
                if rng.chance(30) {
                    let other = rng.pick(&CONFIG_KINDS);
                    let (other_path, other_text) = render_config(other, &random_options(&mut rng));
                    if other_path != path {
                        layout.files.push((other_path, other_text));
                    }
                }
            }
            if rng.chance(25) {
                let kind = rng.pick(&CONFIG_KINDS[..7]);
                let (path, text) = render_config(kind, &random_options(&mut rng));
                layout.files.push((format!("svc/{path}"), text));
                layout.nested.push("svc".into());
            }
            layout
        })
        .collect()
}

/// The modules one `pytest --collect-only` run in `dir` (relative to the root) lists.
fn pytest_modules(
    output: &JobOutput,
    repo: &TestRepo,
    dir: &str,
) -> Result<BTreeSet<String>, String> {
    let text = &output.text;
    // 0: collected; 5: nothing collected.
    if !matches!(output.code, Some(0 | 5)) || text.contains("ERROR") {
        return Err(format!(
            "pytest failed in `{dir}` ({:?}):\n{text}",
            output.code
        ));
    }
    // Node ids are relative to pytest's rootdir: `dir` when a configuration there holds
    // pytest settings, else a folder above it (the root).
    Ok(text
        .lines()
        .filter_map(|line| line.split_once("::"))
        .map(|(module, _)| {
            let under = join(dir, module);
            if repo.path().join(&under).is_file() {
                under
            } else {
                module.to_string()
            }
        })
        .collect())
}

fn laylint_modules(repo: &TestRepo) -> BTreeSet<String> {
    let out = repo.run(&[
        "check",
        "--output-format",
        "json",
        "--select",
        "TST002",
        "--exit-zero",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("laylint json: {e}\n{}\n{}", out.stdout, out.stderr));
    json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["path"].as_str())
        .filter(|p| !p.ends_with("conftest.py"))
        .map(str::to_string)
        .collect()
}

#[test]
fn laylint_test_modules_are_what_pytest_collects() {
    let Some(pytest) = require_tool("pytest", "laylint_test_modules_are_what_pytest_collects")
    else {
        return;
    };
    let Some(python) = require_tool("python", "laylint_test_modules_are_what_pytest_collects")
    else {
        return;
    };
    let layouts: Vec<(Layout, TestRepo)> = generated(120)
        .into_iter()
        .map(|layout| {
            let repo = TestRepo::empty();
            for (path, text) in &layout.files {
                repo.write(path, text);
            }
            (layout, repo)
        })
        .collect();
    let jobs: Vec<PytestJob> = layouts
        .iter()
        .flat_map(|(layout, repo)| {
            common::pytest_config::runs(&layout.nested)
                .into_iter()
                .map(|(dir, args)| PytestJob {
                    dir: repo.path().join(dir),
                    module: false,
                    args,
                })
        })
        .collect();
    let (outputs, laylint) = std::thread::scope(|scope| {
        let laylint = scope.spawn(|| {
            layouts
                .iter()
                .map(|(_, repo)| laylint_modules(repo))
                .collect::<Vec<_>>()
        });
        let outputs = run_jobs(&python, &pytest, &jobs, 2);
        (outputs, laylint.join().expect("laylint worker"))
    });
    let mut outputs = outputs.iter();
    let mut failures = Vec::new();
    let (mut collected, mut configs, mut nested) = (0, 0, 0);
    for ((layout, repo), actual) in layouts.iter().zip(laylint) {
        configs += usize::from(layout.files.iter().any(|(p, _)| {
            !p.contains('/') && (p.ends_with(".ini") || p.ends_with(".toml") || p.ends_with(".cfg"))
        }));
        nested += layout.nested.len();
        let mut expected = BTreeSet::new();
        let mut error = None;
        for (dir, _) in common::pytest_config::runs(&layout.nested) {
            let output = outputs.next().expect("one output per job");
            match pytest_modules(output, repo, &dir) {
                Ok(found) => expected.extend(found),
                Err(why) => error = Some(why),
            }
        }
        collected += expected.len();
        if error.is_some() || actual != expected {
            let files: Vec<String> = layout
                .files
                .iter()
                .map(|(p, t)| format!("--- {p}\n{t}"))
                .collect();
            failures.push(format!(
                "{}: pytest collects {expected:?}, laylint reports {actual:?}{}\n{}",
                layout.name,
                error.map(|e| format!("\n{e}")).unwrap_or_default(),
                files.join("")
            ));
        }
    }
    let agreed = layouts.len() - failures.len();
    println!(
        "pytest ground truth: {} layouts ({configs} with a root configuration, {nested} with a \
         nested one, {collected} modules collected), laylint agrees on {agreed}",
        layouts.len()
    );
    assert!(
        failures.is_empty(),
        "laylint disagrees with pytest on {} of {} layouts:\n\n{}",
        failures.len(),
        layouts.len(),
        failures.join("\n\n")
    );
}
