//! Secrets are never printed: an AWS key in a template and in a `.env` file, reported by
//! IAC001 and sitting next to another rule's finding (whose snippet shows the same
//! lines), in every output format and over the language server. Each output must show
//! the masked form and must not hold the key, nor its hidden middle.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{FORMATS, TestRepo};

const KEY_ID: &str = "AKIA4U4ZE7BMILBS7JGH";
const SECRET: &str = "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";

fn repo() -> TestRepo {
    TestRepo::with_files(&[
        (
            "template.yaml",
            &format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.missing\n      Runtime: python3.12\n      Environment:\n        Variables:\n          KEY_ID: {KEY_ID}\n"
            ),
        ),
        (
            "src/app.py",
            "def handler(event, context):\n    return {}\n",
        ),
        (
            ".env",
            &format!("AWS_ACCESS_KEY_ID={KEY_ID}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"),
        ),
    ])
}

/// The secret's bytes that must never appear: the whole key and its masked middle.
fn assert_hidden(output: &str, context: &str) {
    for secret in [KEY_ID, SECRET] {
        let middle = &secret[4..secret.len() - 4];
        assert!(
            !output.contains(secret) && !output.contains(middle),
            "{context} shows a secret ({secret}):\n{output}"
        );
    }
}

#[test]
fn every_format_masks_the_keys() {
    let repo = repo();
    for format in FORMATS {
        let out = repo.run(&[
            "check",
            "--output-format",
            format,
            "--extend-select",
            "IAC002",
        ]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains("IAC001"), "{format}:\n{}", out.stdout);
        // The other rule's finding shares the template's lines: its snippet is masked too.
        assert!(out.stdout.contains("HDL002"), "{format}:\n{}", out.stdout);
        assert_hidden(&out.stdout, format);
        assert_hidden(&out.stderr, format);
        if format != "junit" && format != "sarif" && format != "gitlab" {
            assert!(
                out.stdout.contains("AKIA…7JGH"),
                "{format}:\n{}",
                out.stdout
            );
        }
    }
    let full = repo.run(&["check", "--output-format", "full"]).stdout;
    assert!(
        full.contains("AKIA************7JGH"),
        "the snippet shows the key masked:\n{full}"
    );
    // Also when written to a file, and with --statistics and --show-handlers.
    let out = repo.run(&["check", "--statistics", "--show-handlers"]);
    assert_hidden(&(out.stdout + &out.stderr), "--statistics --show-handlers");
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

#[test]
fn the_language_server_masks_the_keys() {
    let repo = repo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_laylint"))
        .arg("server")
        .current_dir(repo.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start laylint server");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let root = format!("file://{}", repo.path().display());
    let init = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":"{root}","capabilities":{{}}}}}}"#
    );
    let template = format!("{root}/template.yaml");
    let text = std::fs::read_to_string(repo.path().join("template.yaml")).unwrap();
    let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": template, "languageId": "yaml", "version": 1, "text": text}}});
    let actions = serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
        "params": {"textDocument": {"uri": template},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 11, "character": 0}},
                   "context": {"diagnostics": []}}});
    for body in [
        init,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.to_string(),
        open.to_string(),
        actions.to_string(),
    ] {
        stdin.write_all(frame(&body).as_bytes()).expect("write");
    }
    stdin.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(30);
    let seen = loop {
        let seen = String::from_utf8_lossy(&received.lock().unwrap()).into_owned();
        if (seen.contains("IAC001") && seen.contains(r#""id":2"#)) || Instant::now() > deadline {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        seen.contains("IAC001"),
        "no IAC001 published:\n{seen}\n{stderr}"
    );
    assert!(seen.contains("AKIA…7JGH"), "{seen}");
    assert_hidden(&seen, "the language server");
    assert_hidden(&stderr, "the language server's log");
}
