//! Handler discovery for every tool (Serverless Framework, CDK Python, Terraform, and a
//! repository that mixes all five): one snapshot of the handler rules per fixture, and
//! the `--show-handlers` listing.

mod common;

use common::TestRepo;

/// Every fixture of `tool`, each report a snapshot.
fn check_tool(tool: &str) {
    for (name, report) in common::tools::reports(tool, 1) {
        insta::assert_snapshot!(name, report);
    }
}

#[test]
fn serverless_framework() {
    check_tool("serverless");
}

#[test]
fn cdk_python() {
    check_tool("cdk");
}

#[test]
fn terraform() {
    check_tool("terraform");
}

#[test]
fn cdk_typescript() {
    check_tool("cdk_ts");
}

#[test]
fn terraform_modules() {
    check_tool("terraform_modules");
}

#[test]
fn one_run_over_all_five_tools() {
    check_tool("mixed");
    let repo = TestRepo::fixture("tools/mixed/fail_all_five");
    let listing = repo.run(&["check", "--show-handlers"]).stdout;
    for tool in [
        "SAM ",
        "CloudFormation ",
        "Serverless ",
        "CDK ",
        "Terraform ",
    ] {
        assert!(listing.contains(tool), "{tool} missing:\n{listing}");
    }
    let out = repo.concise(&["--select", "HDL002"]);
    for file in [
        "sam/template.yaml",
        "cfn/stack.yaml",
        "sls/serverless.yml",
        "cdk/app.py",
        "tf/main.tf",
    ] {
        assert!(
            out.contains(&format!("{file}:")),
            "no HDL002 in {file}:\n{out}"
        );
    }
}

#[test]
fn cdk_seed_000_project_structure_resolves() {
    let repo = TestRepo::fixture("seeds/seed_000_cdk_project_structure");
    let listing = repo.run(&["check", "--show-handlers"]).stdout;
    assert!(
        listing.contains("backend/api/infrastructure.py")
            && listing
                .contains("lambda_function.lambda_handler [code root: backend/api/runtime] ok"),
        "{listing}"
    );
}
