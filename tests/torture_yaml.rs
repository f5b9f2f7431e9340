//! Hostile YAML (issue "Hostile repositories, round 2", memory from small inputs): alias
//! and merge-key expansion is paid for from a budget counted in the bytes it produces,
//! so a small file cannot make laylint build gigabytes, and running out of budget is a
//! PAR001 that says so, never a silent pass. Memory is measured (the peak resident size
//! of the run, through Python's `resource`), never time; a watchdog fails a hang.

mod common;

use std::process::{Command, Stdio};

use common::{TestRepo, in_ci, python_tool};

/// Peak resident memory any of these runs may reach.
const MAX_RSS_MIB: u64 = 512;

/// Runs `laylint check --output-format json` in `repo` under a watchdog; returns the
/// report and the peak resident size in MiB (`None` without Python, outside CI).
fn check_measured(repo: &TestRepo) -> (serde_json::Value, Option<u64>) {
    const MEASURE: &str = "import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
sys.stdout.buffer.write(p.stdout)
sys.stderr.buffer.write(p.stderr)
sys.stderr.write('\\nexit=%d maxrss_kib=%d\\n' % (p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
";
    let laylint = env!("CARGO_BIN_EXE_laylint");
    let args = ["check", "--output-format", "json"];
    let python = python_tool("python3").or_else(|| python_tool("python"));
    assert!(
        python.is_some() || !in_ci(),
        "python is required in CI to measure memory"
    );
    let output = match &python {
        Some(python) => Command::new(python)
            .args(["-c", MEASURE, laylint])
            .args(args)
            .current_dir(repo.path())
            .stdin(Stdio::null())
            .output()
            .expect("run python"),
        None => Command::new(laylint)
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("run laylint"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("TimeoutExpired"), "laylint hung: {stderr}");
    let (code, rss) = match python {
        Some(_) => {
            let tail = stderr.rsplit("exit=").next().unwrap_or("");
            let code: i32 = tail
                .split_whitespace()
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(-1);
            let kib: u64 = tail
                .split("maxrss_kib=")
                .nth(1)
                .and_then(|k| k.trim().parse().ok())
                .expect("peak memory");
            (code, Some(kib / 1024))
        }
        None => (output.status.code().unwrap_or(-1), None),
    };
    assert_ne!(code, 101, "laylint panicked: {stderr}");
    assert!(matches!(code, 0 | 1), "unexpected exit {code}: {stderr}");
    let doc = serde_json::from_slice(&output.stdout).expect("JSON report");
    if let Some(mib) = rss {
        println!("peak RSS {mib} MiB");
        assert!(
            mib < MAX_RSS_MIB,
            "peak RSS {mib} MiB (limit {MAX_RSS_MIB} MiB)"
        );
    }
    (doc, rss)
}

fn diagnostics<'a>(doc: &'a serde_json::Value, path: &str) -> Vec<&'a serde_json::Value> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["path"] == path)
        .collect()
}

/// The rule codes reported for `path`, in report order.
fn codes_of(doc: &serde_json::Value, path: &str) -> Vec<String> {
    diagnostics(doc, path)
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

const HEADER: &str =
    "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";

/// A function whose code root does not exist: HDL009 proves the template was read.
const BROKEN_FUNCTION: &str = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: missing/\n      Handler: app.handler\n      Runtime: python3.12\n";

fn assert_budget_par001(doc: &serde_json::Value, path: &str) {
    let found = diagnostics(doc, path);
    assert!(
        found.iter().any(|d| d["code"] == "PAR001"
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("alias expansion budget exceeded"))),
        "{path}: expected PAR001 naming the alias expansion budget, got {found:#?}"
    );
}

#[test]
fn a_large_value_aliased_2000_times_is_par001_within_bounded_memory() {
    // 1 MB anchored once, aliased 2,000 times: 2 GB if every alias were copied.
    let big = "x".repeat(1_000_000);
    let aliases = vec!["*big"; 2_000].join(", ");
    let text = format!("{HEADER}Big: &big \"{big}\"\nCopies: [{aliases}]\n{BROKEN_FUNCTION}");
    assert!(text.len() < 2 * 1024 * 1024, "under the read cap");
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    assert_budget_par001(&doc, "template.yaml");
}

#[test]
fn a_doubling_merge_chain_loads_as_pyyaml_loads_it() {
    // Each mapping merges the previous one twice: PyYAML (6.0.4) merges a key node once,
    // so this stays small, and laylint reads it the same way.
    let mut text = format!("{HEADER}M0: &m0 {{k: v}}\n");
    for i in 1..=40 {
        let prev = i - 1;
        text.push_str(&format!(
            "M{i}: &m{i} {{<<: [*m{prev}, *m{prev}], k{i}: v}}\n"
        ));
    }
    text.push_str(BROKEN_FUNCTION);
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    let codes = codes_of(&doc, "template.yaml");
    assert_eq!(codes, ["HDL009"], "{doc:#}");
}

#[test]
fn a_quadratic_merge_chain_is_par001_naming_the_budget() {
    // Mapping i merges mapping i-1 and adds a key: i pairs each, 8 million in all.
    let mut text = format!("{HEADER}M0: &m0 {{k0: v}}\n");
    for i in 1..4_000 {
        let prev = i - 1;
        text.push_str(&format!("M{i}: &m{i} {{<<: *m{prev}, k{i}: v}}\n"));
    }
    text.push_str(BROKEN_FUNCTION);
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    assert_budget_par001(&doc, "template.yaml");
}

#[test]
fn two_hundred_thousand_small_aliases_load_and_the_handler_is_checked() {
    // 200,000 aliases of a small mapping fit the budget: loaded (as PyYAML loads them),
    // and the broken code root is still reported.
    let aliases = vec!["*v"; 200_000].join(", ");
    let text = format!("{HEADER}V: &v {{Key: value}}\nMany: [{aliases}]\n{BROKEN_FUNCTION}");
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    let codes = codes_of(&doc, "template.yaml");
    assert_eq!(codes, ["HDL009"], "{doc:#}");
}

#[test]
fn nested_anchors_over_a_long_list_stay_linear_and_bounded() {
    // 60,000 anchored items each aliased once, and 900 nested anchored levels aliased
    // 100 times: nothing here is quadratic, and the copies fit the budget.
    let mut text = String::from(HEADER);
    text.push_str("Items:\n");
    for i in 0..60_000 {
        text.push_str(&format!("  - &i{i} v\n"));
    }
    text.push_str("Again: [");
    text.push_str(
        &(0..60_000)
            .map(|i| format!("*i{i}"))
            .collect::<Vec<_>>()
            .join(","),
    );
    text.push_str("]\nDeep: ");
    for i in 0..900 {
        text.push_str(&format!("&d{i} ["));
    }
    text.push_str(&"]".repeat(900));
    text.push_str(&format!("\nCopies: [{}]\n", vec!["*d0"; 100].join(", ")));
    text.push_str(BROKEN_FUNCTION);
    assert!(text.len() < 2 * 1024 * 1024, "under the read cap");
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    let codes = codes_of(&doc, "template.yaml");
    assert_eq!(codes, ["HDL009"], "{doc:#}");
}

#[test]
fn a_serverless_file_goes_through_the_same_budget() {
    let big = "y".repeat(1_000_000);
    let aliases = vec!["*big"; 2_000].join(", ");
    let text = format!(
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\ncustom:\n  big: &big \"{big}\"\n  copies: [{aliases}]\nfunctions:\n  f:\n    handler: app.handler\n"
    );
    let repo = TestRepo::with_files(&[("serverless.yml", &text)]);
    let (doc, _) = check_measured(&repo);
    assert_budget_par001(&doc, "serverless.yml");
}

#[test]
fn a_block_scalar_at_the_end_of_the_input_does_not_panic() {
    // Found by `cargo fuzz` (template harness): the vendored libyaml port panicked with
    // "unexpected end of input". PyYAML loads it (the text `:`).
    let text = format!("{HEADER}{BROKEN_FUNCTION}Note: |\n :");
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    let codes = codes_of(&doc, "template.yaml");
    assert_eq!(codes, ["HDL009"], "{doc:#}");
}

#[test]
fn a_backslash_ending_a_quoted_scalar_at_the_end_of_the_input_does_not_panic() {
    // Found by `cargo fuzz` (template harness, ` "\`): the vendored libyaml port unwrapped
    // the character after the `\`. Both PyYAML loaders refuse the text: PAR001.
    let text = format!("{HEADER}{BROKEN_FUNCTION}Note: \"x\\");
    let repo = TestRepo::with_files(&[("template.yaml", &text)]);
    let (doc, _) = check_measured(&repo);
    let codes = codes_of(&doc, "template.yaml");
    assert_eq!(codes, ["PAR001"], "{doc:#}");
}
