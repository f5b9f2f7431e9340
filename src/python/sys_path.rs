//! What importing a module does, in order, as far as pytest's collection cares: the
//! absolute imports its body runs unconditionally and the changes it makes to
//! `sys.path`. A change laylint can follow (`sys.path.insert(0, X)`,
//! `sys.path.append(X)`, optionally under `if X not in sys.path:`) keeps its path as a
//! [`PathValue`]: `__file__`, the current folder or a relative literal, then `dirname`,
//! `.parent`, `join` and `/` steps. Any other use of `sys.path` at module level (a path
//! read from the environment, a slice assignment, `site.addsitedir`, an alias of `sys`,
//! a module-level call of a function that touches `sys.path`) is [`ModuleEvent::UnknownPath`]:
//! what it adds cannot be known without running the module.

use std::ops::Range;

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{CmpOp, Expr, Number, Stmt};

pub use super::path_value::{PathBase, PathStep, PathValue};
use super::path_value::{dotted, path_value};
use ruff_text_size::Ranged;

/// Something importing the module does, in the order it does it.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum ModuleEvent {
    /// An absolute import directly in the module body: `a.b` for `import a.b` and
    /// `from a.b import c`.
    Import {
        module: Box<str>,
        span: Range<usize>,
    },
    /// `sys.path.insert(index, path)` (`index` `None`: `append`), skipped when
    /// `unless_present` and the path is already on `sys.path`.
    AddPath {
        path: PathValue,
        index: Option<usize>,
        unless_present: bool,
    },
    /// A change to `sys.path` laylint cannot follow.
    UnknownPath,
}

/// Whether a function or class defined at module level touches `sys.path`: for a
/// `conftest.py`, a hook that may change it before collection.
pub fn deferred_sys_path(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) && touches_sys_path(stmt)
    })
}

/// The events of a module body, in order.
pub fn module_events(body: &[Stmt]) -> Vec<ModuleEvent> {
    let touching: Vec<&str> = body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(def) if touches_sys_path(stmt) => Some(def.name.as_str()),
            _ => None,
        })
        .collect();
    let mut events = Vec::new();
    for stmt in body {
        statement(stmt, &touching, &mut events);
    }
    events
}

fn statement(stmt: &Stmt, touching: &[&str], events: &mut Vec<ModuleEvent>) {
    let range = stmt.range();
    let span = range.start().to_usize()..range.end().to_usize();
    match stmt {
        Stmt::Import(import) => {
            for alias in &import.names {
                let name = alias.name.as_str();
                let renamed_sys = name == "sys" && alias.asname.is_some();
                if renamed_sys || name == "site" || name.starts_with("site.") {
                    events.push(ModuleEvent::UnknownPath);
                }
                events.push(ModuleEvent::Import {
                    module: name.into(),
                    span: span.clone(),
                });
            }
        }
        Stmt::ImportFrom(import) if import.level == 0 => {
            if let Some(module) = &import.module {
                if matches!(module.as_str(), "sys" | "site") {
                    events.push(ModuleEvent::UnknownPath);
                }
                events.push(ModuleEvent::Import {
                    module: module.as_str().into(),
                    span,
                });
            }
        }
        // Definitions run later (a test, a fixture, a hook): only a module-level call
        // of a function touching `sys.path` is followed, as unknown.
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
        Stmt::Expr(expr) => match add_path(&expr.value) {
            Some(event) => events.push(event),
            None if touches_sys_path(stmt) || calls_any(stmt, touching) => {
                events.push(ModuleEvent::UnknownPath);
            }
            None => {}
        },
        Stmt::If(test) if test.elif_else_clauses.is_empty() && test.body.len() == 1 => {
            let guarded = match (&test.body[0], not_in_sys_path(&test.test)) {
                (Stmt::Expr(expr), Some(checked)) => match add_path(&expr.value) {
                    Some(ModuleEvent::AddPath { path, index, .. }) if path == checked => {
                        Some(ModuleEvent::AddPath {
                            path,
                            index,
                            unless_present: true,
                        })
                    }
                    _ => None,
                },
                _ => None,
            };
            match guarded {
                Some(event) => events.push(event),
                None => other(stmt, touching, events),
            }
        }
        _ => other(stmt, touching, events),
    }
}

fn other(stmt: &Stmt, touching: &[&str], events: &mut Vec<ModuleEvent>) {
    if touches_sys_path(stmt) || calls_any(stmt, touching) || imports_sys_aliased(stmt) {
        events.push(ModuleEvent::UnknownPath);
    }
}

/// `sys.path.insert(N, X)` or `sys.path.append(X)` with `X` a [`PathValue`]; an
/// unknown path when the call is one of these with a path that is not.
fn add_path(expr: &Expr) -> Option<ModuleEvent> {
    let Expr::Call(call) = expr else {
        return None;
    };
    let Expr::Attribute(method) = &*call.func else {
        return None;
    };
    if !is_sys_path(&method.value) {
        return None;
    }
    let args = &call.arguments.args;
    if !call.arguments.keywords.is_empty() {
        return Some(ModuleEvent::UnknownPath);
    }
    let (index, value) = match (method.attr.as_str(), &args[..]) {
        ("append", [value]) => (None, value),
        ("insert", [Expr::NumberLiteral(n), value]) => match &n.value {
            Number::Int(i) => match i.as_usize() {
                Some(i) => (Some(i), value),
                None => return Some(ModuleEvent::UnknownPath),
            },
            _ => return Some(ModuleEvent::UnknownPath),
        },
        _ => return Some(ModuleEvent::UnknownPath),
    };
    Some(match path_value(value) {
        Some(path) => ModuleEvent::AddPath {
            path,
            index,
            unless_present: false,
        },
        None => ModuleEvent::UnknownPath,
    })
}

