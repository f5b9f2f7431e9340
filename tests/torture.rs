//! Hostile repositories (issue "unbreakable on hostile input"). Each must finish, never
//! panic (exit 101 is a bug), report what it could not read as PAR001, and never report
//! or read a path outside the root. A watchdog fails a run that hangs; nothing is timed.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::TestRepo;

/// Runs `laylint check --output-format json` with a hang guard; returns the JSON document.
fn check_json(repo: &TestRepo) -> serde_json::Value {
    let child = Command::new(env!("CARGO_BIN_EXE_laylint"))
        .args(["check", "--output-format", "json"])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn laylint");
    let pid = child.id();
    // Drain the pipes on another thread (a full pipe would block the child) and watch for hangs.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = match rx.recv_timeout(Duration::from_secs(300)) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("laylint hung on a hostile repository");
        }
    };
    let status = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(status.code(), Some(101), "laylint panicked: {stderr}");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "unexpected exit {status:?}: {stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    for d in doc["diagnostics"].as_array().unwrap() {
        let path = d["path"].as_str().unwrap();
        assert!(
            !path.starts_with('/') && !path.split('/').any(|p| p == ".."),
            "path outside the root: {path}"
        );
        assert!(
            !d["message"].as_str().unwrap().contains("root:x:0:0"),
            "read a file outside the root"
        );
    }
    doc
}

fn codes_at(doc: &serde_json::Value, path: &str) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const SAM_HEAD: &str =
    "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n";

fn function(name: &str, code_uri: &str, handler: &str) -> String {
    format!(
        "  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      CodeUri: {code_uri}\n      Handler: {handler}\n"
    )
}

#[test]
fn broken_files_each_give_par001_and_the_run_goes_on() {
    let repo = TestRepo::with_files(&[
        (
            "broken-yaml/template.yaml",
            &format!("{SAM_HEAD}Resources:\n  Fn: [unclosed\n"),
        ),
        (
            "broken-json/template.json",
            "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {",
        ),
        ("broken-toml/pyproject.toml", "[project\nname = 'x'\n"),
        (
            "broken-cfg/setup.cfg",
            "[metadata]\nname = x\n  [bad\nno equals here\n",
        ),
        (
            "broken-py/template.yaml",
            &format!(
                "{SAM_HEAD}Resources:\n{}",
                function("Fn", "src/", "app.handler")
            ),
        ),
        (
            "broken-py/src/app.py",
            "def handler(event, context:\n    return 1\n",
        ),
        (
            "ok/template.yaml",
            &format!(
                "{SAM_HEAD}Resources:\n{}",
                function("Fn", "src/", "app.missing")
            ),
        ),
        (
            "ok/src/app.py",
            "def handler(event, context):\n    return 1\n",
        ),
    ]);
    let doc = check_json(&repo);
    for path in [
        "broken-yaml/template.yaml",
        "broken-json/template.json",
        "broken-toml/pyproject.toml",
        "broken-cfg/setup.cfg",
        "broken-py/src/app.py",
    ] {
        assert_eq!(codes_at(&doc, path), ["PAR001"], "{path}: {doc:#}");
    }
    // The run went on: the healthy template is still checked.
    assert_eq!(codes_at(&doc, "ok/template.yaml"), ["HDL002"]);
}

#[test]
fn alias_bomb_and_deep_nesting_are_bounded() {
    let mut bomb = format!(
        "{SAM_HEAD}a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    bomb.push_str(&format!(
        "Resources:\n{}",
        function("Fn", "src/", "app.handler")
    ));
    let deep = format!(
        "{SAM_HEAD}Resources: {}{}\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    // 20,000-deep flow mappings, and block mappings deeper than the 1,000-level limit.
    let deep_map = format!(
        "{SAM_HEAD}Resources: {}1{}\n",
        "{a: ".repeat(20_000),
        "}".repeat(20_000)
    );
    let deep_block = format!(
        "{SAM_HEAD}Resources:\n{}",
        (1..1_500)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>()
    );
    // A 60 MB template is listed, never parsed, and still reported.
    let huge = format!("{SAM_HEAD}Resources:\n{}", "# padding\n".repeat(6_000_000));
    let repo = TestRepo::with_files(&[
        ("bomb/template.yaml", &bomb),
        ("bomb/src/app.py", "def handler(e, c): ...\n"),
        ("deep/template.yaml", &deep),
        ("deepmap/template.yaml", &deep_map),
        ("deepblock/template.yaml", &deep_block),
        ("huge/template.yaml", &huge),
    ]);
    let doc = check_json(&repo);
    assert_eq!(codes_at(&doc, "bomb/template.yaml"), ["PAR001"], "{doc:#}");
    assert_eq!(codes_at(&doc, "deep/template.yaml"), ["PAR001"]);
    assert_eq!(codes_at(&doc, "deepmap/template.yaml"), ["PAR001"]);
    assert_eq!(codes_at(&doc, "deepblock/template.yaml"), ["PAR001"]);
    assert_eq!(codes_at(&doc, "huge/template.yaml"), ["PAR001"]);
}

