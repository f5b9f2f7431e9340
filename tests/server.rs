//! `laylint server` driven as an editor drives it: JSON-RPC with `Content-Length`
//! framing over the binary's stdin and stdout.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use common::TestRepo;
use serde_json::{Value, json};

const CONFIG: &str = r#"
# Only this test's own rules and PAR001: the shipped rules have tests of their own.
select = ["ORG", "PAR"]

[[custom-rules]]
code = "ORG001"
name = "project-name-required"
group = "custom"
summary = "custom rule"
severity = "warning"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "toml-key"
glob = "**/pyproject.toml"
key = "project.name"

[[custom-rules]]
code = "ORG002"
name = "no-bad-key"
group = "custom"
summary = "custom rule"
severity = "error"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "toml-key"
glob = "**/pyproject.toml"
key = "tool.bad"
present = false

[[custom-rules]]
code = "ORG003"
name = "unique-handler-module"
group = "custom"
summary = "custom rule"
severity = "info"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "unique-name"
glob = "**/handlers/*.py"
"#;

/// A running server and the messages it has sent.
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
        let stdout = child.stdout.take().expect("stdout");
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
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

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&body.to_string());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&body.to_string());
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message satisfying `wanted`; others are dropped.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.inbox.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for a message"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed stdout"),
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .expect("a diagnostics list")
    }

    /// Everything sent within `time`.
    fn drain(&mut self, time: Duration) -> Vec<Value> {
        let deadline = Instant::now() + time;
        let mut out = Vec::new();
        while let Ok(m) = self
            .inbox
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            out.push(m);
        }
        out
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(repo: &TestRepo, rel: &str) -> String {
    format!("file://{}/{rel}", repo.path().display())
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn publishes_diagnostics_on_open_and_clears_them_on_save() {
    let repo = TestRepo::with_files(&[
        ("laylint.toml", CONFIG),
        ("svc/pyproject.toml", "[project\nname = \"svc\"\n"),
        (
            "api/pyproject.toml",
            "[project]\nname = \"api\"\n[tool]\nbad = { \"é😀\" = 1, ok = 2 }\n",
        ),
        (
            "api/handlers/orders.py",
            "def handler(event, context):\n    pass\n",
        ),
        (
            "svc/handlers/orders.py",
            "def handler(event, context):\n    pass\n",
        ),
    ]);
    let svc = uri(&repo, "svc/pyproject.toml");
    let api = uri(&repo, "api/pyproject.toml");
    let mut client = Client::start(&repo);

    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&repo, ""), "capabilities": {}}),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "laylint");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["save"],
        json!({"includeText": false})
    );
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": svc, "languageId": "toml", "version": 1,
               "text": "[project\nname = \"svc\"\n"}}),
    );
    // The first publication comes from `initialized`; wait for the one after didOpen.
    let _ = client.diagnostics_for(&svc);
    let found = client.diagnostics_for(&svc);
    assert_eq!(codes(&found), ["PAR001"], "{found:#?}");
    let par = &found[0];
    assert_eq!(par["severity"], 1);
    assert_eq!(par["source"], "laylint");
    assert_eq!(par["range"]["start"]["line"], 0);
    assert!(
        par["codeDescription"]["href"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://") && u.contains("PAR001")),
        "{par:#?}"
    );

    // Cross-file: the duplicate handler module names the other one.
    let dup_uri = uri(&repo, "svc/handlers/orders.py");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": dup_uri, "languageId": "python", "version": 1, "text": ""}}),
    );
    let dup = client.diagnostics_for(&dup_uri);
    assert_eq!(codes(&dup), ["ORG003"], "{dup:#?}");
    assert_eq!(dup[0]["severity"], 3);
    let related = &dup[0]["relatedInformation"][0]["location"]["uri"];
    assert_eq!(related, &json!(uri(&repo, "api/handlers/orders.py")));

    // The span of `tool.bad`'s value ends after a character that takes two UTF-16 units.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": api, "languageId": "toml", "version": 1, "text": ""}}),
    );
    let api_found = client.diagnostics_for(&api);
    assert_eq!(codes(&api_found), ["ORG002"], "{api_found:#?}");
    let line = "bad = { \"é😀\" = 1, ok = 2 }";
    assert_eq!(
        api_found[0]["range"],
        json!({"start": {"line": 3, "character": 6},
               "end": {"line": 3, "character": line.encode_utf16().count()}})
    );

    // Garbage and unknown requests get errors, and the server goes on.
    client.send_raw("{this is not json");
    client.send_raw(r#"{"jsonrpc":"2.0","id":99,"method":17}"#);
    let garbage = client.wait_for(|m| m["id"] == 99);
    assert!(garbage["error"]["code"].is_i64(), "{garbage}");
    let unknown = client.request("textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);

    // Fix the file on disk and save: its diagnostics are cleared.
    repo.write("svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": svc}}),
    );
    assert_eq!(client.diagnostics_for(&svc), Vec::<Value>::new());

    // Break it differently: a missing key is a whole-file diagnostic on line 0.
    repo.write("svc/pyproject.toml", "[project]\nversion = \"1\"\n");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": svc}}),
    );
    let missing = client.diagnostics_for(&svc);
    assert_eq!(codes(&missing), ["ORG001"], "{missing:#?}");
    assert_eq!(missing[0]["severity"], 2);
    assert_eq!(
        missing[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );

    // Renaming a module away (a created and a deleted file) clears the duplicate.
    std::fs::rename(
        repo.path().join("svc/handlers/orders.py"),
        repo.path().join("svc/handlers/billing.py"),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": dup_uri, "type": 3},
                           {"uri": uri(&repo, "svc/handlers/billing.py"), "type": 1}]}),
    );
    assert_eq!(client.diagnostics_for(&dup_uri), Vec::<Value>::new());

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    assert!(shutdown.get("error").is_none());
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("wait for the server");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_broken_configuration_is_shown_and_fixing_it_publishes() {
    let repo = TestRepo::with_files(&[
        ("laylint.toml", "select = [\"NOPE999\"]\n"),
        ("pyproject.toml", "[project\n"),
    ]);
    let root_toml = uri(&repo, "pyproject.toml");
    let mut client = Client::start(&repo);
    client.request(
        "initialize",
        json!({"processId": null, "capabilities": {},
               "workspaceFolders": [{"uri": uri(&repo, ""), "name": "repo"}]}),
    );
    client.notify("initialized", json!({}));
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    assert!(
        shown["params"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("NOPE999")),
        "{shown}"
    );
    let silent = client.drain(Duration::from_millis(300));
    assert!(
        !silent
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && !m["params"]["diagnostics"]
                    .as_array()
                    .is_none_or(Vec::is_empty)),
        "{silent:#?}"
    );

    // Fixing the configuration and saving it loads the repository and publishes.
    repo.write("laylint.toml", CONFIG);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&repo, "laylint.toml")}}),
    );
    assert_eq!(codes(&client.diagnostics_for(&root_toml)), ["PAR001"]);

    // exit without shutdown: exit code 1, as the protocol says.
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("wait for the server");
    assert_eq!(status.code(), Some(1));
}
