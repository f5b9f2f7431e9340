//! `gitlab`: GitLab Code Quality JSON, with fingerprints that stay stable while lines move.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::json;

use super::DisplayPaths;
use crate::diagnostic::{Diagnostic, Severity};

/// FNV-1a: tiny, and the same on every platform and Rust release.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn write(
    diagnostics: &[Diagnostic],
    paths: &DisplayPaths,
    out: &mut dyn Write,
) -> io::Result<()> {
    // The fingerprint leaves out line numbers; identical findings in one file are told apart by their order.
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let issues: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let base = fnv1a(&format!("{}\0{}\0{}", d.code, d.location.path, d.message));
            let nth = seen.entry(base).or_default();
            let fingerprint = format!("{:016x}", fnv1a(&format!("{base:016x}\0{nth}")));
            *nth += 1;
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let begin = d.start.map_or(1, |s| s.line);
            let end = d.end.map_or(begin, |e| e.line);
            json!({
                "description": format!("{} {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {"path": paths.show(&d.location.path), "lines": {"begin": begin, "end": end}},
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
