//! Fuzzes template extraction and handler resolution: arbitrary text in an in-memory repository.
#![no_main]

#[path = "support.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let repo = support::repo(&[("template.yaml", text), ("src/app.py", "def handler(event, context): ...\n")]);
    let _ = repo.resolved_handlers();
});
