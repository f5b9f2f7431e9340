//! Handler discovery for the Python-side deployment tools (Pulumi, CDK for Terraform,
//! Chalice, Zappa): one snapshot of the handler rules per fixture under
//! `tests/fixtures/tools/<tool>/`, and the `--show-handlers` listing.

mod common;

use common::{TestRepo, fixtures_dir};

const SELECT: &[&str] = &["--select", "HDL,INF001,PAR001"];

fn check_tool(tool: &str) {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join("tools").join(tool))
        .expect("fixture folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{tool}: too few fixtures");
    for name in names {
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
        insta::assert_snapshot!(
            format!("{tool}__{name}"),
            format!(
                "$ laylint check {}\n{out}\n$ laylint check --show-handlers\n{listing}",
                SELECT.join(" ")
            )
        );
    }
}

#[test]
fn pulumi_python() {
    check_tool("pulumi");
}

#[test]
fn cdktf_python() {
    check_tool("cdktf");
}

#[test]
fn chalice() {
    check_tool("chalice");
}

#[test]
fn zappa() {
    check_tool("zappa");
}
