//! Running laylint on hostile input: a watchdog for hangs and a memory ceiling, both
//! measured, never timed as an assertion. A run that hangs or grows past the ceiling is
//! killed and the test fails saying which.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A run past this is a hang.
pub const WATCHDOG: Duration = Duration::from_secs(300);
/// Resident memory past this is a memory bomb (KiB).
pub const MEMORY_CEILING_KIB: u64 = 1024 * 1024;

pub struct Guarded {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory seen (KiB, from `/proc/<pid>/status`; 0 where there is none).
    pub peak_kib: u64,
}

/// `laylint <args>` in `dir`, with stdout to `stdout` (a pipe when `None`).
pub fn laylint(dir: &Path, args: &[&str], stdout: Option<Stdio>) -> Guarded {
    let mut command = Command::new(env!("CARGO_BIN_EXE_laylint"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("LAYLINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1")
        .env("LAYLINT_TODAY", "2026-01-01")
        .stdin(Stdio::null())
        .stdout(stdout.unwrap_or_else(Stdio::piped))
        .stderr(Stdio::piped());
    wait(command.spawn().expect("spawn laylint"))
}

/// Waits for `child`, sampling its memory; kills it on a hang or a memory bomb.
pub fn wait(mut child: Child) -> Guarded {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let mut peak_kib = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        let (peak, now) = memory_kib(child.id());
        peak_kib = peak_kib.max(peak);
        if now > MEMORY_CEILING_KIB {
            let _ = child.kill();
            let _ = child.wait();
            panic!("laylint grew past {MEMORY_CEILING_KIB} KiB on hostile input (memory bomb)");
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("laylint hung on hostile input (killed by the watchdog)");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = err.join().unwrap_or_default();
    assert_ne!(status.code(), Some(101), "laylint panicked: {stderr}");
    Guarded {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr,
        peak_kib,
    }
}

/// `(VmHWM, VmRSS)` of a running process, in KiB.
pub fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}
