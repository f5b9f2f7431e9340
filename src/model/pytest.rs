//! What pytest collects: a module is a test when its name matches the pytest
//! configuration's `python_files` (default `test_*.py`, `*_test.py`) and it defines a
//! test function (`python_functions`, default the `test` prefix) or a test class
//! (`python_classes`, default `Test`) with a test method; `conftest.py` is always one. A
//! module that a Lambda handler points at is deployed code, never a test.
//!
//! The configuration is pytest's for that module: going up from the module's folder, the
//! first folder holding one (see [`super::pytest_config`]), as pytest finds its
//! configuration from the paths it is given.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Repo;
use super::facets::pytest::PytestView;
use super::fnmatch::fnmatch;
use super::pytest_config::PytestConfig;
use crate::paths::RelPath;
use crate::python::sys_path::ModuleEvent;
use crate::python::test_defs::{TestCandidate, TopImport, test_candidates};

/// What pytest could collect from one module: its module-level candidates, the last
/// binding of each name only (a per-file facet, kept across language-server saves).
#[derive(serde::Serialize, serde::Deserialize, Debug)]
pub enum TestDefs {
    Parsed {
        candidates: Box<[(Box<str>, TestCandidate)]>,
        /// The absolute imports run unconditionally when the module is imported.
        imports: Box<[TopImport]>,
        /// Its imports and `sys.path` changes at module level, in order.
        events: Box<[ModuleEvent]>,
        /// A function or class at module level touches `sys.path`.
        deferred_sys_path: bool,
    },
    /// pytest collects it and reports the error.
    SyntaxError,
}

impl Repo {
    /// [`TestDefs`] of the module at `path`; `None` when it cannot be read.
    pub fn test_defs(&self, path: &RelPath) -> Option<Arc<TestDefs>> {
        self.cached(&self.caches.test_defs, path, || {
            let source = self.read_once(path).ok()?;
            self.scan_read_text(&source);
            let defs = match test_candidates(&source.text) {
                Ok(syntax) => {
                    let mut last: HashMap<String, TestCandidate> = HashMap::new();
                    for (name, candidate) in syntax.candidates {
                        last.insert(name, candidate);
                    }
                    TestDefs::Parsed {
                        candidates: last
                            .into_iter()
                            .map(|(name, candidate)| (name.into_boxed_str(), candidate))
                            .collect(),
                        imports: syntax.imports.into_boxed_slice(),
                        events: syntax.events.into_boxed_slice(),
                        deferred_sys_path: syntax.deferred_sys_path,
                    }
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
    configs: Mutex<HashMap<RelPath, Arc<PytestConfig>>>,
}

impl<'a> TestModules<'a> {
    pub fn new(repo: &'a Repo) -> Self {
        Self {
            repo,
            view: repo.pytest_view(),
            configs: Mutex::new(HashMap::new()),
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
        if !self.imports_module(path) {
            return false;
        }
        let names = self.config_for(&path.parent().unwrap_or_default());
        let Some(defs) = self.repo.test_defs(path) else {
            return false;
        };
        // A module that does not parse is still collected: pytest reports the error.
        let TestDefs::Parsed { candidates, .. } = &*defs else {
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

    /// Whether pytest imports `path` while collecting, tests in it or not: its name
    /// matches `python_files` (`conftest.py` aside, which is loaded, not collected).
    pub fn imports_module(&self, path: &RelPath) -> bool {
        let name = path.file_name();
        if !name.ends_with(".py") {
            return false;
        }
        let config = self.config_for(&path.parent().unwrap_or_default());
        // The absolute path only for a pattern holding `/` (the defaults hold none).
        let absolute = std::cell::OnceCell::new();
        let absolute = || {
            absolute
                .get_or_init(|| {
                    self.repo
                        .root
                        .join(path.as_str())
                        .to_string_lossy()
                        .into_owned()
                })
                .as_str()
        };
        config
            .python_files
            .iter()
            .any(|pattern| matches_file_pattern(pattern, name, absolute))
    }

    /// The configuration that applies in `dir`.
    pub fn config_for(&self, dir: &RelPath) -> Arc<PytestConfig> {
        if let Some(found) = self.lock().get(dir) {
            return found.clone();
        }
        let names = match self.view.configs.get(dir) {
            Some(names) => names.clone(),
            None => match dir.parent() {
                Some(parent) => self.config_for(&parent),
                None => Arc::new(PytestConfig::default()),
            },
        };
        self.lock().insert(dir.clone(), names.clone());
        names
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RelPath, Arc<PytestConfig>>> {
        self.configs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// pytest's `fnmatch_ex`: a pattern without `/` matches the file name, one with `/`
/// matches the whole absolute path (with `*/` put in front).
fn matches_file_pattern<'a>(pattern: &str, name: &str, absolute: impl Fn() -> &'a str) -> bool {
    if pattern.contains('/') {
        let pattern = if pattern.starts_with('/') {
            pattern.to_string()
        } else {
            format!("*/{pattern}")
        };
        fnmatch(absolute(), &pattern)
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
