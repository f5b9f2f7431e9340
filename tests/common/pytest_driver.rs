//! Runs many pytest collections from one Python process: the process imports pytest and
//! its plugins once, then forks a child per job, which enters the job's folder, sets
//! `sys.path[0]` as the command would (the `pytest` script's folder for bare `pytest`,
//! the current folder for `python -m pytest`) and calls `pytest.main`. Everything pytest
//! does from there (configuration, rootdir, conftests, imports) is its own, in a fresh
//! child; only the start-up cost is shared.
//!
//! The jobs run with `--collect-only --continue-on-collection-errors`: collection is
//! exactly a bare run's (pytest collects everything before it stops on errors), nothing
//! is executed, and the long "Interrupted" traceback is never rendered.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One pytest invocation.
pub struct PytestJob {
    /// Where it runs.
    pub dir: PathBuf,
    /// `python -m pytest` rather than the `pytest` command.
    pub module: bool,
    /// Extra arguments (`--ignore=…`).
    pub args: Vec<String>,
}

const DRIVER: &str = r#"
import gc, importlib, importlib.metadata, json, os, sys
import pytest
from _pytest.config import default_plugins

for name in default_plugins:
    importlib.import_module("_pytest." + name)
for entry in importlib.metadata.entry_points(group="pytest11"):
    try:
        importlib.import_module(entry.module)
    except Exception:
        pass

# Start-up objects never need collecting again: each child's `gc.collect()` (pytest
# runs some at exit) skips them.
gc.freeze()
script_dir = os.path.dirname(os.path.realpath(sys.argv[1]))
for job in json.load(open(sys.argv[2])):
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            fd = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.chdir(job["dir"])
            sys.path[0] = os.getcwd() if job["module"] else script_dir
            code = int(pytest.main(job["args"]))
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    with open(job["out"] + ".code", "w") as code_file:
        code_file.write(str(os.waitstatus_to_exitcode(status)))
"#;

/// What one job printed (stdout and stderr) and its exit code.
pub struct JobOutput {
    pub text: String,
    pub code: Option<i32>,
}

/// Runs `jobs` on `workers` Python processes in parallel; returns each job's output, in
/// order.
pub fn run_jobs(
    python: &Path,
    pytest: &Path,
    jobs: &[PytestJob],
    workers: usize,
) -> Vec<JobOutput> {
    let scratch = tempfile::tempdir().expect("scratch folder");
    let driver = scratch.path().join("driver.py");
    std::fs::write(&driver, DRIVER).expect("write driver");
    let out = |i: usize| scratch.path().join(format!("out{i}.txt"));
    let chunk = jobs.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        for (w, part) in jobs.chunks(chunk).enumerate() {
            let list: Vec<serde_json::Value> = part
                .iter()
                .enumerate()
                .map(|(i, job)| {
                    let mut args = vec![
                        "-p".to_string(),
                        "no:cacheprovider".into(),
                        "-q".into(),
                        "-W".into(),
                        "ignore".into(),
                        "--tb=short".into(),
                        "--collect-only".into(),
                        "--continue-on-collection-errors".into(),
                    ];
                    args.extend(job.args.iter().cloned());
                    serde_json::json!({
                        "dir": job.dir,
                        "module": job.module,
                        "args": args,
                        "out": out(w * chunk + i),
                    })
                })
                .collect();
            let list_file = scratch.path().join(format!("jobs{w}.json"));
            std::fs::write(&list_file, serde_json::to_string(&list).expect("json"))
                .expect("write jobs");
            let driver = &driver;
            scope.spawn(move || {
                let status = Command::new(python)
                    .arg(driver)
                    .arg(pytest)
                    .arg(&list_file)
                    .env_remove("PYTEST_ADDOPTS")
                    .env_remove("PYTHONPATH")
                    .env("PYTHONDONTWRITEBYTECODE", "1")
                    .status()
                    .expect("run the pytest driver");
                assert!(status.success(), "the pytest driver failed: {status}");
            });
        }
    });
    (0..jobs.len())
        .map(|i| JobOutput {
            text: std::fs::read_to_string(out(i)).unwrap_or_default(),
            code: std::fs::read_to_string(out(i).with_extension("txt.code"))
                .ok()
                .and_then(|c| c.trim().parse().ok()),
        })
        .collect()
}
