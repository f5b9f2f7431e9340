//! laylint diagnostics to LSP diagnostics: URIs, UTF-16 positions, related locations.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Url,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Repo;
use crate::paths::RelPath;
use crate::sink::{Excerpt, Excerpts};

/// Maps repository paths to the URIs the client uses, and back.
///
/// The client may name the root through a symlink (`/tmp` for `/private/tmp`) while the
/// model's root is canonical; diagnostics must go to the exact URI the editor has open,
/// so URIs the client sent are remembered and reused.
#[derive(Debug)]
pub struct Paths {
    /// The repository root as the client spells it.
    client_root: PathBuf,
    /// The canonical repository root.
    root: PathBuf,
    seen: HashMap<RelPath, Url>,
}

impl Paths {
    /// `client_folder` is the folder the client named; `root` the canonical root found
    /// from it, at or above it.
    pub fn new(client_folder: &Path, root: &Path) -> Self {
        let depth = client_folder
            .canonicalize()
            .ok()
            .and_then(|c| c.strip_prefix(root).ok().map(|r| r.components().count()))
            .unwrap_or(0);
        let client_root = client_folder
            .ancestors()
            .nth(depth)
            .filter(|_| depth > 0)
            .map_or_else(|| client_folder.to_path_buf(), Path::to_path_buf);
        let client_root = if client_root.canonicalize().ok().as_deref() == Some(root) {
            client_root
        } else {
            root.to_path_buf()
        };
        Self {
            client_root,
            root: root.to_path_buf(),
            seen: HashMap::new(),
        }
    }

    /// The repository path of a `file:` URI under the root, remembering the URI.
    pub fn rel_of(&mut self, uri: &Url) -> Option<RelPath> {
        let path = uri.to_file_path().ok()?;
        let rel = RelPath::from_fs(&self.client_root, &path)
            .or_else(|| RelPath::from_fs(&self.root, &path))
            .or_else(|| {
                // Through another symlinked spelling: canonicalize the folder only, so a
                // symlinked file keeps its own name.
                let parent = path.parent()?.canonicalize().ok()?;
                RelPath::from_fs(&self.root, &parent.join(path.file_name()?))
            })?;
        self.seen.insert(rel.clone(), uri.clone());
        Some(rel)
    }

    /// The URI of a repository path, as the client last named it.
    pub fn uri_of(&self, rel: &RelPath) -> Option<Url> {
        if let Some(uri) = self.seen.get(rel) {
            return Some(uri.clone());
        }
        Url::from_file_path(rel.to_fs(&self.client_root)).ok()
    }
}

/// Where a diagnostic is shown: a file, and a span in it (or its first line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub path: RelPath,
    pub span: Option<Range<usize>>,
    /// Set when the diagnostic is about a folder and shown on a file instead.
    pub folder: Option<RelPath>,
}

/// Editors show diagnostics on documents. A diagnostic on a file goes on it; one on a
/// folder goes on its first related file location, else on the nearest
/// `pyproject.toml` at or above the folder, else it is not shown in the editor.
pub fn placement(d: &Diagnostic, repo: &Repo) -> Option<Placement> {
    let path = &d.location.path;
    if !repo.files.is_dir(path) {
        return Some(Placement {
            path: path.clone(),
            span: d.location.span.clone(),
            folder: None,
        });
    }
    if let Some(related) = d
        .related
        .iter()
        .find(|r| repo.files.is_file(&r.location.path))
    {
        return Some(Placement {
            path: related.location.path.clone(),
            span: related.location.span.clone(),
            folder: Some(path.clone()),
        });
    }
    let mut dir = Some(path.clone());
    while let Some(current) = dir {
        let manifest = current.child("pyproject.toml");
        if repo.files.is_file(&manifest) {
            return Some(Placement {
                path: manifest,
                span: None,
                folder: Some(path.clone()),
            });
        }
        dir = current.parent();
    }
    None
}

/// The LSP form of a diagnostic shown at `place`.
pub fn diagnostic(
    d: &Diagnostic,
    place: &Placement,
    excerpts: &Excerpts,
    paths: &Paths,
) -> lsp_types::Diagnostic {
    let mut message = match &place.folder {
        Some(folder) if folder.is_root() => format!("(repository root) {}", d.message),
        Some(folder) => format!("`{folder}/`: {}", d.message),
        None => d.message.clone(),
    };
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: paths.uri_of(&r.location.path)?,
                    range: range(excerpts, &r.location.path, r.location.span.as_ref()),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(excerpts, &place.path, place.span.as_ref()),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: Url::parse(&d.url).ok().map(|href| CodeDescription { href }),
        source: Some("laylint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({ "rule": d.rule })),
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The LSP range of a span in a file (from the sink's excerpt: nothing is read); the
/// start of the file without one.
fn range(excerpts: &Excerpts, path: &RelPath, span: Option<&Range<usize>>) -> lsp_types::Range {
    let source = span.and_then(|_| excerpts.get(path));
    match (span, source) {
        (Some(span), Some(source)) => lsp_types::Range {
            start: position(source, span.start),
            end: position(source, span.end.max(span.start)),
        },
        _ => lsp_types::Range::default(),
    }
}

/// A byte offset as a 0-based line and UTF-16 column (the LSP default encoding).
pub fn position(source: &Excerpt, offset: usize) -> Position {
    let offset = source.floor_boundary(offset);
    let line = source.line_of(offset);
    let start = source.line_range(line).start;
    let character = source.slice(start..offset).encode_utf16().count();
    Position {
        line: to_u32(line.saturating_sub(1)),
        character: to_u32(character),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_code_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let text = "a = 1\né😀x = 2\r\nlast";
        let source = &Excerpt::whole(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            position(source, x),
            Position {
                line: 1,
                character: 3
            }
        );
        assert_eq!(position(source, 0), Position::default());
        // Inside a character: the start of that character.
        assert_eq!(
            position(source, x - 1),
            Position {
                line: 1,
                character: 1
            }
        );
        let last = text.find("last").unwrap();
        assert_eq!(
            position(source, last + 2),
            Position {
                line: 2,
                character: 2
            }
        );
        assert_eq!(
            position(source, 10_000),
            Position {
                line: 2,
                character: 4
            }
        );
    }

    #[test]
    fn folder_diagnostics_go_to_the_nearest_manifest() {
        use crate::diagnostic::{Diagnostic, Location, RuleCode};
        let repo = Repo::from_sources(
            PathBuf::from("/r"),
            vec![
                (RelPath::parse("svc/pyproject.toml").unwrap(), String::new()),
                (RelPath::parse("svc/src/app/x.py").unwrap(), String::new()),
                (RelPath::parse("other/y.py").unwrap(), String::new()),
            ],
        );
        let on = |path: &str| Diagnostic {
            code: RuleCode::new("ORG001").unwrap(),
            rule: "r".into(),
            severity: Severity::Warning,
            message: "m".into(),
            location: Location::path(RelPath::parse(path).unwrap()),
            start: None,
            end: None,
            help: None,
            url: String::new(),
            related: Vec::new(),
            fix: None,
        };
        let place = placement(&on("svc/src/app"), &repo).unwrap();
        assert_eq!(place.path.as_str(), "svc/pyproject.toml");
        assert_eq!(place.folder.unwrap().as_str(), "svc/src/app");
        assert!(placement(&on("other"), &repo).is_none());
        let file = placement(&on("other/y.py"), &repo).unwrap();
        assert_eq!((file.path.as_str(), file.folder), ("other/y.py", None));
    }
}
