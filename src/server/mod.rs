//! `laylint server`: a Language Server over stdio, for editors; a save must answer fast.
//!
//! On open, save and watched-file changes the model is refreshed (changed files are
//! re-read, everything else is carried over) and diagnostics are published for every
//! document whose diagnostics changed, with empty lists to clear fixed ones. Files are
//! read from disk: unsaved editor buffers are not linted.

mod actions;
mod convert;
mod transport;
mod workspace;

use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeWatchedFiles, DidOpenTextDocument, DidSaveTextDocument, LogMessage, Notification as _,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileChangeType, FileSystemWatcher,
    GlobPattern, InitializeParams, InitializeResult, LogMessageParams, MessageType, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

use crate::config::ConfigError;
use crate::exit::ExitStatus;
use workspace::Workspace;

/// Files whose changes can move a finding, watched when the client can watch: one
/// watcher per pattern, since some clients' glob matchers (Neovim's) do not match
/// `{a,b}` alternatives after `**/`.
const WATCHED: &[&str] = &[
    "**/*.py",
    "**/*.pyi",
    "**/*.toml",
    "**/*.yaml",
    "**/*.yml",
    "**/*.json",
    "**/*.ini",
    "**/*.cfg",
    "**/*.txt",
    "**/*.tf",
    "**/.gitignore",
    "**/.ignore",
];

/// Runs the server until `exit`. Exit status 0 after `shutdown`, 1 otherwise.
pub fn run() -> ExitStatus {
    let (connection, threads) = match transport::stdio() {
        Ok(pair) => pair,
        Err(error) => {
            eprintln!("laylint server: cannot start: {error}");
            return ExitStatus::Error;
        }
    };
    let status = Server::default().serve(&connection);
    drop(connection);
    threads.finish();
    status
}

#[derive(Default, PartialEq, Eq)]
enum Phase {
    #[default]
    Uninitialized,
    Running,
    ShutDown,
}

#[derive(Default)]
struct Server {
    phase: Phase,
    workspace: Option<Workspace>,
    watch: bool,
    /// Documents opened or saved since the model was last brought up to date, in order,
    /// each once (the set answers "already pending?" for a batch of 200,000 changes).
    pending: Vec<Url>,
    pending_set: std::collections::HashSet<Url>,
    structural: bool,
    /// The configuration error last shown, so each save does not show it again.
    shown: Option<String>,
}

impl Server {
    fn serve(&mut self, conn: &Connection) -> ExitStatus {
        while let Ok(message) = conn.receiver.recv() {
            match message {
                Message::Request(request) => self.request(conn, request),
                Message::Notification(n) if n.method == "exit" => {
                    return if self.phase == Phase::ShutDown {
                        ExitStatus::Success
                    } else {
                        ExitStatus::Failure
                    };
                }
                Message::Notification(n) => self.notification(conn, n),
                // Answers to our own requests (capability registration): nothing to do.
                Message::Response(_) => {}
            }
            // Saves that arrive together are handled together.
            if (!self.pending.is_empty() || self.structural) && conn.receiver.is_empty() {
                self.flush(conn);
            }
        }
        ExitStatus::Failure
    }

