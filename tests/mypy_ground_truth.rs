//! Differential test: laylint's TYP003/TYP005/TYP006 verdicts against real mypy on
//! generated layouts.
//!
//! Each layout is written to a fresh repository, `mypy` is run at its root (with no
//! arguments when the configuration sets `files`, else `mypy .`), and mypy's first blocking
//! error is classified. mypy stops at the first problem, so per layout we compare "has a
//! duplicate / has an invalid package name", and where mypy names a pair, that laylint
//! names the same pair. Where mypy stops on a `files` entry that names nothing, laylint
//! must report TYP006 for it. Layouts with several projects are also checked through a
//! sub-folder run, which must show exactly the whole run's diagnostics under it.

mod common;

use std::process::Command;

use common::{TestRepo, require_tool};

#[path = "mypy_ground_truth/layouts.rs"]
mod layouts;
#[path = "mypy_ground_truth/multi.rs"]
mod multi;

use layouts::{generated, handwritten};

#[derive(Debug, PartialEq)]
enum Verdict {
    Ok,
    Duplicate {
        module: String,
        pair: [String; 2],
    },
    FoundTwice([String; 2]),
    InvalidName(String),
    /// A `files` entry that gives mypy nothing to read.
    Missing(String),
    /// mypy refused its settings before looking at files.
    Refused,
    Other(String),
}

fn clean(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn classify_mypy(output: &str, code: i32, has_files_setting: bool) -> Verdict {
    for line in output.lines() {
        if let Some((entry, _)) = line.split_once(": error: Cannot read file: No such file") {
            return Verdict::Missing(entry.to_string());
        }
        if has_files_setting
            && let Some(dir) = between(line, "There are no .py[i] files in directory '", "'")
        {
            return Verdict::Missing(dir.to_string());
        }
        if let Some((file, rest)) = line.split_once(": error: Duplicate module named \"") {
            let module = rest.split('"').next().unwrap_or_default().to_string();
            let other = between(rest, "(also at \"", "\")").unwrap_or_default();
            return Verdict::Duplicate {
                module,
                pair: [clean(file), clean(other)],
            };
        }
        if line.contains("Source file found twice under different module names") {
            let names: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            if let [a, b] = names.as_slice() {
                return Verdict::FoundTwice([a.to_string(), b.to_string()]);
            }
        }
        if let Some((name, _)) = line.split_once(" contains __init__.py") {
            return Verdict::InvalidName(name.to_string());
        }
        if let Some((name, _)) = line.split_once(" contains __init__.pyi") {
            return Verdict::InvalidName(name.to_string());
        }
    }
    if output.contains("Can only use --explicit-package-bases with --namespace-packages") {
        return Verdict::Refused;
    }
    if code == 0 || output.contains("There are no .py[i] files") {
        Verdict::Ok
    } else {
        Verdict::Other(output.to_string())
    }
}

struct Laylint {
    duplicates: Vec<(String, String, Vec<String>)>,
    invalid: Vec<String>,
    missing: Vec<String>,
    /// Every diagnostic as (path, code, message).
    all: std::collections::BTreeSet<(String, String, String)>,
}

fn run_laylint(repo: &TestRepo, path: Option<&str>) -> Laylint {
    let mut args = vec![
        "check",
        "--output-format",
        "json",
        "--select",
        "TYP003,TYP005,TYP006",
        "--exit-zero",
    ];
    args.extend(path);
    let out = repo.run(&args);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("laylint json: {e}\n{}\n{}", out.stdout, out.stderr));
    let mut result = Laylint {
        duplicates: Vec::new(),
        invalid: Vec::new(),
        missing: Vec::new(),
        all: std::collections::BTreeSet::new(),
    };
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        let message = d["message"].as_str().unwrap_or_default().to_string();
        result.all.insert((
            d["path"].as_str().unwrap_or_default().to_string(),
            d["code"].as_str().unwrap_or_default().to_string(),
            message.clone(),
        ));
        match d["code"].as_str() {
            Some("TYP003") => {
                let related = d["related"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r["path"].as_str().map(str::to_string))
                    .collect();
                let path = d["path"].as_str().unwrap_or_default().to_string();
                result.duplicates.push((path, message, related));
            }
            Some("TYP005") => result.invalid.push(message),
            Some("TYP006") => result.missing.push(message),
            _ => {}
        }
    }
    result
}

