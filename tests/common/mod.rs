//! Shared test support: fixture repositories copied into a temporary folder (with an
//! empty `.git` so the copy is its own repository root) and a way to run the binary.

#![allow(dead_code)]

pub mod custom;
pub mod guard;
pub mod hostile;
pub mod pytest_config;
pub mod pytest_driver;
pub mod rng;
pub mod tools;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A throwaway repository.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
}

impl TestRepo {
    /// An empty repository.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("create .git");
        Self { dir }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let repo = Self::empty();
        copy_dir(&fixtures_dir().join(name), repo.path());
        repo
    }

    /// A repository built from `(path, contents)` pairs.
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        let repo = Self::empty();
        for (path, text) in files {
            repo.write(path, text);
        }
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("has parent")).expect("create parent");
        std::fs::write(full, text).expect("write file");
    }

    /// Runs `laylint <args>` with the repository as the working folder.
    pub fn run(&self, args: &[&str]) -> RunResult {
        run_in(self.path(), args)
    }

    /// Runs `laylint check --output-format concise --quiet <extra>` and returns stdout.
    pub fn concise(&self, extra: &[&str]) -> String {
        let mut args = vec!["check", "--output-format", "concise", "--quiet"];
        args.extend_from_slice(extra);
        self.run(&args).stdout
    }
}

pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn run_in(dir: &Path, args: &[&str]) -> RunResult {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_laylint"))
        .args(args)
        .current_dir(dir)
        .env_remove("LAYLINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1")
        // HDL011 compares runtimes with today: fix the date so snapshots do not age.
        .env("LAYLINT_TODAY", "2026-01-01")
        .output()
        .expect("run laylint");
    RunResult {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Whether the tests run in CI, where skipping a ground-truth test is not allowed.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// A Python tool (`mypy`, `pytest`, `python`) for ground-truth tests: from
/// `$LAYLINT_TEST_VENV/bin`, then this repository's `.venv/bin`, then `PATH`.
/// Outside CI a test may skip when it is missing (and must say so); in CI it must not.
pub fn python_tool(name: &str) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(venv) = std::env::var_os("LAYLINT_TEST_VENV") {
        candidates.push(PathBuf::from(venv).join("bin").join(name));
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".venv/bin")
            .join(name),
    );
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|dir| dir.join(name)));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// [`python_tool`], or: panic in CI, print a skip notice and return `None` elsewhere.
pub fn require_tool(name: &str, test: &str) -> Option<PathBuf> {
    match python_tool(name) {
        Some(path) => Some(path),
        None if in_ci() => {
            panic!("{test}: `{name}` is required in CI (install it in the venv that .ci/run makes)")
        }
        None => {
            eprintln!(
                "SKIPPED {test}: `{name}` not found (set LAYLINT_TEST_VENV or make .venv); CI never skips this"
            );
            None
        }
    }
}

/// Every `--output-format`, for tests that check what each one prints.
pub const FORMATS: [&str; 8] = [
    "full",
    "concise",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "junit",
];

/// Runs `python -I -S -B -c script` once, feeding it `input` (one case per line), and
/// returns its answers, one line per case; fails unless it answered all `cases`.
pub fn python_answers(python: &Path, script: &str, input: &str, cases: usize) -> Vec<String> {
    let mut child = Command::new(python)
        .args(["-I", "-S", "-B", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write cases");
    let output = child.wait_with_output().expect("python3 output");
    let lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        lines.len(),
        cases,
        "python3 answered {} of {cases} cases: {}",
        lines.len(),
        String::from_utf8_lossy(&output.stderr)
    );
    lines
}

/// The files of the default cache folder of the repository at `dir`: the per-file
/// entries, then the run record (`<entries>.run`).
pub fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let top = dir.join(".laylint_cache");
    let version = std::fs::read_dir(&top)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .expect("a version folder");
    let mut files: Vec<PathBuf> = std::fs::read_dir(version)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort_by_key(|p| p.extension().is_some());
    files
}

/// The per-file entries of the repository at `dir` (in its default cache folder).
pub fn cache_file(dir: &Path) -> PathBuf {
    cache_files(dir)
        .into_iter()
        .find(|p| p.extension().is_none())
        .expect("a cache file")
}
