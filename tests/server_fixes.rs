//! The language server's code actions, driven as an editor drives them: a quick fix is
//! requested on a diagnostic, its `WorkspaceEdit` applied to the file and saved, and the
//! diagnostic is gone; "fix all" creates a missing file the same way.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::TestRepo;
use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(repo: &TestRepo) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_laylint"))
            .arg("server")
            .current_dir(repo.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start laylint server");
        let stdin = child.stdin.take().expect("stdin");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    match line.trim_end().strip_prefix("Content-Length: ") {
                        Some(n) => length = n.parse().unwrap_or(0),
                        None if line.trim_end().is_empty() => break,
                        None => {}
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice(&body) else {
                    return;
                };
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            inbox,
            next_id: 1,
        }
    }

    fn send(&mut self, body: Value) {
        let body = body.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .inbox
                .recv_timeout(Duration::from_secs(20))
                .expect("a message within 20 s");
            if wanted(&message) {
                return message;
            }
        }
    }

    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .expect("list")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies a `WorkspaceEdit`'s `documentChanges` to the files, as an editor does.
fn apply(edit: &Value) -> Vec<String> {
    let mut touched = Vec::new();
    for change in edit["documentChanges"].as_array().expect("documentChanges") {
        let uri = change["uri"]
            .as_str()
            .or(change["textDocument"]["uri"].as_str())
            .expect("a uri");
        let path = uri.strip_prefix("file://").expect("a file uri");
        if change["kind"] == "create" {
            assert!(!std::path::Path::new(path).exists());
            std::fs::write(path, "").expect("create");
        } else {
            let text = std::fs::read_to_string(path).expect("read");
            let mut edits: Vec<(usize, usize, String)> = change["edits"]
                .as_array()
                .expect("edits")
                .iter()
                .map(|e| {
                    let start = offset(&text, &e["range"]["start"]);
                    let end = offset(&text, &e["range"]["end"]);
                    (start, end, e["newText"].as_str().expect("text").to_string())
                })
                .collect();
            edits.sort();
            let mut out = text.clone();
            for (start, end, new) in edits.into_iter().rev() {
                out.replace_range(start..end, &new);
            }
            std::fs::write(path, out).expect("write");
        }
        touched.push(uri.to_string());
    }
    touched
}

fn uri(repo: &TestRepo, rel: &str) -> String {
    format!("file://{}/{rel}", repo.path().display())
}

#[test]
fn a_quick_fix_applied_and_saved_clears_its_diagnostic_and_fix_all_creates_files() {
    let repo = TestRepo::with_files(&[
        ("laylint.toml", "select = [\"HDL003\", \"LAY003\"]\n"),
        (
            "template.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: \"app.py.lambda_handler\"  # the entry point\n      Runtime: python3.13\n",
        ),
        (
            "fn/app.py",
            "def lambda_handler(event, context):\n    return 1\n",
        ),
        (
            "svc/pyproject.toml",
            "[project]\nname = \"svc\"\nversion = \"1\"\n",
        ),
        ("svc/src/svc/__init__.py", ""),
        ("svc/src/svc/sub/m.py", "X = 1\n"),
    ]);
    let template = uri(&repo, "template.yaml");
    let manifest = uri(&repo, "svc/pyproject.toml");
    let mut client = Client::start(&repo);
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&repo, ""), "capabilities": {}}),
    );
    let kinds = &init["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.laylint"]));
    client.notify("initialized", json!({}));
    let found = client.diagnostics_for(&template);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "HDL003");

    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": template}, "range": found[0]["range"],
               "context": {"diagnostics": [found[0]], "only": ["quickfix"]}}),
    );
    let actions = answer["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    apply(&actions[0]["edit"]);
    let text = std::fs::read_to_string(repo.path().join("template.yaml")).expect("read");
    assert!(
        text.contains("      Handler: \"app.lambda_handler\"  # the entry point\n"),
        "{text}"
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": template}}),
    );
    assert_eq!(client.diagnostics_for(&template), Vec::<Value>::new());

    // LAY003 is on a folder: shown on the project's manifest, fixed by a new file.
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": manifest},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = answer["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.laylint");
    let created = apply(&actions[0]["edit"]);
    assert_eq!(created, [uri(&repo, "svc/src/svc/sub/__init__.py")]);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": created[0], "type": 1}]}),
    );
    assert_eq!(client.diagnostics_for(&manifest), Vec::<Value>::new());
}