/// `X not in sys.path`.
fn not_in_sys_path(test: &Expr) -> Option<PathValue> {
    let Expr::Compare(compare) = test else {
        return None;
    };
    match (&*compare.ops, &*compare.comparators) {
        ([CmpOp::NotIn], [list]) if is_sys_path(list) => path_value(&compare.left),
        _ => None,
    }
}

fn is_sys_path(expr: &Expr) -> bool {
    dotted(expr).as_deref() == Some("sys.path")
}

/// Whether the statement mentions `sys.path` or `site.addsitedir` anywhere.
fn touches_sys_path(stmt: &Stmt) -> bool {
    let mut finder = Finder {
        found: false,
        calls: &[],
    };
    finder.visit_stmt(stmt);
    finder.found
}

/// Whether the statement calls one of the functions `names`.
fn calls_any(stmt: &Stmt, names: &[&str]) -> bool {
    if names.is_empty() {
        return false;
    }
    let mut finder = Finder {
        found: false,
        calls: names,
    };
    finder.visit_stmt(stmt);
    finder.found
}

/// `import sys as s`, `from sys import path`, `import site` below the top level.
fn imports_sys_aliased(stmt: &Stmt) -> bool {
    let mut found = false;
    let mut visit = |s: &Stmt| match s {
        Stmt::Import(import) => {
            found |= import.names.iter().any(|a| {
                (a.name.as_str() == "sys" && a.asname.is_some()) || a.name.as_str() == "site"
            });
        }
        Stmt::ImportFrom(import) => {
            found |= import
                .module
                .as_ref()
                .is_some_and(|m| matches!(m.as_str(), "sys" | "site"));
        }
        _ => {}
    };
    struct Walk<'f, F: FnMut(&Stmt)>(&'f mut F);
    impl<'a, F: FnMut(&Stmt)> Visitor<'a> for Walk<'_, F> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            (self.0)(stmt);
            walk_stmt(self, stmt);
        }
    }
    Walk(&mut visit).visit_stmt(stmt);
    found
}

struct Finder<'n> {
    found: bool,
    /// Look for calls of these names instead of `sys.path`.
    calls: &'n [&'n str],
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found {
            return;
        }
        if self.calls.is_empty() {
            if matches!(
                dotted(expr).as_deref(),
                Some("sys.path" | "site.addsitedir")
            ) {
                self.found = true;
                return;
            }
        } else if let Expr::Call(call) = expr
            && let Expr::Name(name) = &*call.func
            && self.calls.contains(&name.id.as_str())
        {
            self.found = true;
            return;
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::with_module;

    fn events(text: &str) -> Vec<ModuleEvent> {
        with_module(text, module_events).unwrap()
    }

    fn adds(text: &str) -> Option<PathValue> {
        match events(text).pop()? {
            ModuleEvent::AddPath { path, .. } => Some(path),
            _ => None,
        }
    }

    #[test]
    fn follows_paths_computed_from_file() {
        let up = |n: usize| PathValue {
            base: PathBase::File,
            steps: vec![PathStep::Parent; n],
        };
        let os = "import os\nimport sys\n";
        assert_eq!(
            adds(&format!(
                "{os}sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), \"..\")))"
            )),
            Some(PathValue {
                base: PathBase::File,
                steps: vec![PathStep::Parent, PathStep::Join("..".into())],
            })
        );
        assert_eq!(
            adds(
                "import sys\nfrom pathlib import Path\nsys.path.append(str(Path(__file__).resolve().parent.parent))"
            ),
            Some(up(2))
        );
        assert_eq!(
            adds(
                "import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).parents[1]))"
            ),
            Some(up(2))
        );
        let guarded = events(
            "import sys\nfrom pathlib import Path\nROOT = 1\nif str(Path(__file__).parent) not in sys.path:\n    sys.path.insert(0, str(Path(__file__).parent))\n",
        );
        assert!(matches!(
            guarded.last(),
            Some(ModuleEvent::AddPath {
                unless_present: true,
                ..
            })
        ));
    }

    #[test]
    fn reading_sys_alone_changes_nothing() {
        let found =
            events("import sys\n\nprint(sys.version)\n\ndef test_a():\n    sys.path.append('x')\n");
        assert!(
            found
                .iter()
                .all(|e| matches!(e, ModuleEvent::Import { .. }))
        );
    }

    #[test]
    fn what_cannot_be_computed_is_unknown() {
        for text in [
            "import os, sys\nsys.path.insert(0, os.environ.get('CODE_DIR', '.'))",
            "import sys\nsys.path[:0] = ['src']",
            "import sys\nROOT = 'src'\nsys.path.insert(0, ROOT)",
            "import sys as s\ns.path.append('src')",
            "from sys import path\npath.append('src')",
            "import site\nsite.addsitedir('src')",
            "import sys\ndef setup():\n    sys.path.append('src')\nsetup()",
            "import sys\nfor p in ['a']:\n    sys.path.append(p)",
        ] {
            assert!(events(text).contains(&ModuleEvent::UnknownPath), "{text}");
        }
    }
}
