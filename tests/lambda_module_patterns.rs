//! Differential test: terraform-aws-modules/lambda `source_path[].patterns` as laylint
//! reads them, against the same rule run by `python3` with its own `re`, on every ordered
//! pick of up to three patterns and a set of paths. The rule, as the module documents it:
//! each pattern is a Python regular expression that must match the whole path, a leading
//! `!` makes it an exclusion, and the last pattern that matches decides (a path no pattern
//! matches is kept). Python's `re` is the ground truth for what each pattern matches.

mod common;

use common::require_tool;
use laylint::model::templates::excludes::DeployFilter;
use laylint::paths::RelPath;

/// The documented rule, written for this test; `re.fullmatch` decides each match.
const FILTER: &str = r#"
import json, re, sys

def kept(patterns, path):
    keep = True
    for pattern in patterns:
        exclude = pattern.startswith("!")
        regex = pattern[1:] if exclude else pattern
        if re.fullmatch(regex, path):
            keep = not exclude
    return keep

for line in sys.stdin:
    patterns, path = json.loads(line)
    print("keep" if kept(patterns, path) else "drop")
"#;

const PATTERNS: [&str; 12] = [
    ".*",
    "!.*",
    r"!.*\.txt",
    "lib/.*",
    "!lib/.*",
    "!tests/.*",
    r".*\.py",
    "!.*/__pycache__/.*",
    "!internal/.*",
    r"internal/keep\.py",
    r"[a-z_]+\.py",
    "!(tests|docs)/.*",
];

const PATHS: [&str; 10] = [
    "app.py",
    "lib/helpers.py",
    "lib/notes.txt",
    "tests/test_app.py",
    "internal/run.py",
    "internal/keep.py",
    "a/b/__pycache__/c.pyc",
    "docs/readme.md",
    "README.txt",
    "pkg/sub/mod.py",
];

#[test]
fn lambda_module_patterns_match_package_py() {
    let Some(python) = require_tool("python3", "lambda_module_patterns_match_package_py") else {
        return;
    };
    let mut picks: Vec<Vec<String>> = Vec::new();
    for a in PATTERNS {
        picks.push(vec![a.into()]);
        for b in PATTERNS {
            picks.push(vec![a.into(), b.into()]);
            for c in PATTERNS.iter().step_by(3) {
                picks.push(vec![a.into(), b.into(), (*c).into()]);
            }
        }
    }
    let base = RelPath::parse("fn").expect("path");
    let mut cases = Vec::new();
    for patterns in &picks {
        let filter = DeployFilter::lambda_module(&base, patterns).expect("patterns compile");
        for path in PATHS {
            let file = base.join_relative(path).expect("path");
            cases.push((patterns, path, !filter.excludes(&file)));
        }
    }
    let input: String = cases
        .iter()
        .map(|(patterns, path, _)| format!("{}\n", serde_json::json!([patterns, path])))
        .collect();
    let answers = common::python_answers(&python, FILTER, &input, cases.len());
    let disagreements: Vec<String> = cases
        .iter()
        .zip(&answers)
        .filter(|((_, _, keeps), answer)| (answer.as_str() == "keep") != *keeps)
        .map(|((patterns, path, keeps), answer)| {
            format!("{patterns:?} {path}: laylint keeps={keeps}, package.py {answer}")
        })
        .collect();
    println!(
        "lambda module patterns: {} cases, {} disagree",
        cases.len(),
        disagreements.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
