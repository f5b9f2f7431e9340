//! Fixes as code actions: each fix is a `quickfix` on its diagnostic, and the safe ones
//! of a document together are `source.fixAll.laylint`. Edits become a `WorkspaceEdit`
//! (text edits, and `CreateFile` for a new file) computed when the diagnostics are
//! published, from the sink's excerpts: answering a request reads nothing.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CreateFile,
    CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, ResourceOp, TextDocumentEdit, TextEdit,
    WorkspaceEdit,
};

use super::convert::{Paths, position};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::fix::Plan;
use crate::sink::Excerpts;

/// The kind of the action that applies every safe fix of a document.
pub const FIX_ALL: &str = "source.fixAll.laylint";

/// A published diagnostic with a fix.
#[derive(Debug, Clone)]
pub struct FixAction {
    pub diagnostic: lsp_types::Diagnostic,
    /// The laylint diagnostic (its fix decides conflicts for "fix all").
    pub source: Diagnostic,
    pub edit: WorkspaceEdit,
}

/// The `WorkspaceEdit` of a fix, or `None` when an edited file has no excerpt to place
/// the edit in (never the case for the shipped fixes, which edit where they point).
pub fn workspace_edit(fix: &Fix, excerpts: &Excerpts, paths: &Paths) -> Option<WorkspaceEdit> {
    let mut changes = Vec::new();
    for edit in &fix.edits {
        let uri = paths.uri_of(edit.path())?;
        let document = OptionalVersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version: None,
        };
        let text_edit = |range, new_text: &str| {
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: document.clone(),
                edits: vec![OneOf::Left(TextEdit {
                    range,
                    new_text: new_text.to_string(),
                })],
            })
        };
        match edit {
            Edit::Replace {
                path,
                range,
                content,
            } => {
                let source = excerpts.get(path)?;
                let range = lsp_types::Range {
                    start: position(source, range.start),
                    end: position(source, range.end),
                };
                changes.push(text_edit(range, content));
            }
            Edit::Create { content, .. } => {
                changes.push(DocumentChangeOperation::Op(ResourceOp::Create(
                    CreateFile {
                        uri,
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    },
                )));
                if !content.is_empty() {
                    let start = lsp_types::Range::new(Position::default(), Position::default());
                    changes.push(text_edit(start, content));
                }
            }
        }
    }
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(changes)),
        ..Default::default()
    })
}

/// Whether an action of `kind` answers a request limited to `only`.
fn wanted(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k
                || kind
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

fn overlaps(a: &lsp_types::Range, b: &lsp_types::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The actions for a `textDocument/codeAction` request on a document whose fixes are
/// `actions`.
pub fn code_actions(actions: &[FixAction], params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let only = params.context.only.as_ref();
    let mut out = Vec::new();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for action in actions
            .iter()
            .filter(|a| overlaps(&a.diagnostic.range, &params.range))
        {
            let Some(fix) = &action.source.fix else {
                continue;
            };
            let safe = fix.applicability == Applicability::Safe;
            let title = if safe {
                format!("laylint: {}", fix.message)
            } else {
                format!("laylint: {} (unsafe)", fix.message)
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![action.diagnostic.clone()]),
                edit: Some(action.edit.clone()),
                is_preferred: Some(safe),
                ..Default::default()
            }));
        }
    }
    if wanted(only, FIX_ALL) {
        let sources: Vec<Diagnostic> = actions.iter().map(|a| a.source.clone()).collect();
        let plan = Plan::new(&sources, false, &[]);
        // Files first; then one edit per document, whose ranges all refer to the text
        // before any of them (as the LSP says of the edits of one `TextDocumentEdit`).
        let mut operations: Vec<DocumentChangeOperation> = Vec::new();
        let mut documents: Vec<(OptionalVersionedTextDocumentIdentifier, Vec<TextEdit>)> =
            Vec::new();
        let mut seen: std::collections::HashSet<(usize, Position, Position, String)> =
            std::collections::HashSet::new();
        for action in plan.fixes.iter().filter_map(|&i| actions.get(i)) {
            let Some(DocumentChanges::Operations(ops)) = &action.edit.document_changes else {
                continue;
            };
            for op in ops {
                match op {
                    DocumentChangeOperation::Op(_) => {
                        if !operations.contains(op) {
                            operations.push(op.clone());
                        }
                    }
                    DocumentChangeOperation::Edit(edit) => {
                        let at = match documents.iter().position(|(d, _)| *d == edit.text_document)
                        {
                            Some(at) => at,
                            None => {
                                documents.push((edit.text_document.clone(), Vec::new()));
                                documents.len() - 1
                            }
                        };
                        for e in &edit.edits {
                            if let OneOf::Left(e) = e
                                && seen.insert((at, e.range.start, e.range.end, e.new_text.clone()))
                            {
                                documents[at].1.push(e.clone());
                            }
                        }
                    }
                }
            }
        }
        operations.extend(documents.into_iter().map(|(text_document, edits)| {
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document,
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
        }));
        if !operations.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "laylint: fix all safely fixable findings".into(),
                kind: Some(CodeActionKind::new(FIX_ALL)),
                edit: Some(WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Operations(operations)),
                    ..Default::default()
                }),
                ..Default::default()
            }));
        }
    }
    out
}
