//! Differential test: laylint's PAR001 on templates against PyYAML's verdict. A template
//! must be PAR001 exactly when `yaml.load` with PyYAML's `SafeLoader` and the
//! CloudFormation short tags registered (what SAM CLI and cfn-lint do) cannot load it.
//! PyYAML's C loader (libyaml) accepts a little more than its pure-Python one (a tab
//! after a colon); laylint may accept that too, so the rule is: whatever the pure loader
//! loads, laylint loads; whatever laylint loads, the pure or the C loader loads.

mod common;

#[path = "yaml_ground_truth/generate.rs"]
mod generate;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use common::{TestRepo, in_ci, require_tool};

const TEMPLATES: usize = 1_500;
const SEED: u64 = 0x005E_ED0F_1A71;

/// PyYAML's verdicts on the files of `folder`: name → (pure, C).
fn pyyaml_verdicts(folder: &std::path::Path) -> Option<BTreeMap<String, (String, String)>> {
    let python = require_tool("python", "yaml_ground_truth")?;
    let has_yaml = Command::new(&python)
        .args(["-c", "import yaml"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_yaml {
        assert!(
            !in_ci(),
            "yaml_ground_truth: PyYAML is required in CI (pinned in .ci/requirements.txt)"
        );
        eprintln!(
            "SKIPPED yaml_ground_truth: PyYAML is not installed in {}",
            python.display()
        );
        return None;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/yaml_ground_truth/pyyaml_verdicts.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(folder)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "pyyaml_verdicts.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 verdicts");
    Some(
        text.lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let name = parts.next()?.to_string();
                let pure = parts.next()?.to_string();
                let c = parts.next()?.to_string();
                Some((name, (pure, c)))
            })
            .collect(),
    )
}

/// The templates laylint reports PAR001 on, from one run of the binary over them all.
fn laylint_par001(repo: &TestRepo) -> BTreeSet<String> {
    let run = repo.run(&[
        "check",
        // A template is read when a rule needs its handlers.
        "--select",
        "HDL,PAR001",
        "--output-format",
        "json-lines",
        "templates",
    ]);
    assert!(
        run.code == 0 || run.code == 1,
        "laylint failed: {}",
        run.stderr
    );
    run.stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|d| d["code"] == "PAR001")
        .filter_map(|d| {
            let path = d["path"].as_str()?;
            Some(path.strip_prefix("templates/")?.to_string())
        })
        .collect()
}

#[test]
fn par001_agrees_with_pyyaml_safe_loader() {
    let repo = TestRepo::empty();
    // Another seed explores further: LAYLINT_YAML_GT_SEED=<n>.
    let seed = std::env::var("LAYLINT_YAML_GT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut rng = generate::Rng::new(seed);
    let mut texts = BTreeMap::new();
    for i in 0..TEMPLATES {
        let name = format!("t{i:04}.yaml");
        let text = generate::template(&mut rng);
        repo.write(&format!("templates/{name}"), &text);
        texts.insert(name, text);
    }
    if let Some(keep) = std::env::var_os("LAYLINT_YAML_GT_KEEP") {
        common::copy_dir(&repo.path().join("templates"), std::path::Path::new(&keep));
    }
    let Some(pyyaml) = pyyaml_verdicts(&repo.path().join("templates")) else {
        return;
    };
    assert_eq!(pyyaml.len(), TEMPLATES, "a verdict per template");
    let par001 = laylint_par001(&repo);

    let mut disagreements = Vec::new();
    let (mut valid, mut invalid, mut c_only) = (0, 0, 0);
    for (name, (pure, c)) in &pyyaml {
        let pure_ok = pure == "ok";
        let c_ok = c == "ok";
        let laylint_ok = !par001.contains(name);
        if pure_ok {
            valid += 1;
        } else {
            invalid += 1;
            c_only += usize::from(c_ok);
        }
        let agrees = if laylint_ok {
            pure_ok || c_ok
        } else {
            !pure_ok
        };
        if !agrees {
            disagreements.push(format!(
                "{name}: laylint {}, PyYAML pure {pure}, C {c}\n{:?}",
                if laylint_ok { "loads" } else { "PAR001" },
                texts[name]
            ));
        }
    }
    let agreeing = TEMPLATES - disagreements.len();
    println!(
        "yaml_ground_truth: {TEMPLATES} templates, {valid} valid (PyYAML pure loads), {invalid} invalid \
         ({c_only} of them loaded by the C loader only); laylint agrees on {agreeing} ({:.1}%)",
        100.0 * agreeing as f64 / TEMPLATES as f64
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(
        valid >= TEMPLATES / 5 && invalid >= TEMPLATES / 5,
        "a mix of valid and invalid"
    );
}
