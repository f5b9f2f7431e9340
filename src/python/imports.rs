//! Every import statement of a module, at any depth, as written (mypy collects them all,
//! in functions and classes too, to build its import graph).

use std::ops::Range;

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{Stmt, StmtImportFrom};
use ruff_text_size::Ranged;

/// An import statement as written, before relative names are made absolute: the module
/// name a file is read under can change, the statement cannot.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct RawImport {
    /// `import a.b` (true) or `from … import …` (false).
    pub plain: bool,
    pub level: u32,
    pub module: Option<Box<str>>,
    pub names: Box<[Box<str>]>,
    pub span: Range<usize>,
}

/// The import statements of `body`, in source order.
pub fn collect(body: &[Stmt]) -> Vec<RawImport> {
    let mut collector = ImportCollector { found: Vec::new() };
    collector.visit_body(body);
    collector.found
}

struct ImportCollector {
    found: Vec<RawImport>,
}

impl<'a> StatementVisitor<'a> for ImportCollector {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let range = stmt.range();
        let span = range.start().to_usize()..range.end().to_usize();
        match stmt {
            Stmt::Import(import) => self.found.push(RawImport {
                plain: true,
                level: 0,
                module: None,
                names: import
                    .names
                    .iter()
                    .map(|a| a.name.as_str().into())
                    .collect(),
                span,
            }),
            Stmt::ImportFrom(StmtImportFrom {
                level,
                module,
                names,
                ..
            }) => self.found.push(RawImport {
                plain: false,
                level: *level,
                module: module.as_ref().map(|m| m.as_str().into()),
                names: names.iter().map(|a| a.name.as_str().into()).collect(),
                span,
            }),
            _ => walk_stmt(self, stmt),
        }
    }
}
