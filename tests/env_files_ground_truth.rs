//! Differential test: IAC002 against `git check-ignore` on generated layouts. A dotenv file
//! (`.env`, `.env.<name>`, not a template) must be reported exactly when git says no
//! `.gitignore` covers it, with and without `--no-respect-gitignore`.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use common::rng::Rng;
use common::{TestRepo, in_ci};

const LAYOUTS: usize = 40;
const SEED: u64 = 0x001A_C002;

const FOLDERS: [&str; 5] = ["", "svc", "svc/api", "infra", "infra/envs"];
const NAMES: [&str; 10] = [
    ".env",
    ".env.local",
    ".env.production",
    ".env.example",
    ".env.local.sample",
    ".env.dist",
    ".env.TEMPLATE",
    ".envrc",
    "prod.env",
    ".env.dev.local",
];
const PATTERNS: [&str; 14] = [
    ".env",
    ".env*",
    ".env.*",
    "!.env.example",
    "!.env.local",
    "/.env",
    "*.local",
    "svc/",
    "**/.env.production",
    "api/.env",
    "# .env",
    "!.env",
    "*.env",
    "infra/envs/",
];

/// The names that are dotenv files of values, written independently of laylint's code.
fn is_values_file(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(".env") else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let Some(parts) = rest.strip_prefix('.') else {
        return false;
    };
    !parts.split('.').any(|p| {
        ["example", "sample", "template", "dist"].contains(&p.to_ascii_lowercase().as_str())
    })
}

fn git_ignored(root: &std::path::Path, paths: &[String]) -> Option<BTreeSet<String>> {
    let home = tempfile::tempdir().expect("temp home");
    let mut child = Command::new("git")
        .args(["check-ignore", "--no-index", "--stdin"])
        .current_dir(root)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take().expect("stdin");
    for path in paths {
        writeln!(stdin, "{path}").expect("write");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("git check-ignore");
    // Exit 1: nothing ignored.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "git check-ignore failed"
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

fn reported(repo: &TestRepo, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec![
        "check",
        "--select",
        "IAC002",
        "--output-format",
        "json",
        "--exit-zero",
    ];
    args.extend_from_slice(extra);
    let out = repo.run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect()
}

#[test]
fn iac002_agrees_with_git_check_ignore() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(!in_ci(), "env_files_ground_truth: git is required in CI");
        eprintln!("SKIPPED env_files_ground_truth: git not found");
        return;
    }
    let mut rng = Rng::new(SEED);
    let mut checked = 0;
    for layout in 0..LAYOUTS {
        let repo = TestRepo::empty();
        // A real repository: `git check-ignore` needs one.
        std::fs::remove_dir(repo.path().join(".git")).expect("remove the empty .git");
        let init = Command::new("git")
            .args(["init", "-q"])
            .current_dir(repo.path())
            .status();
        assert!(init.is_ok_and(|s| s.success()), "git init");
        let mut files = Vec::new();
        for folder in FOLDERS {
            if rng.chance(40) {
                let lines: Vec<&str> = (0..1 + rng.next() % 3)
                    .map(|_| rng.pick(&PATTERNS))
                    .collect();
                let path = if folder.is_empty() {
                    ".gitignore".to_string()
                } else {
                    format!("{folder}/.gitignore")
                };
                repo.write(&path, &(lines.join("\n") + "\n"));
            }
            for name in NAMES {
                if rng.chance(35) {
                    let path = if folder.is_empty() {
                        name.to_string()
                    } else {
                        format!("{folder}/{name}")
                    };
                    repo.write(&path, "KEY=value\n");
                    files.push(path);
                }
            }
        }
        let Some(ignored) = git_ignored(repo.path(), &files) else {
            return;
        };
        let expected: BTreeSet<String> = files
            .iter()
            .filter(|p| is_values_file(p.rsplit('/').next().unwrap_or(p)) && !ignored.contains(*p))
            .cloned()
            .collect();
        for extra in [&[][..], &["--no-respect-gitignore"][..]] {
            let got = reported(&repo, extra);
            assert_eq!(
                got, expected,
                "layout {layout} {extra:?}: files {files:?}, git ignores {ignored:?}"
            );
        }
        checked += files.len();
    }
    eprintln!("env_files_ground_truth: {checked} files in {LAYOUTS} layouts agree with git");
}
