//! Under `strace -f`, laylint run over every hostile repository opens nothing outside the
//! root but the binary's own libraries and the system files named in [`ALLOWED`]. `-y`
//! makes strace print the path each descriptor really refers to, so an open relative to a
//! folder descriptor, or through a folder swapped for a symlink, shows where it landed.
//! Mandatory in CI (`CI=true`); skipped elsewhere only when `strace` is missing.
#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::guard;
use common::hostile;

/// What laylint may open outside the root, and why.
const ALLOWED: &[&str] = &[
    // The dynamic loader and the binary's shared libraries.
    "/etc/ld.so.cache",
    "/lib/",
    "/lib64/",
    "/usr/lib/",
    "/usr/lib64/",
    // The standard library and rayon size the thread pool from the CPU quota.
    "/proc/self/",
    "/sys/fs/cgroup/",
    "/sys/devices/system/cpu/",
    // mimalloc reads the kernel's overcommit and huge-page policies.
    "/proc/sys/vm/overcommit_memory",
    "/sys/kernel/mm/transparent_hugepage/",
    // Stdin, set to /dev/null by the test.
    "/dev/null",
];

fn strace() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("strace"))
        .find(|candidate| candidate.is_file())
}

/// The paths opened successfully, from `strace -y` output.
fn opened(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| {
            let result = &line[line.rfind(") = ")? + 4..];
            let start = result.find('<')?;
            let end = result.rfind('>')?;
            Some(result.get(start + 1..end)?.to_string())
        })
        .collect()
}

fn allowed(path: &str, root: &Path, pid_dirs: &[String]) -> bool {
    Path::new(path).starts_with(root)
        || ALLOWED
            .iter()
            .any(|a| path == *a || (a.ends_with('/') && path.starts_with(a)))
        || pid_dirs.iter().any(|p| path.starts_with(p.as_str()))
}

#[test]
fn no_open_outside_the_root() {
    let Some(strace) = strace() else {
        assert!(
            !common::in_ci(),
            "strace is required in CI (apt-get install strace)"
        );
        eprintln!("skipped: strace is not installed");
        return;
    };
    for h in hostile::all() {
        let root = h.repo.path().canonicalize().unwrap();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(&strace)
            .args(["-f", "-y", "-qq", "-e", "trace=open,openat,openat2,creat"])
            .args(["-e", "status=successful", "-o"])
            .arg(log.path())
            .arg("--")
            .arg(env!("CARGO_BIN_EXE_laylint"))
            .args(&h.args)
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run strace");
        let run = guard::wait(child);
        let log = std::fs::read_to_string(log.path()).unwrap();
        let opened = opened(&log);
        assert!(
            !opened.is_empty(),
            "{}: strace saw no open: {}",
            h.name,
            run.stderr
        );
        // `/proc/self` as the kernel names it: `/proc/<pid>` (a thread's too).
        let pid_dirs: Vec<String> = log
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|pid| pid.chars().all(|c| c.is_ascii_digit()))
            .map(|pid| format!("/proc/{pid}/"))
            .collect();
        let outside: Vec<&String> = opened
            .iter()
            .filter(|p| !allowed(p, &root, &pid_dirs))
            .collect();
        assert!(
            outside.is_empty(),
            "{}: opened outside the root: {outside:#?}",
            h.name
        );
    }
}
