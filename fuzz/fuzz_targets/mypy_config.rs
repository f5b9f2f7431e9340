//! Fuzzes mypy.ini reading and the module mapping: arbitrary text in an in-memory repository.
#![no_main]

#[path = "support.rs"]
mod support;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let repo = support::repo(&[("mypy.ini", text), ("functions/a/handler.py", ""), ("functions/b/handler.py", "")]);
    let _ = repo.mypy_modules();
});
