//! The paths reports print: relative to the working directory, as ruff prints them, so
//! GitHub annotations, GitLab Code Quality and editors' problem matchers land on the right
//! file when the laylint root is a sub-folder of the git repository (or the run starts
//! inside a sub-folder of the root). Diagnostics keep root-relative paths; only the
//! printed text changes, in this one place.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use crate::paths::RelPath;

/// How to turn a root-relative path into the path printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DisplayPaths {
    /// The working directory is the root: paths print as they are.
    #[default]
    AsIs,
    /// The root is below the working directory: `prefix` (ending in `/`) goes first.
    Below { prefix: String },
    /// The working directory is a folder of the root, given root-relative.
    Inside { cwd: Vec<String> },
    /// Neither (another branch of the file system): absolute paths under `root`.
    Absolute { root: String },
}

impl DisplayPaths {
    /// For a run from `cwd` on the repository rooted at `root` (both absolute and
    /// canonical; a `cwd` that cannot be expressed keeps paths as they are).
    pub fn new(root: &Path, cwd: &Path) -> Self {
        if let Some(below) = components(root.strip_prefix(cwd).ok()) {
            return if below.is_empty() {
                Self::AsIs
            } else {
                Self::Below {
                    prefix: format!("{}/", below.join("/")),
                }
            };
        }
        if let Some(inside) = components(cwd.strip_prefix(root).ok()) {
            return Self::Inside { cwd: inside };
        }
        match root.to_str() {
            Some(root) => Self::Absolute {
                root: root.trim_end_matches(['/', '\\']).replace('\\', "/"),
            },
            None => Self::AsIs,
        }
    }

    /// For the current process: its working directory against `root`.
    pub fn from_current_dir(root: &Path) -> Self {
        std::env::current_dir()
            .and_then(|cwd| cwd.canonicalize())
            .map(|cwd| Self::new(root, &cwd))
            .unwrap_or_default()
    }

    /// The folder printed paths are relative to (SARIF's `%SRCROOT%`), given the root.
    pub fn base(&self, root: &Path) -> PathBuf {
        match self {
            Self::AsIs | Self::Absolute { .. } => root.to_path_buf(),
            Self::Below { prefix } => {
                let depth = prefix.split('/').filter(|p| !p.is_empty()).count();
                root.ancestors().nth(depth).unwrap_or(root).to_path_buf()
            }
            Self::Inside { cwd } => cwd
                .iter()
                .fold(root.to_path_buf(), |dir, part| dir.join(part)),
        }
    }

    /// The printed form of `path` (the root itself prints as `.`).
    pub fn show<'a>(&self, path: &'a RelPath) -> Cow<'a, str> {
        let text = path.as_str();
        match self {
            Self::AsIs if text.is_empty() => Cow::Borrowed("."),
            Self::AsIs => Cow::Borrowed(text),
            Self::Below { prefix } if text.is_empty() => {
                Cow::Owned(prefix.trim_end_matches('/').to_string())
            }
            Self::Below { prefix } => Cow::Owned(format!("{prefix}{text}")),
            Self::Absolute { root } if text.is_empty() => Cow::Owned(root.clone()),
            Self::Absolute { root } => Cow::Owned(format!("{root}/{text}")),
            Self::Inside { cwd } => {
                let parts: Vec<&str> = path.components().collect();
                let common = cwd
                    .iter()
                    .zip(&parts)
                    .take_while(|(a, b)| a.as_str() == **b)
                    .count();
                let mut out: Vec<&str> = vec![".."; cwd.len() - common];
                out.extend(&parts[common..]);
                Cow::Owned(if out.is_empty() {
                    ".".to_string()
                } else {
                    out.join("/")
                })
            }
        }
    }
}

/// The UTF-8 normal components of a relative path (`None` for anything else).
fn components(rel: Option<&Path>) -> Option<Vec<String>> {
    rel?.components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str().map(str::to_string),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(text: &str) -> RelPath {
        RelPath::parse(text).unwrap()
    }

    #[test]
    fn working_directory_is_the_root() {
        let d = DisplayPaths::new(Path::new("/repo"), Path::new("/repo"));
        assert_eq!(d, DisplayPaths::AsIs);
        assert_eq!(d.show(&rel("a/b.py")), "a/b.py");
        assert_eq!(d.show(&RelPath::root()), ".");
    }

    #[test]
    fn root_below_the_working_directory() {
        let d = DisplayPaths::new(Path::new("/git/services/api"), Path::new("/git"));
        assert_eq!(d.show(&rel("template.yaml")), "services/api/template.yaml");
        assert_eq!(d.show(&RelPath::root()), "services/api");
        assert_eq!(d.base(Path::new("/git/services/api")), Path::new("/git"));
    }

    #[test]
    fn working_directory_inside_the_root() {
        let d = DisplayPaths::new(Path::new("/repo"), Path::new("/repo/functions/add"));
        assert_eq!(d.show(&rel("functions/add/handler.py")), "handler.py");
        assert_eq!(
            d.show(&rel("functions/mul/handler.py")),
            "../mul/handler.py"
        );
        assert_eq!(d.show(&rel("template.yaml")), "../../template.yaml");
        assert_eq!(d.show(&rel("functions/add")), ".");
        assert_eq!(d.show(&RelPath::root()), "../..");
        assert_eq!(d.base(Path::new("/repo")), Path::new("/repo/functions/add"));
    }

    #[test]
    fn unrelated_working_directory_prints_absolute_paths() {
        let d = DisplayPaths::new(Path::new("/repo"), Path::new("/elsewhere"));
        assert_eq!(d.show(&rel("a.py")), "/repo/a.py");
    }
}