/// Why laylint disagrees with mypy on one layout, if it does.
fn disagreement(mypy: &Verdict, laylint: &Laylint) -> Option<String> {
    let has_invalid = !laylint.invalid.is_empty();
    let has_duplicate = !laylint.duplicates.is_empty();
    if matches!(mypy, Verdict::Ok) && !laylint.missing.is_empty() {
        return Some("laylint reports TYP006, mypy read every target".into());
    }
    match mypy {
        Verdict::Missing(entry) => (!laylint
            .missing
            .iter()
            .any(|m| m.contains(&format!("`{entry}`"))))
        .then(|| format!("mypy: `files` entry {entry} gives nothing to read")),
        Verdict::Ok => (has_invalid || has_duplicate).then(|| "mypy passes".to_string()),
        Verdict::Refused => (has_invalid || has_duplicate)
            .then(|| "mypy refuses explicit_package_bases without namespace_packages".to_string()),
        Verdict::InvalidName(name) => (!laylint
            .invalid
            .iter()
            .any(|m| m.starts_with(&format!("{name} contains"))))
        .then(|| format!("mypy: invalid package name {name}")),
        Verdict::Duplicate { module, pair } => {
            // mypy names a missing `files` entry before it tries to read it: the missing
            // entry is the cause, and TYP006 reports it.
            let missing = |path: &String| {
                laylint
                    .missing
                    .iter()
                    .any(|m| m.contains(&format!("`{path}`")))
            };
            if pair.iter().any(missing) {
                return None;
            }
            if has_invalid {
                return Some("laylint reports TYP005, mypy got past source finding".into());
            }
            let named = laylint.duplicates.iter().any(|(path, message, related)| {
                // The same file reached twice through `files` is reported at the setting.
                let listed_twice = pair[0] == pair[1]
                    && message.contains(&format!("`files` reaches `{}` twice", pair[0]));
                message.starts_with(&format!("Duplicate module named \"{module}\""))
                    && (listed_twice
                        || (pair.contains(path)
                            && pair.iter().all(|p| p == path || related.contains(p))))
            });
            (!named).then(|| format!("mypy: duplicate {module} {pair:?}"))
        }
        Verdict::FoundTwice([a, b]) => {
            if has_invalid {
                return Some("laylint reports TYP005, mypy got past source finding".into());
            }
            let named = laylint.duplicates.iter().any(|(_, message, _)| {
                message.starts_with("Source file found twice")
                    && message.contains(&format!("\"{a}\""))
                    && message.contains(&format!("\"{b}\""))
            });
            (!named).then(|| format!("mypy: found twice {a} / {b}"))
        }
        Verdict::Other(text) => Some(format!("mypy failed unexpectedly:\n{text}")),
    }
}

#[test]
fn laylint_agrees_with_mypy_on_module_mapping() {
    let Some(mypy) = require_tool("mypy", "laylint_agrees_with_mypy_on_module_mapping") else {
        return;
    };
    let home = tempfile::tempdir().expect("temp home");
    let mut layouts = handwritten();
    layouts.extend(generated(60));
    layouts.extend(multi::missing_targets());
    layouts.extend(multi::multi_project(40));
    let mut subfolder_runs = 0;
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut failures = Vec::new();
    for layout in &layouts {
        let repo = TestRepo::empty();
        if layout.subfolder.is_some() {
            // A copy without `.git`, as repositories are often linted.
            std::fs::remove_dir(repo.path().join(".git")).expect("remove .git");
        }
        for (path, text) in &layout.files {
            repo.write(path, text);
        }
        let mut command = Command::new(&mypy);
        command
            .args([
                "--no-incremental",
                "--cache-dir=/dev/null",
                "--ignore-missing-imports",
            ])
            .current_dir(repo.path())
            .env("HOME", home.path())
            .env_remove("MYPYPATH")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("MYPY_CACHE_DIR");
        if !layout.has_files_setting {
            command.arg(".");
        }
        let output = command.output().expect("run mypy");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let verdict = classify_mypy(
            &text,
            output.status.code().unwrap_or(-1),
            layout.has_files_setting,
        );
        *counts
            .entry(match verdict {
                Verdict::Ok => "ok",
                Verdict::Duplicate { .. } => "duplicate module",
                Verdict::FoundTwice(_) => "found twice",
                Verdict::InvalidName(_) => "invalid package name",
                Verdict::Missing(_) => "target missing",
                Verdict::Refused => "settings refused",
                Verdict::Other(_) => "other",
            })
            .or_default() += 1;
        let laylint = run_laylint(&repo, None);
        let mut why = disagreement(&verdict, &laylint);
        if let Some(sub) = &layout.subfolder {
            subfolder_runs += 1;
            let part = run_laylint(&repo, Some(sub));
            let under: std::collections::BTreeSet<_> = laylint
                .all
                .iter()
                .filter(|(path, _, _)| path.starts_with(&format!("{sub}/")))
                .cloned()
                .collect();
            if part.all != under {
                why = Some(format!(
                    "`laylint check {sub}` shows {:?}, the whole run {under:?}",
                    part.all
                ));
            }
        }
        if let Some(why) = why {
            let files: Vec<&str> = layout.files.iter().map(|(p, _)| p.as_str()).collect();
            let config: Vec<String> = layout
                .files
                .iter()
                .filter(|(p, _)| !p.ends_with(".py") && !p.ends_with(".pyi"))
                .map(|(p, t)| format!("--- {p}\n{t}"))
                .collect();
            failures.push(format!(
                "{}: {why}\n  files: {files:?}\n{}\n  laylint TYP003: {:?}\n  laylint TYP005: {:?}\n  laylint TYP006: {:?}\n  mypy: {}",
                layout.name,
                config.join("\n"),
                laylint.duplicates,
                laylint.invalid,
                laylint.missing,
                text.trim()
            ));
        }
    }
    let agreed = layouts.len() - failures.len();
    println!(
        "mypy ground truth: {} layouts ({subfolder_runs} also run on a sub-folder), laylint \
         agrees on {agreed} ({counts:?})",
        layouts.len()
    );
    assert!(
        failures.is_empty(),
        "laylint disagrees with mypy on {} of {} layouts:\n\n{}",
        failures.len(),
        layouts.len(),
        failures.join("\n\n")
    );
    assert!(layouts.len() >= 40);
}
