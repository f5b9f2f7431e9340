//! Hostile repositories, round 2: configuration and ignore files that are symlinks, FIFOs
//! or devices, reads and writes outside the root, and silence where a finding is owed.
//! Every run has a watchdog and a memory ceiling (`common::guard`); nothing is timed.
#![cfg(unix)]

mod common;

use std::process::Stdio;

use common::guard::{self, Guarded};
use common::hostile::{self, CANARY, Hostile};
use serde_json::Value;

fn run(h: &Hostile) -> Guarded {
    let run = guard::laylint(h.repo.path(), &h.args, None);
    assert!(
        !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
        "{}: read a file outside the root:\n{}{}",
        h.name,
        run.stdout,
        run.stderr
    );
    run
}

fn par001(doc: &Value, path: &str) -> Option<String> {
    doc["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["path"] == path && d["code"] == "PAR001")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
}

/// The peak memory a run may reach on any of these repositories (KiB).
const SMALL_KIB: u64 = 256 * 1024;

#[test]
fn configuration_files_are_never_followed_and_never_block() {
    for h in hostile::config_files() {
        let run = run(&h);
        assert!(run.peak_kib < SMALL_KIB, "{}: {} KiB", h.name, run.peak_kib);
        if h.name.starts_with("pyproject") {
            // Not laylint's own file: the run goes on (the rules report what they need).
            assert!(matches!(run.code, 0 | 1), "{}: {}", h.name, run.stderr);
            continue;
        }
        assert_eq!(run.code, 2, "{}: {}", h.name, run.stderr);
        assert!(
            run.stderr.contains("cannot read config file")
                && run.stderr.contains("not a regular file"),
            "{}: {}",
            h.name,
            run.stderr
        );
    }
}

#[test]
fn explicit_config_fifo_does_not_block() {
    let h = hostile::config_files().pop().unwrap();
    hostile::mkfifo(&h.repo.path().join("other.toml"));
    let run = guard::laylint(h.repo.path(), &["check", "--config", "other.toml"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

#[test]
fn ignore_files_are_read_safely_and_a_git_file_is_not_followed() {
    let h = hostile::ignore_files();
    let run = run(&h);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The `.git` file's `gitdir` (outside the root) says `src/`: it must not hide it.
    let files: Vec<&str> = run.stdout.lines().collect();
    for kept in ["src/app.py", "sub/kept.py", "sub2/kept.py"] {
        assert!(files.contains(&kept), "{kept} missing: {files:?}");
    }
    let json = guard::laylint(h.repo.path(), &["check", "--output-format", "json"], None);
    let doc: Value = serde_json::from_str(&json.stdout).expect("JSON");
    for path in [".gitignore", "sub/.ignore", "sub2/.gitignore"] {
        let message = par001(&doc, path).unwrap_or_else(|| panic!("{path}: {doc:#}"));
        assert!(message.contains("patterns are not applied"), "{message}");
    }
}

#[test]
fn a_huge_gitignore_is_capped_and_reported() {
    let h = hostile::huge_gitignore();
    let run = run(&h);
    assert!(run.peak_kib < SMALL_KIB, "{} KiB", run.peak_kib);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let message = par001(&doc, ".gitignore").expect("the capped .gitignore is reported");
    assert!(message.contains("only its first patterns"), "{message}");
}

#[test]
fn a_symlinked_path_argument_is_refused() {
    let h = hostile::symlinked_path_argument();
    let run = run(&h);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is a symlink"), "{}", run.stderr);
    // A symlinked folder named on the command line is not followed either.
    std::os::unix::fs::symlink(h.outside.path(), h.repo.path().join("linked")).unwrap();
    let run = guard::laylint(h.repo.path(), &["check", "linked/"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.peak_kib < SMALL_KIB);
}

#[test]
fn init_never_writes_through_a_symlink() {
    let h = hostile::init_through_symlink();
    let run = run(&h);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let outside = std::fs::read_to_string(h.outside.path().join("pyproject.toml")).unwrap();
    assert_eq!(
        outside,
        format!("# {CANARY}\n"),
        "the file outside was changed"
    );
    assert!(run.stderr.contains("not changing it"), "{}", run.stderr);
    // A plain file is still appended to, atomically, keeping what was there.
    let plain = common::TestRepo::with_files(&[("pyproject.toml", "[project]\nname = \"a\"\n")]);
    let run = guard::laylint(plain.path(), &["init", "--pyproject"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(plain.path().join("pyproject.toml")).unwrap();
    assert!(
        text.starts_with("[project]\nname = \"a\"\n\n[tool.laylint]\n"),
        "{text}"
    );
}

#[test]
fn unreadable_handlers_code_roots_and_templates_are_findings() {
    let h = hostile::handlers();
    let run = run(&h);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    for (path, words) in [
        ("linked", "symlink"),
        ("src/evil.py", "symlink"),
        ("src/fifo.py", "not a regular file"),
        ("src/sock.py", "not a regular file"),
        ("utf16/template.yaml", "UTF-16"),
    ] {
        let message = par001(&doc, path).unwrap_or_else(|| panic!("{path}: {doc:#}"));
        assert!(message.contains(words), "{path}: {message}");
    }
}

#[test]
fn an_unreadable_template_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let repo = common::TestRepo::with_files(&[(
        "template.yaml",
        &format!(
            "{}Resources:\n{}",
            hostile::SAM_HEAD,
            hostile::function("F", "src/", "a.h")
        ),
    )]);
    let path = repo.path().join("template.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: running as root, every file is readable");
        return;
    }
    let run = guard::laylint(repo.path(), &["check", "--output-format", "json"], None);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let message = par001(&doc, "template.yaml").expect("reported");
    assert!(message.contains("permission denied"), "{message}");
}

#[test]
fn output_that_cannot_be_written_exits_2() {
    let repo = common::TestRepo::with_files(&[
        (
            "template.yaml",
            &format!(
                "{}Resources:\n{}",
                hostile::SAM_HEAD,
                hostile::function("F", "src/", "a.h")
            ),
        ),
        ("src/a.py", "def h(e, c): ...\n"),
    ]);
    let commands: [&[&str]; 8] = [
        &["check"],
        &["check", "--output-format", "json"],
        &["check", "--show-files"],
        &["check", "--show-handlers"],
        &["check", "--show-settings"],
        &["rules"],
        &["rule", "--all"],
        &["rule", "HDL001"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let run = guard::laylint(repo.path(), args, Some(Stdio::from(full)));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot write"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let empty = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let run = guard::laylint(empty.path(), &["init"], Some(Stdio::from(full)));
    assert_eq!(run.code, 2, "init: {}", run.stderr);
}

/// A folder swapped for a symlink after the walk: reads are relative to the root opened
/// once and refuse a symlink at every step, so the swap cannot redirect them.
#[test]
fn a_folder_swapped_for_a_symlink_is_not_followed() {
    let h = hostile::symlinked_path_argument();
    let root = h.repo.path().canonicalize().unwrap();
    let (files, _) = laylint::walk::walk(&root, &Default::default());
    let repo = laylint::model::Repo::new(root.clone(), files, Vec::new());
    std::fs::remove_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(h.outside.path().join("src")).unwrap();
    std::fs::write(h.outside.path().join("src/app.py"), CANARY).unwrap();
    std::os::unix::fs::symlink(h.outside.path().join("src"), root.join("src")).unwrap();
    let path = laylint::paths::RelPath::parse("src/app.py").unwrap();
    match repo.read(&path) {
        Ok(source) => panic!("read through a swapped folder: {}", source.text),
        Err(error) => assert_eq!(error, laylint::model::ReadError::NotRegular),
    }
}
