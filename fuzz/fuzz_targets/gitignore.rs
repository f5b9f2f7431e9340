//! Fuzzes ignore files: `.gitignore` text for the root and a subfolder, capped and parsed
//! as the walk does, then matched against paths taken from the same input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laylint::paths::RelPath;
use laylint::walk::ignore_files::{Rules, parse};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (root_text, sub_text) = text.split_once('\0').unwrap_or((&text, ""));
    // A read cut at the cap drops its partial last line.
    let _ = parse(&RelPath::root(), root_text, true);
    let sub = RelPath::parse("svc/sub").unwrap();
    let rules = Rules::from_texts(&[(RelPath::root(), root_text), (sub.clone(), sub_text)]);
    for line in root_text.lines().chain(sub_text.lines()).take(64) {
        let name: String = line.chars().filter(|c| *c != '/' && *c != '\\').take(64).collect();
        if name.is_empty() || name == "." || name == ".." {
            continue;
        }
        for dir in [RelPath::root(), sub.clone()] {
            let path = dir.child(&name);
            let _ = rules.is_ignored(&path, false);
            let _ = rules.is_ignored(&path, true);
        }
    }
});