#[test]
fn deeply_nested_and_huge_python_modules() {
    let parens = format!(
        "def handler(event, context):\n    return {}1{}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    let repo = TestRepo::with_files(&[
        (
            "template.yaml",
            &format!(
                "{SAM_HEAD}Resources:\n{}{}",
                function("Nested", "nested/", "deep.handler"),
                function("Huge", "huge/", "app.handler")
            ),
        ),
        ("nested/deep.py", &parens),
    ]);
    // A 60 MB module: listed, never parsed.
    let huge = "x = 1\n".repeat(10_000_000);
    repo.write(
        "huge/app.py",
        &format!("def handler(event, context):\n    return 1\n{huge}"),
    );
    let doc = check_json(&repo);
    assert_eq!(codes_at(&doc, "nested/deep.py"), ["PAR001"], "{doc:#}");
    let huge = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "huge/app.py")
        .expect("huge module reported");
    assert_eq!(huge["code"], "PAR001");
    assert!(
        huge["message"]
            .as_str()
            .unwrap()
            .contains("larger than 2 MiB"),
        "{huge}"
    );
}

#[test]
fn empty_files_five_thousand_functions_and_odd_entries() {
    let many: String = (0..5_000)
        .map(|i| function(&format!("Fn{i}"), "src/", &format!("app.h{}", i % 7)))
        .collect();
    let repo = TestRepo::with_files(&[
        ("empty/template.yaml", ""),
        ("empty/pyproject.toml", ""),
        (
            "many/template.yaml",
            &format!("{SAM_HEAD}Resources:\n{many}"),
        ),
        (
            "many/src/app.py",
            &(0..6)
                .map(|i| format!("def h{i}(event, context): ...\n"))
                .collect::<String>(),
        ),
    ]);
    std::fs::create_dir_all(repo.path().join("folder/template.yaml")).unwrap();
    let doc = check_json(&repo);
    assert!(codes_at(&doc, "empty/template.yaml").is_empty());
    // h6 is missing: one HDL002 per function that names it (5000 / 7 rounded up = 714).
    let many = codes_at(&doc, "many/template.yaml");
    assert_eq!(many.len(), 714, "{:?}", &many[..many.len().min(5)]);
    assert!(many.iter().all(|c| c == "HDL002"));
}

#[test]
fn code_uri_outside_the_root_is_reported_not_read() {
    let repo = TestRepo::with_files(&[(
        "svc/template.yaml",
        &format!(
            "{SAM_HEAD}Resources:\n{}",
            function("Escape", "../../../../etc/", "passwd.handler")
        ),
    )]);
    let doc = check_json(&repo);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "svc/template.yaml")
        .expect("reported");
    assert!(d["message"].as_str().unwrap().contains("outside"), "{d}");
}

#[cfg(unix)]
#[test]
fn symlinks_fifos_and_non_utf8_names() {
    use std::os::unix::ffi::OsStrExt;

    let repo = TestRepo::with_files(&[
        (
            "template.yaml",
            &format!(
                "{SAM_HEAD}Resources:\n{}",
                function("Fn", "src/", "app.handler")
            ),
        ),
        ("src/app.py", "def handler(event, context): ...\n"),
    ]);
    let root = repo.path();
    std::os::unix::fs::symlink(root.join("loop"), root.join("loop")).unwrap();
    std::os::unix::fs::symlink("a", root.join("b")).unwrap();
    std::os::unix::fs::symlink("b", root.join("a")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("etc-link")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("src/passwd.py")).unwrap();
    let fifo = root.join("fifo/template.yaml");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff-name.yaml");
    std::fs::write(root.join(name), b"AWSTemplateFormatVersion: x\n").unwrap();
    std::fs::write(
        root.join("latin1.yaml"),
        b"AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: caf\xe9\n",
    )
    .unwrap();
    repo.write(
        "linked/template.yaml",
        &format!(
            "{SAM_HEAD}Resources:\n{}",
            function("Fn", "../etc-link/", "passwd.handler")
        ),
    );

    let doc = check_json(&repo);
    assert!(codes_at(&doc, "template.yaml").is_empty(), "{doc:#}");
    assert_eq!(codes_at(&doc, "latin1.yaml"), ["PAR001"]);
    // The FIFO is never opened (the run would block forever), and nothing under /etc is read.
    assert!(
        codes_at(&doc, "fifo/template.yaml")
            .iter()
            .all(|c| c == "PAR001")
    );
    let all = serde_json::to_string(&doc).unwrap();
    assert!(
        all.contains("not valid UTF-8"),
        "the non-UTF-8 name is reported: {all}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;

    let repo = TestRepo::with_files(&[
        ("locked/app.py", "x = 1\n"),
        ("pyproject.toml", "[project]\nname = \"a\"\n"),
    ]);
    let locked = repo.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok(); // root can read anything
    let doc = check_json(&repo);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !readable {
        assert_eq!(codes_at(&doc, "locked"), ["PAR001"], "{doc:#}");
    }
}

#[test]
fn deeply_nested_lists_in_any_python_file() {
    // Every Python reader (handler modules, mypy's import scan, setup.py, CDK apps) must
    // survive a tree too deep to drop recursively.
    let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let repo = TestRepo::with_files(&[
        ("pkg/deep.py", &deep),
        (
            "setup.py",
            &format!(
                "from setuptools import setup\nsetup(name='x', packages={}{})\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", &deep),
    ]);
    let doc = check_json(&repo);
    assert!(doc["summary"].is_object());
}