    fn request(&mut self, conn: &Connection, request: Request) {
        let id = request.id.clone();
        let response = match (&self.phase, request.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(id, request.params),
            (Phase::Uninitialized, _) => error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized",
            ),
            (Phase::ShutDown, _) => error(id, ErrorCode::InvalidRequest, "the server is shut down"),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Response::new_ok(id, ())
            }
            (Phase::Running, "initialize") => {
                error(id, ErrorCode::InvalidRequest, "already initialized")
            }
            (Phase::Running, CodeActionRequest::METHOD) => {
                match serde_json::from_value::<CodeActionParams>(request.params) {
                    Ok(params) => {
                        let actions = self
                            .workspace
                            .as_ref()
                            .map(|w| w.code_actions(&params))
                            .unwrap_or_default();
                        Response::new_ok(id, actions)
                    }
                    Err(e) => error(id, ErrorCode::InvalidParams, &e.to_string()),
                }
            }
            (Phase::Running, method) => error(
                id,
                ErrorCode::MethodNotFound,
                &format!("laylint does not handle `{method}`"),
            ),
        };
        send(conn, response.into());
    }

    fn initialize(&mut self, id: RequestId, params: serde_json::Value) -> Response {
        let params: InitializeParams = match serde_json::from_value(params) {
            Ok(params) => params,
            Err(e) => return error(id, ErrorCode::InvalidParams, &e.to_string()),
        };
        #[allow(deprecated)] // root_uri and root_path: older clients send only these.
        let folder = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .and_then(|f| f.uri.to_file_path().ok())
            .or_else(|| params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        self.workspace = folder.map(Workspace::new);
        self.watch = params
            .capabilities
            .workspace
            .and_then(|w| w.did_change_watched_files)
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.phase = Phase::Running;
        let result = InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::NONE),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(actions::FIX_ALL),
                        ]),
                        resolve_provider: Some(false),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "laylint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        Response::new_ok(id, result)
    }

    fn notification(&mut self, conn: &Connection, n: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        match n.method.as_str() {
            "initialized" => self.initialized(conn),
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    self.touch(conn, p.text_document.uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    self.touch(conn, p.text_document.uri);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                    for change in p.changes {
                        self.structural |= change.typ != FileChangeType::CHANGED;
                        self.touch(conn, change.uri);
                    }
                }
            }
            // didClose, didChange, $/cancelRequest, $/setTrace …: nothing to do.
            _ => {}
        }
    }

    fn initialized(&mut self, conn: &Connection) {
        if self.watch {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: WATCHED
                    .iter()
                    .map(|glob| FileSystemWatcher {
                        glob_pattern: GlobPattern::String((*glob).into()),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = RegistrationParams {
                registrations: vec![Registration {
                    id: "laylint-watched-files".into(),
                    method: DidChangeWatchedFiles::METHOD.into(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            };
            let request = Request::new(
                RequestId::from("laylint-register".to_string()),
                RegisterCapability::METHOD.into(),
                registration,
            );
            send(conn, request.into());
        }
        let outcome = self.workspace.as_mut().map(|workspace| {
            let loaded = workspace.load();
            (loaded.err(), workspace.publish(&[]))
        });
        if let Some((error, published)) = outcome {
            self.report(conn, error, published);
        }
    }

    /// Notes that `uri` was opened, saved or changed. A server started without a
    /// workspace folder models nothing (guessing a root from a file's folder could model
    /// `/` or a home folder): it says so once and publishes nothing.
    fn touch(&mut self, conn: &Connection, uri: Url) {
        let Ok(path) = uri.to_file_path() else {
            return;
        };
        match &self.workspace {
            Some(workspace) if !workspace.contains(&path) => return,
            Some(_) => {}
            None => {
                let error = ConfigError::plain(
                    "the editor named no workspace folder, so there is no repository to lint",
                )
                .with_help("open the repository's folder in the editor, not a single file");
                self.report(conn, Some(error), Vec::new());
                return;
            }
        }
        if self.pending_set.insert(uri.clone()) {
            self.pending.push(uri);
        }
    }

    fn flush(&mut self, conn: &Connection) {
        let uris = std::mem::take(&mut self.pending);
        self.pending_set.clear();
        let structural = std::mem::take(&mut self.structural);
        let outcome = self
            .workspace
            .as_mut()
            .map(|workspace| workspace.changed(&uris, structural));
        if let Some((published, error)) = outcome {
            self.report(conn, error, published);
        }
    }
}

impl Server {
    /// Sends diagnostics, and shows a configuration error (once while it lasts).
    fn report(
        &mut self,
        conn: &Connection,
        error: Option<ConfigError>,
        published: Vec<lsp_types::PublishDiagnosticsParams>,
    ) {
        let text = error.as_ref().map(ToString::to_string);
        let repeat = text.is_some() && text == self.shown;
        self.shown = text;
        if let Some(error) = error.filter(|_| !repeat) {
            let mut message = format!("laylint: {}", error.message);
            if let Some(src) = &error.src {
                message = format!("laylint: {}: {}", src.name(), error.message);
            }
            if let Some(help) = &error.help {
                message.push_str(&format!(" ({help})"));
            }
            notify::<ShowMessage>(
                conn,
                ShowMessageParams {
                    typ: MessageType::ERROR,
                    message: message.clone(),
                },
            );
            notify::<LogMessage>(
                conn,
                LogMessageParams {
                    typ: MessageType::ERROR,
                    message,
                },
            );
        }
        for params in published {
            notify::<PublishDiagnostics>(conn, params);
        }
    }
}

fn notify<N: lsp_types::notification::Notification>(conn: &Connection, params: N::Params) {
    send(conn, Notification::new(N::METHOD.into(), params).into());
}

fn send(conn: &Connection, message: Message) {
    // The client is gone when this fails; the read loop ends on its own.
    let _ = conn.sender.send(message);
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}
