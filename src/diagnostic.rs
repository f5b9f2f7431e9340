//! What checks report ([`Finding`]) and what users see ([`Diagnostic`]).

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::paths::RelPath;

/// How serious a rule's findings are.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule code such as `HDL001`: two to four capital letters and three digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RuleCode(String);

impl RuleCode {
    pub fn new(text: &str) -> Option<Self> {
        let letters = text.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = &text[letters..];
        ((2..=4).contains(&letters)
            && digits.len() == 3
            && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The letters before the digits: the group prefix (`HDL`).
    pub fn prefix(&self) -> &str {
        self.0.trim_end_matches(|c: char| c.is_ascii_digit())
    }
}

impl<'de> Deserialize<'de> for RuleCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RuleCode::new(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a rule code (two to four capital letters and three digits, like `HDL001`)"
            ))
        })
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place in the repository: a file or folder, and optionally a byte range in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: RelPath,
    pub span: Option<Range<usize>>,
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |l: &Self| (l.path.clone(), l.span.as_ref().map(|s| (s.start, s.end)));
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Location {
    /// The whole file or folder.
    pub fn path(path: RelPath) -> Self {
        Self { path, span: None }
    }

    pub fn span(path: RelPath, span: Range<usize>) -> Self {
        Self {
            path,
            span: Some(span),
        }
    }
}

/// Another place that explains a finding (the other duplicate, the module a handler names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// What a check reports; the engine adds the rule's code, name, severity and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The mechanical change that mends it, when there is one.
    pub fix: Option<Fix>,
    /// Byte ranges of the primary file that must never be shown (a secret's value): every
    /// excerpt a report or the language server gets has them masked.
    pub redact: Vec<Range<usize>>,
}

impl Finding {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
            redact: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
}

/// Whether a fix keeps what the code does (`safe`) or may change it (`unsafe`: applied
/// only with `--unsafe-fixes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One change to one file: bytes replaced at a range of its text as laylint read it, or
/// a new file (in a folder that exists) with its content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Edit {
    Replace {
        path: RelPath,
        range: Range<usize>,
        content: String,
    },
    Create {
        path: RelPath,
        content: String,
    },
}

impl Edit {
    pub fn path(&self) -> &RelPath {
        match self {
            Edit::Replace { path, .. } | Edit::Create { path, .. } => path,
        }
    }

    /// The new text of the range (or of the new file).
    pub fn content(&self) -> &str {
        match self {
            Edit::Replace { content, .. } | Edit::Create { content, .. } => content,
        }
    }

    /// Deletes `range` of `path`.
    pub fn delete(path: RelPath, range: Range<usize>) -> Self {
        Edit::Replace {
            path,
            range,
            content: String::new(),
        }
    }
}

/// A finding's fix: all of its edits are applied, or none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What it does, in words (`create src/app/__init__.py`).
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Safe,
            message: message.into(),
            edits,
        }
    }

    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            message: message.into(),
            edits,
        }
    }
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A resolved related location, with line numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedOut {
    pub location: Location,
    pub start: Option<LineCol>,
    pub message: String,
}

/// A finding of an enabled rule, ready to report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: RuleCode,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Start and end of the primary span, when it has one.
    pub start: Option<LineCol>,
    pub end: Option<LineCol>,
    pub help: Option<String>,
    pub url: String,
    pub related: Vec<RelatedOut>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The deterministic order of reports: path, line, column, code.
    pub fn sort_key(&self) -> (&RelPath, usize, usize, &RuleCode, &str) {
        let start = self.start.unwrap_or(LineCol { line: 0, column: 0 });
        (
            &self.location.path,
            start.line,
            start.column,
            &self.code,
            &self.message,
        )
    }
}
