//! TOML documents of the repository, parsed once with spans.
//!
//! `toml`'s spanned parse tree borrows the text, so it is copied once into an
//! owned tree ([`TomlValue`]) that keeps the span of every key and value.

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Repo;
use crate::paths::RelPath;

/// A TOML value with the byte span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct TomlValue {
    pub span: Range<usize>,
    pub kind: TomlKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TomlKind {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(String),
    Array(Vec<TomlValue>),
    Table(TomlTable),
}

/// A table: each key keeps its own span beside its value's. Entries are sorted by key
/// (TOML keys are unique), a compact vector rather than a tree: a monorepo holds
/// thousands of small tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TomlTable {
    pub entries: Vec<(String, (Range<usize>, TomlValue))>,
}

impl TomlTable {
    fn entry(&self, key: &str) -> Option<&(Range<usize>, TomlValue)> {
        let index = self
            .entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()?;
        self.entries.get(index).map(|(_, entry)| entry)
    }

    pub fn get(&self, key: &str) -> Option<&TomlValue> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The span of a key (for diagnostics that point at the key, not the value).
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entry(key).map(|(span, _)| span.clone())
    }

    /// The value at a path of keys, descending through tables.
    pub fn get_path(&self, parts: &[&str]) -> Option<&TomlValue> {
        let (first, rest) = parts.split_first()?;
        let value = self.get(first)?;
        if rest.is_empty() {
            Some(value)
        } else {
            value.as_table()?.get_path(rest)
        }
    }

    /// The value at a dotted key path such as `tool.poetry.packages`.
    pub fn get_dotted(&self, dotted: &str) -> Option<&TomlValue> {
        let parts: Vec<&str> = dotted.split('.').collect();
        self.get_path(&parts)
    }
}

impl TomlValue {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            TomlKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            TomlKind::Boolean(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[TomlValue]> {
        match &self.kind {
            TomlKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_table(&self) -> Option<&TomlTable> {
        match &self.kind {
            TomlKind::Table(table) => Some(table),
            _ => None,
        }
    }

    /// A string, or the strings of an array of strings.
    pub fn as_str_list(&self) -> Option<Vec<&str>> {
        match &self.kind {
            TomlKind::String(s) => Some(vec![s.as_str()]),
            TomlKind::Array(items) => items.iter().map(TomlValue::as_str).collect(),
            _ => None,
        }
    }

    /// Whether this value equals a value of the rule's parameters (strings, numbers, booleans).
    pub fn matches(&self, other: &toml::Value) -> bool {
        match (&self.kind, other) {
            (TomlKind::String(a), toml::Value::String(b)) => a == b,
            (TomlKind::Integer(a), toml::Value::Integer(b)) => a == b,
            (TomlKind::Boolean(a), toml::Value::Boolean(b)) => a == b,
            (TomlKind::Float(a), toml::Value::Float(b)) => a == b,
            _ => false,
        }
    }
}

/// A parsed TOML file.
#[derive(Debug)]
pub struct TomlDoc {
    pub path: RelPath,
    pub root: TomlTable,
}

impl TomlDoc {
    /// Parses TOML text; the error carries the parser's message and span.
    pub fn parse(path: RelPath, text: &str) -> Result<Self, (String, Option<Range<usize>>)> {
        match DeTable::parse(text) {
            Ok(table) => Ok(Self {
                path,
                root: own_table(table.get_ref()),
            }),
            Err(error) => Err((error.message().trim_end().to_string(), error.span())),
        }
    }

    pub fn get(&self, dotted: &str) -> Option<&TomlValue> {
        self.root.get_dotted(dotted)
    }
}

fn own_table(table: &DeTable<'_>) -> TomlTable {
    let mut entries: Vec<_> = table
        .iter()
        .map(|(key, value)| (key.get_ref().to_string(), (key.span(), own_value(value))))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    TomlTable { entries }
}

fn own_value(value: &Spanned<DeValue<'_>>) -> TomlValue {
    let kind = match value.get_ref() {
        DeValue::String(s) => TomlKind::String(s.to_string()),
        DeValue::Integer(i) => {
            TomlKind::Integer(i64::from_str_radix(i.as_str(), i.radix()).unwrap_or(0))
        }
        DeValue::Float(f) => TomlKind::Float(f.as_str().parse().unwrap_or(0.0)),
        DeValue::Boolean(b) => TomlKind::Boolean(*b),
        DeValue::Datetime(d) => TomlKind::Datetime(d.to_string()),
        DeValue::Array(items) => TomlKind::Array(items.iter().map(own_value).collect()),
        DeValue::Table(table) => TomlKind::Table(own_table(table)),
    };
    TomlValue {
        span: value.span(),
        kind,
    }
}

impl Repo {
    /// The parsed TOML file at `path`; a parse error is recorded once (PAR001) and gives `None`.
    pub fn toml(&self, path: &RelPath) -> Option<Arc<TomlDoc>> {
        self.parse_cached(&self.caches.toml, path, "valid TOML", |text| {
            TomlDoc::parse(path.clone(), text)
        })
    }
}
