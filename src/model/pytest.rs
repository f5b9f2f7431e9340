//! What pytest collects: a module is a test when its name matches the pytest
//! configuration's `python_files` (default `test_*.py`, `*_test.py`) and it defines a
//! test function (`python_functions`, default the `test` prefix) or a test class
//! (`python_classes`, default `Test`) with a test method; `conftest.py` is always one. A
//! module that a Lambda handler points at is deployed code, never a test.
//!
//! The configuration is pytest's for that module: going up from the module's folder, the
//! first folder holding `pytest.toml`, `.pytest.toml`, `pytest.ini`, `.pytest.ini`,
//! `pyproject.toml` with `[tool.pytest]` or `[tool.pytest.ini_options]`, `tox.ini` with
//! `[pytest]` or `setup.cfg` with `[tool:pytest]` (in that order) gives it, as pytest
//! finds its configuration from the paths it is given.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Repo;
use super::facets::pytest::PytestView;
use super::fnmatch::fnmatch;
use super::tomldoc::{TomlKind, TomlValue};
use crate::paths::RelPath;
use crate::python::test_defs::{TestCandidate, test_candidates};

/// The naming options of one pytest configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PytestNames {
    /// The file that sets them, if any.
    pub config: Option<RelPath>,
    pub python_files: Vec<String>,
    pub python_functions: Vec<String>,
    pub python_classes: Vec<String>,
}

impl Default for PytestNames {
    fn default() -> Self {
        Self {
            config: None,
            python_files: vec!["test_*.py".into(), "*_test.py".into()],
            python_functions: vec!["test".into()],
            python_classes: vec!["Test".into()],
        }
    }
}

/// What pytest could collect from one module: its module-level candidates, the last
/// binding of each name only (a per-file facet, kept across language-server saves).
#[derive(Debug)]
pub enum TestDefs {
    Parsed(Box<[(Box<str>, TestCandidate)]>),
    /// pytest collects it and reports the error.
    SyntaxError,
}

impl Repo {
    /// [`TestDefs`] of the module at `path`; `None` when it cannot be read.
    pub fn test_defs(&self, path: &RelPath) -> Option<Arc<TestDefs>> {
        self.cached(&self.caches.test_defs, path, || {
            let source = self.read_once(path).ok()?;
            let defs = match test_candidates(&source.text) {
                Ok(candidates) => {
                    let mut last: HashMap<String, TestCandidate> = HashMap::new();
                    for (name, candidate) in candidates {
                        last.insert(name, candidate);
                    }
                    TestDefs::Parsed(
                        last.into_iter()
                            .map(|(name, candidate)| (name.into_boxed_str(), candidate))
                            .collect(),
                    )
                }
                Err(_) => TestDefs::SyntaxError,
            };
            Some(Arc::new(defs))
        })
    }
}

/// Answers "is this file a test?" for one run, from the [`PytestView`] facet; the
/// configuration of each folder is looked up once.
pub struct TestModules<'a> {
    repo: &'a Repo,
    view: &'a PytestView,
    names: Mutex<HashMap<RelPath, Arc<PytestNames>>>,
}

impl<'a> TestModules<'a> {
    pub fn new(repo: &'a Repo) -> Self {
        Self {
            repo,
            view: repo.pytest_view(),
            names: Mutex::new(HashMap::new()),
        }
    }

    /// Whether pytest collects `path` as a test module (or loads it as `conftest.py`).
    pub fn is_test(&self, path: &RelPath) -> bool {
        let name = path.file_name();
        if !name.ends_with(".py") || self.view.handler_modules.contains(path) {
            return false;
        }
        if name == "conftest.py" {
            return true;
        }
        let names = self.names_for(&path.parent().unwrap_or_default());
        let absolute = self.repo.root.join(path.as_str());
        let absolute = absolute.to_string_lossy();
        if !names
            .python_files
            .iter()
            .any(|pattern| matches_file_pattern(pattern, name, &absolute))
        {
            return false;
        }
        let Some(defs) = self.repo.test_defs(path) else {
            return false;
        };
        // A module that does not parse is still collected: pytest reports the error.
        let TestDefs::Parsed(candidates) = &*defs else {
            return true;
        };
        candidates.iter().any(|(name, candidate)| match candidate {
            TestCandidate::Function => matches_name(&names.python_functions, name),
            TestCandidate::Class(class) if class.unittest => {
                class.methods.iter().any(|m| m.starts_with("test"))
            }
            TestCandidate::Class(class) => {
                !class.has_init
                    && matches_name(&names.python_classes, name)
                    && class
                        .methods
                        .iter()
                        .any(|m| matches_name(&names.python_functions, m))
            }
            TestCandidate::Other => false,
        })
    }

