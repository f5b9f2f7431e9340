//! `.ci/test-fast` leaves out the ground-truth targets by name: every test file that looks
//! for an outside tool (through `require_tool` / `python_tool`, or strace) must be on that
//! list, or the fast subset would start running (or skipping) real tools.

use std::path::Path;

#[test]
fn every_target_that_runs_a_tool_is_left_out_of_the_fast_subset() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join(".ci/test-fast")).expect(".ci/test-fast");
    let listed: Vec<&str> = script
        .split("ground_truth=(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("a ground_truth=( … ) list")
        .split_whitespace()
        .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).expect("tests/") {
        let path = entry.expect("entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // This file names the calls it looks for.
        if path.extension().is_none_or(|e| e != "rs") || name == "test_targets" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read test file");
        let runs_a_tool = ["require_tool(", "python_tool(", "\"strace\""]
            .iter()
            .any(|call| text.contains(call));
        if runs_a_tool && !listed.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "add to ground_truth in .ci/test-fast (and the README's list): {missing:?}"
    );
    for name in &listed {
        assert!(
            root.join("tests").join(format!("{name}.rs")).is_file(),
            ".ci/test-fast lists {name}, which is no test target"
        );
    }
}
