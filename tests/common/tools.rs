//! The deployment-tool fixtures (`tests/fixtures/tools/<tool>/{pass_*,fail_*}`), run the
//! same way for every tool: the handler rules and the `--show-handlers` listing.

use super::{TestRepo, fixtures_dir};

const SELECT: &[&str] = &["--select", "HDL,INF001,PAR001"];

/// Runs every fixture of `tool` (at least `min` of them), asserts that a `pass_` one
/// reports nothing but INF001, a `fail_` one an HDL finding, and that both list
/// handlers; returns each fixture's name and report, for the caller's snapshot.
pub fn reports(tool: &str, min: usize) -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join("tools").join(tool))
        .expect("fixture folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= min, "{tool}: too few fixtures");
    names
        .into_iter()
        .map(|name| {
            let repo = TestRepo::fixture(&format!("tools/{tool}/{name}"));
            let out = repo.concise(SELECT);
            let listing = repo.run(&["check", "--show-handlers"]).stdout;
            if name.starts_with("pass_") {
                assert!(
                    out.lines().all(|l| l.contains("INF001")),
                    "tools/{tool}/{name} should pass:\n{out}"
                );
            } else {
                assert!(
                    out.lines().any(|l| l.contains(": HDL")),
                    "tools/{tool}/{name} should report:\n{out}"
                );
            }
            assert!(!listing.starts_with("0 handler declarations"), "{listing}");
            let report = format!(
                "$ laylint check {}\n{out}\n$ laylint check --show-handlers\n{listing}",
                SELECT.join(" ")
            );
            (format!("{tool}__{name}"), report)
        })
        .collect()
}
