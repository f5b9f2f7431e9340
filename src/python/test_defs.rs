//! What pytest could collect from a module, read from its syntax: the module-level
//! functions and classes (the last binding of a name wins, as in the module's namespace)
//! and, for classes, the methods they define. Matching them against the pytest
//! configuration's `python_functions` / `python_classes` is the caller's job.

use std::ops::Range;

use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef};
use ruff_text_size::Ranged;

use super::{PySyntaxError, with_module};

/// A module-level name pytest may look at.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum TestCandidate {
    /// A `def` (or `async def`) not marked as a fixture.
    Function,
    Class(TestClass),
    /// A fixture, an assignment or an import: never collected as a test here.
    Other,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct TestClass {
    /// Methods defined in the class body (not inherited ones).
    pub methods: Vec<String>,
    /// `__init__` or `__new__`: pytest warns and does not collect the class.
    pub has_init: bool,
    /// A base named `…TestCase`: the unittest plugin collects `test*` methods whatever the
    /// class is called.
    pub unittest: bool,
}

/// An absolute import statement directly in the module body (not under `if`, `try` or
/// any other block): it runs whenever the module is imported, and its failure is the
/// module's.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TopImport {
    /// The module the statement imports: `a.b.c` for `import a.b.c`, `a.b` for
    /// `from a.b import c`.
    pub module: Box<str>,
    pub span: Range<usize>,
}

/// What a test module (or `conftest.py`) defines and imports.
#[derive(Debug, Clone, Default)]
pub struct TestModuleSyntax {
    /// Module-level names in binding order (a later entry replaces an earlier one).
    pub candidates: Vec<(String, TestCandidate)>,
    /// The absolute imports directly in the module body.
    pub imports: Vec<TopImport>,
    /// Its imports and `sys.path` changes at module level, in order.
    pub events: Vec<super::sys_path::ModuleEvent>,
    /// A function or class at module level touches `sys.path`.
    pub deferred_sys_path: bool,
}

/// Reads a module the way pytest's collection sees it.
pub fn test_candidates(text: &str) -> Result<TestModuleSyntax, PySyntaxError> {
    with_module(text, |body| TestModuleSyntax {
        candidates: candidates(body),
        imports: top_imports(body),
        events: super::sys_path::module_events(body),
        deferred_sys_path: super::sys_path::deferred_sys_path(body),
    })
}

