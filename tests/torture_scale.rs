//! Hostile repositories built to make a pass quadratic or a parser eat memory: 200,000
//! files in one folder, 200,000 watched-file changes at once, a 2 MB line matching
//! everywhere, `for-each = "**"` over a deep tree, a module of 1.9 MB of minus signs.
//! A watchdog fails a run that does not finish (a hang detector, generous, not a timing
//! assertion); memory is measured from the child's own resource usage.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::TestRepo;
use common::custom::custom_rule;

/// Far above any linear run here (seconds), far below the quadratic ones (minutes).
const WATCHDOG: Duration = Duration::from_secs(90);

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the child, in KiB.
    max_rss_kib: i64,
}

/// Runs laylint in `dir` with `args` (and `stdin`), killing it after [`WATCHDOG`].
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its peak memory
fn run_guarded(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Ran {
    let out = tempfile::NamedTempFile::new().expect("stdout file");
    let err = tempfile::NamedTempFile::new().expect("stderr file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_laylint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(out.reopen().expect("reopen"))
        .stderr(err.reopen().expect("reopen"))
        .spawn()
        .expect("spawn laylint");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let pid = child.id() as libc::pid_t;
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(WATCHDOG).is_err() {
            // Still ours: it is reaped only below, after this thread is told.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            return true;
        }
        false
    });
    let mut status = 0;
    // SAFETY: plain system call on our own child; `rusage` is a zeroed C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let _ = done.send(());
    let hung = watchdog.join().expect("watchdog");
    assert!(
        !hung,
        "laylint {args:?} did not finish: killed by the watchdog"
    );
    assert_eq!(reaped, pid, "wait4");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let read = |f: &tempfile::NamedTempFile| std::fs::read_to_string(f.path()).unwrap_or_default();
    let ran = Ran {
        code,
        stdout: read(&out),
        stderr: read(&err),
        max_rss_kib: usage.ru_maxrss,
    };
    assert_ne!(ran.code, Some(101), "laylint panicked: {}", ran.stderr);
    ran
}

fn one_rule(check: &str) -> String {
    format!(
        "select = [\"ORG\", \"PAR\"]\n\n{}",
        custom_rule("ORG001", "r", "warning", check)
    )
}

fn empty_files(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).expect("folder");
    for i in 0..count {
        std::fs::File::create(dir.join(format!("m{i}.py"))).expect("file");
    }
}

#[test]
fn two_hundred_thousand_modules_in_one_folder() {
    let repo = TestRepo::empty();
    empty_files(&repo.path().join("pkg"), 200_000);
    let ran = run_guarded(
        repo.path(),
        &[
            "check",
            "--select",
            "TYP003,TYP005",
            "--output-format",
            "concise",
        ],
        None,
    );
    assert_eq!(ran.code, Some(0), "{}{}", ran.stdout, ran.stderr);
}

#[test]
fn a_two_megabyte_line_matching_everywhere_gives_one_finding() {
    let repo = TestRepo::with_files(&[(
        "laylint.toml",
        &one_rule("kind = \"content\"\nglob = \"**/*.txt\"\nforbids = \"x\""),
    )]);
    repo.write("big.txt", &"x".repeat(2_000_000));
    // Ten thousand short lines that all match: capped per file.
    repo.write("lines.txt", &"x\n".repeat(10_000));
    let ran = run_guarded(repo.path(), &["check", "--output-format", "json"], None);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let doc: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON");
    let count = |path: &str| {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"] == path)
            .count()
    };
    assert_eq!(count("big.txt"), 1);
    assert_eq!(count("lines.txt"), 100);
}

#[test]
fn require_for_each_folder_of_a_deep_tree() {
    let repo = TestRepo::with_files(&[(
        "laylint.toml",
        &one_rule("kind = \"require\"\nfor-each = \"**\"\nglob = \"**/*.py\"\nmax = 150"),
    )]);
    // 1,000 folders deep, 60 modules in each.
    let mut dir = repo.path().to_path_buf();
    for _ in 0..1_000 {
        dir.push("d");
        empty_files(&dir, 60);
    }
    let ran = run_guarded(repo.path(), &["check", "--output-format", "json"], None);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let doc: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON");
    // Only the two deepest folders hold no more than 150 modules.
    assert_eq!(doc["summary"]["warnings"], 1_000 - 2, "{}", doc["summary"]);
}

fn lsp(body: &serde_json::Value) -> Vec<u8> {
    let body = body.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn two_hundred_thousand_watched_file_changes_at_once() {
    let repo = TestRepo::with_files(&[("pkg/app.py", "x = 1\n")]);
    let root = format!("file://{}", repo.path().display());
    let changes: Vec<serde_json::Value> = (0..200_000)
        .map(|i| serde_json::json!({"uri": format!("{root}/pkg/gone{i}.py"), "type": 3}))
        .collect();
    let mut input = Vec::new();
    input.extend(lsp(
        &serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}, "rootUri": root}}),
    ));
    input.extend(lsp(
        &serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ));
    input.extend(lsp(
        &serde_json::json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles",
        "params": {"changes": changes}}),
    ));
    input.extend(lsp(
        &serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    ));
    input.extend(lsp(
        &serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ));
    let ran = run_guarded(repo.path(), &["server"], Some(input));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stdout.contains("\"id\":2"), "no answer to shutdown");
}

#[test]
fn a_module_of_minus_signs_is_refused_in_bounded_memory() {
    let repo = TestRepo::with_files(&[(
        "template.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n\
         Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
         Runtime: python3.12\n      CodeUri: pkg/\n      Handler: mod.handler\n",
    )]);
    repo.write("pkg/mod.py", &format!("x = {}1\n", "-".repeat(1_900_000)));
    let ran = run_guarded(repo.path(), &["check", "--output-format", "concise"], None);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(
        ran.stdout.contains("pkg/mod.py:1:1: PAR001") && ran.stdout.contains("nested too deeply"),
        "{}",
        ran.stdout
    );
    // Before the bound the parser took 1.86 GiB here.
    assert!(
        ran.max_rss_kib < 256 * 1024,
        "peak memory {} KiB",
        ran.max_rss_kib
    );
}