    /// The naming options that apply in `dir`.
    pub fn names_for(&self, dir: &RelPath) -> Arc<PytestNames> {
        if let Some(found) = self.lock().get(dir) {
            return found.clone();
        }
        let names = match self.view.configs.get(dir) {
            Some(names) => names.clone(),
            None => match dir.parent() {
                Some(parent) => self.names_for(&parent),
                None => Arc::new(PytestNames::default()),
            },
        };
        self.lock().insert(dir.clone(), names.clone());
        names
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RelPath, Arc<PytestNames>>> {
        self.names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The files that may configure pytest, in the order pytest looks at them in a folder.
pub const CONFIG_FILES: [&str; 7] = [
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
];

/// The configuration pytest takes from `dir`, if a file there holds one.
pub(crate) fn read_config(repo: &Repo, dir: &RelPath) -> Option<PytestNames> {
    for name in ["pytest.toml", ".pytest.toml"] {
        let path = dir.child(name);
        if repo.files.is_file(&path) {
            let table = repo
                .toml(&path)
                .and_then(|doc| doc.get("pytest").and_then(|v| v.as_table()).cloned())
                .unwrap_or_default();
            return Some(from_values(path, |key| table.get(key).and_then(toml_words)));
        }
    }
    for name in ["pytest.ini", ".pytest.ini"] {
        let path = dir.child(name);
        if repo.files.is_file(&path) {
            let section = repo
                .ini(&path)
                .and_then(|doc| doc.section("pytest").cloned());
            return Some(from_values(path, |key| {
                section.as_ref()?.get(key).map(|v| words(&v.value))
            }));
        }
    }
    let pyproject = dir.child("pyproject.toml");
    if repo.files.is_file(&pyproject)
        && let Some(doc) = repo.toml(&pyproject)
        && let Some(tool) = doc.get("tool.pytest").and_then(|v| v.as_table())
    {
        let ini = tool.get("ini_options").and_then(|v| v.as_table());
        let native = tool.entries.iter().any(|(key, _)| key != "ini_options");
        if native || ini.is_some() {
            let table = if native { Some(tool) } else { ini };
            return Some(from_values(pyproject, |key| {
                table?.get(key).and_then(toml_words)
            }));
        }
    }
    for (name, section) in [("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")] {
        let path = dir.child(name);
        if repo.files.is_file(&path)
            && let Some(section) = repo
                .ini(&path)
                .and_then(|doc| doc.section(section).cloned())
        {
            return Some(from_values(path, |key| {
                section.get(key).map(|v| words(&v.value))
            }));
        }
    }
    None
}

fn from_values(path: RelPath, get: impl Fn(&str) -> Option<Vec<String>>) -> PytestNames {
    let defaults = PytestNames::default();
    PytestNames {
        config: Some(path),
        python_files: get("python_files").unwrap_or(defaults.python_files),
        python_functions: get("python_functions").unwrap_or(defaults.python_functions),
        python_classes: get("python_classes").unwrap_or(defaults.python_classes),
    }
}

/// An INI value of pytest's `args` type: split like `shlex.split`.
fn words(text: &str) -> Vec<String> {
    shell_words(text)
}

fn toml_words(value: &TomlValue) -> Option<Vec<String>> {
    match &value.kind {
        TomlKind::String(s) => Some(shell_words(s)),
        TomlKind::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// `shlex.split` for the values pytest reads: whitespace separates words, quotes group.
fn shell_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// pytest's `fnmatch_ex`: a pattern without `/` matches the file name, one with `/`
/// matches the whole absolute path (with `*/` put in front).
fn matches_file_pattern(pattern: &str, name: &str, absolute: &str) -> bool {
    if pattern.contains('/') {
        let pattern = if pattern.starts_with('/') {
            pattern.to_string()
        } else {
            format!("*/{pattern}")
        };
        fnmatch(absolute, &pattern)
    } else {
        fnmatch(name, pattern)
    }
}

/// pytest's prefix-or-glob match for `python_functions` / `python_classes`.
fn matches_name(options: &[String], name: &str) -> bool {
    options.iter().any(|option| {
        name.starts_with(option.as_str())
            || (option.contains(['*', '?', '[']) && fnmatch(name, option))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_like_python() {
        assert_eq!(shell_words(" a  'b c' d"), ["a", "b c", "d"]);
    }
}
