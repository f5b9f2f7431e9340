//! Handler discovery for the Python-side deployment tools (Pulumi, CDK for Terraform,
//! Chalice, Zappa): one snapshot of the handler rules per fixture under
//! `tests/fixtures/tools/<tool>/`, and the `--show-handlers` listing.

mod common;

/// Every fixture of `tool`, each report a snapshot.
fn check_tool(tool: &str) {
    for (name, report) in common::tools::reports(tool, 2) {
        insta::assert_snapshot!(name, report);
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