fn top_imports(body: &[Stmt]) -> Vec<TopImport> {
    let mut out = Vec::new();
    for stmt in body {
        let range = stmt.range();
        let span = range.start().to_usize()..range.end().to_usize();
        match stmt {
            Stmt::Import(import) => out.extend(import.names.iter().map(|alias| TopImport {
                module: alias.name.as_str().into(),
                span: span.clone(),
            })),
            Stmt::ImportFrom(import) if import.level == 0 => {
                if let Some(module) = &import.module {
                    out.push(TopImport {
                        module: module.as_str().into(),
                        span,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

fn candidates(body: &[Stmt]) -> Vec<(String, TestCandidate)> {
    {
        let mut out = Vec::new();
        let mut stack: Vec<&[Stmt]> = vec![body];
        while let Some(block) = stack.pop() {
            let mut nested: Vec<&[Stmt]> = Vec::new();
            for stmt in block {
                visit(stmt, &mut out, &mut nested);
            }
            stack.extend(nested.into_iter().rev());
        }
        out
    }
}

fn visit<'a>(stmt: &'a Stmt, out: &mut Vec<(String, TestCandidate)>, nested: &mut Vec<&'a [Stmt]>) {
    match stmt {
        Stmt::FunctionDef(def) => {
            let candidate = if def.decorator_list.iter().any(is_fixture) {
                TestCandidate::Other
            } else {
                TestCandidate::Function
            };
            out.push((def.name.to_string(), candidate));
        }
        Stmt::ClassDef(class) => {
            out.push((
                class.name.to_string(),
                TestCandidate::Class(class_info(class)),
            ));
        }
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                if let Expr::Name(name) = target {
                    out.push((name.id.to_string(), TestCandidate::Other));
                }
            }
        }
        Stmt::AnnAssign(assign) if assign.value.is_some() => {
            if let Expr::Name(name) = assign.target.as_ref() {
                out.push((name.id.to_string(), TestCandidate::Other));
            }
        }
        Stmt::Import(import) => {
            for alias in &import.names {
                let bound = alias.asname.as_ref().map_or_else(
                    || alias.name.split('.').next().unwrap_or_default(),
                    |a| a.as_str(),
                );
                out.push((bound.to_string(), TestCandidate::Other));
            }
        }
        Stmt::ImportFrom(import) => {
            for alias in &import.names {
                let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                out.push((bound.to_string(), TestCandidate::Other));
            }
        }
        Stmt::If(stmt_if) => {
            nested.push(&stmt_if.body);
            for clause in &stmt_if.elif_else_clauses {
                nested.push(&clause.body);
            }
        }
        Stmt::Try(stmt_try) => {
            nested.push(&stmt_try.body);
            for handler in &stmt_try.handlers {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                nested.push(&h.body);
            }
            nested.push(&stmt_try.orelse);
            nested.push(&stmt_try.finalbody);
        }
        Stmt::With(with) => nested.push(&with.body),
        Stmt::For(stmt_for) => {
            nested.push(&stmt_for.body);
            nested.push(&stmt_for.orelse);
        }
        Stmt::While(stmt_while) => {
            nested.push(&stmt_while.body);
            nested.push(&stmt_while.orelse);
        }
        _ => {}
    }
}

fn class_info(class: &StmtClassDef) -> TestClass {
    let mut info = TestClass {
        unittest: class.bases().iter().any(|base| {
            let name = match base {
                Expr::Name(name) => name.id.as_str(),
                Expr::Attribute(attr) => attr.attr.as_str(),
                _ => "",
            };
            name.ends_with("TestCase")
        }),
        ..TestClass::default()
    };
    for stmt in &class.body {
        if let Stmt::FunctionDef(def) = stmt {
            let name = def.name.as_str();
            if name == "__init__" || name == "__new__" {
                info.has_init = true;
            } else if !def.decorator_list.iter().any(is_fixture) {
                info.methods.push(name.to_string());
            }
        }
    }
    info
}

/// `@pytest.fixture`, `@fixture`, and their called forms.
fn is_fixture(decorator: &Decorator) -> bool {
    let expr = match &decorator.expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    match expr {
        Expr::Name(name) => name.id.as_str() == "fixture",
        Expr::Attribute(attr) => attr.attr.as_str() == "fixture",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_functions_classes_and_fixtures() {
        let text = "import pytest\n\n@pytest.fixture\ndef test_data():\n    return 1\n\n\
                    def test_a():\n    pass\n\nif True:\n    async def test_b():\n        pass\n\n\
                    class TestC:\n    def __init__(self):\n        pass\n    def test_x(self):\n        pass\n\n\
                    class Case(unittest.TestCase):\n    def test_y(self):\n        pass\n";
        let syntax = test_candidates(text).unwrap();
        assert_eq!(syntax.imports.len(), 1);
        assert_eq!(&*syntax.imports[0].module, "pytest");
        assert!(!syntax.deferred_sys_path);
        let found = syntax.candidates;
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["pytest", "test_data", "test_a", "TestC", "Case", "test_b"]
        );
        assert_eq!(found[1].1, TestCandidate::Other);
        assert_eq!(found[2].1, TestCandidate::Function);
        let TestCandidate::Class(c) = &found[3].1 else {
            panic!("class")
        };
        assert!(c.has_init && c.methods == ["test_x"]);
        let TestCandidate::Class(case) = &found[4].1 else {
            panic!("class")
        };
        assert!(case.unittest);
    }
}
