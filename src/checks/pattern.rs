//! Parameters compiled once when a rule loads: globs, regexes, case styles.

use std::fmt;

use serde::Deserialize;

use crate::glob::compile_glob;
use crate::model::files::{Entry, EntryKind, FileIndex};
use crate::paths::RelPath;

/// A glob over `/`-separated relative paths; a trailing `/` matches folders only.
#[derive(Clone)]
pub struct Glob {
    pub pattern: String,
    matcher: globset::GlobMatcher,
    dir_only: bool,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Self, String> {
        let glob = compile_glob(pattern)?;
        Ok(Self {
            pattern: pattern.to_string(),
            matcher: glob.compile_matcher(),
            dir_only: pattern.ends_with('/'),
        })
    }

    /// Whether the glob ends in `/` (matches folders only).
    pub fn dir_only(&self) -> bool {
        self.dir_only
    }

    /// Whether `entry`, seen from `base`, matches.
    pub fn matches_entry(&self, base: &RelPath, entry: &Entry) -> bool {
        if self.dir_only && entry.kind != EntryKind::Dir {
            return false;
        }
        entry
            .path
            .strip_prefix(base)
            .is_some_and(|rel| !rel.is_empty() && self.matcher.is_match(rel))
    }

    /// Whether a folder's path, seen from the root, matches.
    pub fn matches_path(&self, path: &RelPath) -> bool {
        !path.is_root() && self.matcher.is_match(path.as_str())
    }

    /// Every entry of the repository that matches, seen from the root, in path order.
    pub fn matching<'a>(&'a self, files: &'a FileIndex) -> impl Iterator<Item = &'a Entry> + 'a {
        files
            .iter()
            .filter(move |entry| self.matches_entry(&RelPath::root(), entry))
    }

    /// Every regular file of the repository that matches, in path order.
    pub fn matching_files<'a>(
        &'a self,
        files: &'a FileIndex,
    ) -> impl Iterator<Item = &'a RelPath> + 'a {
        self.matching(files)
            .filter(|entry| entry.kind == EntryKind::File)
            .map(|entry| &entry.path)
    }

    /// Every entry below `base` that matches, in path order.
    pub fn matches_below<'a>(
        &'a self,
        files: &'a FileIndex,
        base: &'a RelPath,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        files
            .descendants(base)
            .filter(move |entry| self.matches_entry(base, entry))
    }
}

impl fmt::Debug for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glob({:?})", self.pattern)
    }
}

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Glob::new(&text).map_err(serde::de::Error::custom)
    }
}

/// A regular expression (Rust `regex` syntax), compiled once.
#[derive(Clone)]
pub struct Pattern(pub regex::Regex);

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        regex::RegexBuilder::new(&text)
            .multi_line(true)
            .size_limit(1 << 20)
            .build()
            .map(Pattern)
            .map_err(|e| serde::de::Error::custom(format!("invalid regex `{text}`: {e}")))
    }
}

/// The folders a scoped check runs in: those matching `for-each`, or the root.
pub fn scopes(files: &FileIndex, for_each: Option<&Glob>) -> Vec<RelPath> {
    match for_each {
        None => vec![RelPath::root()],
        Some(glob) => files
            .dirs()
            .filter(|entry| glob.matches_entry(&RelPath::root(), entry))
            .map(|entry| entry.path.clone())
            .collect(),
    }
}

/// Replaces `{name}` placeholders in a user message.
pub fn render(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}
