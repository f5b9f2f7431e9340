//! The analysis of Python modules, one per file (a per-file facet, see [`super::per_file`]).

use std::sync::Arc;

use crate::model::Repo;
use crate::model::source::SourceFile;
use crate::paths::RelPath;
use crate::python::{PyModule, analyze_or_error};

impl Repo {
    /// The analysis of the Python file at `path`, parsed once for every rule (and kept
    /// across language-server saves); `None` when it cannot be read. Reports nothing: a
    /// module that does not parse has [`PyModule::syntax_error`] set.
    pub fn python_analysis(&self, path: &RelPath) -> Option<Arc<PyModule>> {
        self.cached(&self.caches.python, path, || {
            let source = self.read_once(path).ok()?;
            self.scan_read_text(&source);
            Some(analyze_or_error(&source.text))
        })
    }

    /// [`Repo::python_analysis`] of a file whose text the caller has just read.
    pub(crate) fn python_analysis_of(&self, source: &SourceFile) -> Option<Arc<PyModule>> {
        self.cached(&self.caches.python, &source.path, || {
            Some(analyze_or_error(&source.text))
        })
    }

    /// The analysed Python module at `path`; what cannot be read or parsed is reported
    /// (PAR001, once per file) and gives `None`.
    pub fn python_module(&self, path: &RelPath) -> Option<Arc<PyModule>> {
        let Some(module) = self.python_analysis(path) else {
            self.read_or_report(path);
            return None;
        };
        match &module.syntax_error {
            None => Some(module),
            Some(error) => {
                self.report_problem(
                    path,
                    Some(error.span.clone()),
                    format!("`{path}` is not valid Python: {}", error.message),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_parses_lazily_once_and_reports_errors() {
        let bad = RelPath::parse("fn/bad.py").unwrap();
        let good = RelPath::parse("fn/good.py").unwrap();
        let repo = Repo::from_sources(
            std::path::PathBuf::from("/nonexistent"),
            vec![
                (bad.clone(), "def broken(:\n".into()),
                (good.clone(), "def handler(e, c): pass\n".into()),
            ],
        );
        assert!(repo.python_module(&bad).is_none());
        assert!(repo.python_module(&bad).is_none());
        let first = repo.python_module(&good).unwrap();
        assert!(Arc::ptr_eq(&first, &repo.python_module(&good).unwrap()));
        let problems = repo.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].location.path, bad);
        assert!(problems[0].location.span.is_some());
    }
}
