//! The composite action's shell steps, run locally with the wheel `tests/dist.rs` built.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{VERSION, common, manifest_dir, ok, text};

/// The composite action's `run:` scripts, in order, with its `env:` (the `${{ inputs.* }}`
/// expressions filled in) and GitHub's `GITHUB_PATH` protocol, installing from the wheel.
pub fn action_steps(python: &Path, wheels: &Path, work: &Path) {
    // PyYAML comes with pre-commit in the test venv.
    let script = r#"
import json, re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
inputs = {k: v.get("default", "") for k, v in action["inputs"].items()}
inputs.update(json.loads(sys.argv[2]))
def fill(text):
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(text))
steps = []
for step in action["runs"]["steps"]:
    cond = step.get("if")
    if cond is not None:
        m = re.fullmatch(r"inputs\.([\w-]+) != ''", cond.strip())
        assert m, cond
        if inputs[m.group(1)] == "":
            continue
    assert step["shell"] == "bash"
    steps.append({"run": step["run"], "env": {k: fill(v) for k, v in step.get("env", {}).items()}})
print(json.dumps(steps))
"#;
    let project = work.join("action-project");
    common::copy_dir(&manifest_dir().join("examples/serverless-app"), &project);
    let inputs = serde_json::json!({
        "version": VERSION,
        "src": ".",
        "args": "--fail-on error",
        "sarif-file": "laylint.sarif",
    });
    let out = ok(Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(manifest_dir().join("action.yml"))
        .arg(inputs.to_string()));
    let steps: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(steps.len(), 3, "install, SARIF, check");

    let runner_temp = work.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let github_path = work.join("github-path");
    std::fs::write(&github_path, "").unwrap();
    let mut last = None;
    for step in &steps {
        // Each step sees PATH with the folders earlier steps appended to GITHUB_PATH first.
        let added: Vec<PathBuf> = std::fs::read_to_string(&github_path)
            .unwrap()
            .lines()
            .rev()
            .map(PathBuf::from)
            .collect();
        let path = std::env::join_paths(added.into_iter().chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .unwrap();
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", step["run"].as_str().unwrap()])
            .current_dir(&project)
            .env("PATH", path)
            .env("RUNNER_TEMP", &runner_temp)
            .env("GITHUB_PATH", &github_path)
            .env("PIP_FIND_LINKS", wheels)
            .env("PIP_NO_INDEX", "1")
            .env_remove("LAYLINT_OUTPUT_FORMAT");
        for (key, value) in step["env"].as_object().unwrap() {
            command.env(key, value.as_str().unwrap());
        }
        last = Some(command.output().unwrap());
        let output = last.as_ref().unwrap();
        if step != steps.last().unwrap() {
            assert!(output.status.success(), "step failed:\n{}", text(output));
        }
    }
    let check = last.unwrap();
    let out = text(&check);
    assert_eq!(
        check.status.code(),
        Some(1),
        "the example has an error:\n{out}"
    );
    assert!(
        out.contains("::error file=functions/multiply/handler.py,title=laylint (TYP003)::"),
        "{out}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("laylint.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "TYP003");
}
