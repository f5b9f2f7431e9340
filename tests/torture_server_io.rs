//! The language server on hostile input: no workspace folder (it must not model `/`), and
//! a `pyproject.toml` that is a FIFO (it must not hang). A watchdog guards every read.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};

use common::guard;
use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
}

impl Client {
    fn start(dir: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_laylint"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start laylint server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            inbox,
        }
    }

    fn send(&mut self, body: Value) {
        let body = body.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Every message up to the answer to request `id`; a server that does not answer
    /// within the watchdog has hung.
    fn until_answer(&mut self, id: i64) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            match self.inbox.recv_timeout(guard::WATCHDOG) {
                Ok(m) if m["id"] == json!(id) && m.get("method").is_none() => return seen,
                Ok(m) => seen.push(m),
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("the server hung (killed by the watchdog)");
                }
            }
        }
    }

    /// Shuts down; returns the messages before the answer and the peak memory (KiB).
    fn shutdown(mut self) -> (Vec<Value>, u64) {
        self.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        let seen = self.until_answer(99);
        let (peak, _) = guard::memory_kib(self.child.id());
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
        (seen, peak)
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

fn initialize(client: &mut Client, params: Value) {
    client.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}));
    client.until_answer(1);
    client.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
}

#[test]
fn without_a_workspace_folder_nothing_is_modelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    initialize(&mut client, json!({"processId": null, "capabilities": {}}));
    for _ in 0..2 {
        client.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///x.py", "languageId": "python", "version": 1, "text": ""}
        }}));
    }
    let (seen, peak) = client.shutdown();
    let shown: Vec<&Value> = seen
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .collect();
    assert_eq!(shown.len(), 1, "said once: {seen:#?}");
    let text = shown[0]["params"]["message"].as_str().unwrap();
    assert!(text.contains("no workspace folder"), "{text}");
    assert!(
        !seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{seen:#?}"
    );
    assert!(peak < 128 * 1024, "{peak} KiB: something was modelled");
}

#[test]
fn a_fifo_pyproject_does_not_hang_the_server() {
    let repo = common::TestRepo::with_files(&[("src/app.py", "x = 1\n")]);
    common::hostile::mkfifo(&repo.path().join("pyproject.toml"));
    let mut client = Client::start(repo.path());
    let root = format!("file://{}", repo.path().display());
    initialize(
        &mut client,
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    client.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": format!("{root}/src/app.py"), "languageId": "python", "version": 1, "text": ""}
    }}));
    let (_, peak) = client.shutdown();
    assert!(peak < 256 * 1024, "{peak} KiB");
}
