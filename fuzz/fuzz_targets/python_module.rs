//! Fuzzes handler module analysis (and setup.py reading): arbitrary text in an in-memory repository.
#![no_main]

#[path = "support.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let repo = support::repo(&[("app.py", text), ("setup.py", text), ("template.yaml", support::TEMPLATE)]);
    let _ = repo.resolved_handlers();
    let _ = repo.projects();
});
