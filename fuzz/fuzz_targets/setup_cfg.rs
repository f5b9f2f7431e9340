//! Fuzzes setup.cfg reading (projects, mypy settings): arbitrary text in an in-memory repository.
#![no_main]

#[path = "support.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let repo = support::repo(&[("setup.cfg", text), ("layer/shared/__init__.py", "")]);
    let _ = repo.projects();
    let _ = repo.mypy_modules();
});
