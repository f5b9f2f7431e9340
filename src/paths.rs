//! Repository-relative paths: `/`-separated, no `.` or `..`, never absolute.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

/// A path relative to the repository root. The empty path is the root itself.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct RelPath(String);

/// Read back (from the persistent cache) only if it is a valid relative path.
impl<'de> serde::Deserialize<'de> for RelPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RelPath::parse(&text).map_err(|_| serde::de::Error::custom("a path leaving the root"))
    }
}

/// A relative path that would leave the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscapesRoot;

impl RelPath {
    /// The repository root.
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Builds a path from a `/`-separated string, resolving `.` and `..`.
    pub fn parse(text: &str) -> Result<Self, EscapesRoot> {
        Self::root().join_relative(text)
    }

    /// The path of `path` relative to `root`, when it is inside it and UTF-8.
    pub fn from_fs(root: &Path, path: &Path) -> Option<Self> {
        let rel = path.strip_prefix(root).ok()?;
        let mut parts = Vec::new();
        for component in rel.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_str()?),
                Component::CurDir => {}
                _ => return None,
            }
        }
        Some(Self(parts.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The child `name` of this folder. `name` must be a single component.
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_string())
        } else {
            let mut path = String::with_capacity(self.0.len() + 1 + name.len());
            path.push_str(&self.0);
            path.push('/');
            path.push_str(name);
            Self(path)
        }
    }

    /// Joins a relative, possibly `..`-bearing, `/` or `\`-free path.
    pub fn join_relative(&self, rel: &str) -> Result<Self, EscapesRoot> {
        let mut parts: Vec<&str> = self.components().collect();
        for part in rel.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop().ok_or(EscapesRoot)?;
                }
                other => parts.push(other),
            }
        }
        Ok(Self(parts.join("/")))
    }

    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            return None;
        }
        Some(match self.0.rfind('/') {
            Some(i) => Self(self.0[..i].to_string()),
            None => Self::root(),
        })
    }

    /// The last component (the empty string for the root).
    pub fn file_name(&self) -> &str {
        match self.0.rfind('/') {
            Some(i) => &self.0[i + 1..],
            None => &self.0,
        }
    }

    /// The file name without its last extension.
    pub fn stem(&self) -> &str {
        let name = self.file_name();
        match name.rfind('.') {
            Some(0) | None => name,
            Some(i) => &name[..i],
        }
    }

    pub fn extension(&self) -> Option<&str> {
        let name = self.file_name();
        match name.rfind('.') {
            Some(0) | None => None,
            Some(i) => Some(&name[i + 1..]),
        }
    }

    /// Whether a folder on this path is named with a `{{…}}` placeholder: a cookiecutter
    /// or copier template of another repository, whose files mean nothing until rendered.
    pub fn in_template_folder(&self) -> bool {
        // Nearly no path holds a placeholder: the scan of the whole path settles most.
        if !self.0.contains("{{") {
            return false;
        }
        self.parent().is_some_and(|folder| {
            folder
                .components()
                .any(|name| name.contains("{{") && name.contains("}}"))
        })
    }

    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|part| !part.is_empty())
    }

    /// Number of components; the root has none.
    pub fn depth(&self) -> usize {
        self.components().count()
    }

    /// Whether `self` is `ancestor` or lies below it, component-wise.
    pub fn starts_with(&self, ancestor: &RelPath) -> bool {
        ancestor.0.is_empty()
            || self.0 == ancestor.0
            || (self.0.starts_with(&ancestor.0)
                && self.0.as_bytes().get(ancestor.0.len()) == Some(&b'/'))
    }

    /// This path relative to `ancestor`, when it lies below it.
    pub fn strip_prefix(&self, ancestor: &RelPath) -> Option<&str> {
        if ancestor.0.is_empty() {
            Some(&self.0)
        } else if self.0 == ancestor.0 {
            Some("")
        } else if self.starts_with(ancestor) {
            Some(&self.0[ancestor.0.len() + 1..])
        } else {
            None
        }
    }

    /// The absolute filesystem path under `root`.
    pub fn to_fs(&self, root: &Path) -> PathBuf {
        let mut path = root.to_path_buf();
        for part in self.components() {
            path.push(part);
        }
        path
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str(".")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        let base = RelPath::parse("a/b").unwrap();
        assert_eq!(base.join_relative("../c/./d").unwrap().as_str(), "a/c/d");
        assert_eq!(base.join_relative("../../..").unwrap_err(), EscapesRoot);
        assert_eq!(base.parent().unwrap().as_str(), "a");
        assert!(
            RelPath::parse("ab/c")
                .unwrap()
                .starts_with(&RelPath::parse("ab").unwrap())
        );
        assert!(
            !RelPath::parse("abc/d")
                .unwrap()
                .starts_with(&RelPath::parse("ab").unwrap())
        );
        assert_eq!(RelPath::parse("x/handler.py").unwrap().stem(), "handler");
        assert_eq!(RelPath::parse(".gitignore").unwrap().stem(), ".gitignore");
    }
}
