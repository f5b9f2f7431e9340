//! The Python parser behind one small API: what a module binds at top level and which
//! relative imports run when it is imported. Parsed lazily, once, only when a rule asks.
//!
//! Parsing runs on a thread with a large stack: ruff's parser grows its own stack, but
//! dropping a deeply nested tree recurses, and repository data must never crash us.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ExceptHandler, Expr, Parameters, Stmt};
use ruff_text_size::Ranged;

use crate::model::Repo;
use crate::paths::RelPath;

/// Stack for the parse thread; virtual memory, touched only by deep input.
const PARSE_STACK_SIZE: usize = 256 * 1024 * 1024;
/// CPython's tokenizer refuses deeper bracket nesting ("too many nested parentheses").
const MAX_BRACKET_NESTING: usize = 200;

/// What one module binds and imports at top level.
#[derive(Debug, Default, Clone)]
pub struct PyModule {
    /// Module-level names, including those bound inside top-level `if`/`try`/`with`/`for`.
    /// The last binding of a name wins, as at run time.
    pub bindings: HashMap<String, Binding>,
    /// `from x import *` at module level: any name may be bound.
    pub has_star_import: bool,
    /// A module-level `__getattr__` (PEP 562): any attribute may resolve.
    pub has_module_getattr: bool,
    /// Relative imports executed when the module is imported (not those in functions).
    pub relative_imports: Vec<RelativeImport>,
}

impl PyModule {
    /// Whether `getattr(module, name)` can succeed, as far as the source tells.
    pub fn may_bind(&self, name: &str) -> bool {
        self.bindings.contains_key(name) || self.has_star_import || self.has_module_getattr
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub kind: BindingKind,
    /// The statement that binds the name (for a `def`, its name identifier).
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingKind {
    Function(FunctionInfo),
    Class,
    /// `x = …`, `x: T = …`, `x += …`, tuple targets, `for x in …`, `with … as x`.
    Assignment,
    /// `import x`, `import x as y`, `from m import x as y`.
    Import,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub is_async: bool,
    /// Positional parameters without a default (positional-only included).
    pub required_positional: usize,
    /// Positional parameters in all, or `None` with `*args`.
    pub max_positional: Option<usize>,
    /// Keyword-only parameters without a default: a call with two positionals fails.
    pub required_keyword_only: usize,
}

/// `from . import x` / `from ..m import y` executed at import time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeImport {
    /// Number of leading dots.
    pub level: u32,
    pub module: Option<String>,
    pub span: Range<usize>,
    /// Inside `try` whose handlers catch `ImportError`, or under `if TYPE_CHECKING`:
    /// a failure there never reaches the runtime.
    pub guarded: bool,
}

/// A parse failure: message and byte span of the parser's location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PySyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// Parses `text` and extracts its module-level facts, on a large-stack thread.
pub fn analyze(text: &str) -> Result<PyModule, PySyntaxError> {
    let owned = text.to_string();
    let spawned = std::thread::Builder::new()
        .name("laylint-python-parse".into())
        .stack_size(PARSE_STACK_SIZE)
        .spawn(move || analyze_here(&owned));
    match spawned.map(std::thread::JoinHandle::join) {
        Ok(Ok(result)) => result,
        Ok(Err(_)) | Err(_) => Err(PySyntaxError {
            message: "could not be analysed (parser failure)".into(),
            span: 0..0,
        }),
    }
}

fn analyze_here(text: &str) -> Result<PyModule, PySyntaxError> {
    let parsed = ruff_python_parser::parse_module(text).map_err(|error| PySyntaxError {
        message: error.error.to_string(),
        span: error.location.start().to_usize()..error.location.end().to_usize(),
    })?;
    let mut depth = 0usize;
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                depth += 1;
                if depth > MAX_BRACKET_NESTING {
                    let range = token.range();
                    return Err(PySyntaxError {
                        message: "too many nested parentheses".into(),
                        span: range.start().to_usize()..range.end().to_usize(),
                    });
                }
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    Ok(extract(&parsed.syntax().body))
}

/// How a block of statements runs at import time.
#[derive(Clone, Copy)]
struct BlockContext {
    /// Names bound here are module attributes (false inside class bodies).
    binds: bool,
    /// An `ImportError` here is caught, or the block never runs.
    guarded: bool,
}

/// Walks module-level statements iteratively (nested blocks can be deep).
fn extract(body: &[Stmt]) -> PyModule {
    let mut module = PyModule::default();
    let mut stack: Vec<(&[Stmt], BlockContext)> = vec![(
        body,
        BlockContext {
            binds: true,
            guarded: false,
        },
    )];
    while let Some((block, ctx)) = stack.pop() {
        // Later statements bind last: process in order, push nested blocks to run after.
        let mut nested: Vec<(&[Stmt], BlockContext)> = Vec::new();
        for stmt in block {
            visit_stmt(stmt, ctx, &mut module, &mut nested);
        }
        stack.extend(nested.into_iter().rev());
    }
    module
}

fn visit_stmt<'a>(
    stmt: &'a Stmt,
    ctx: BlockContext,
    module: &mut PyModule,
    nested: &mut Vec<(&'a [Stmt], BlockContext)>,
) {
    let span = stmt.range().start().to_usize()..stmt.range().end().to_usize();
    let bind = |module: &mut PyModule, name: &str, kind: BindingKind, span: Range<usize>| {
        if ctx.binds {
            module
                .bindings
                .insert(name.to_string(), Binding { kind, span });
        }
    };
    match stmt {
        Stmt::FunctionDef(def) => {
            let name = def.name.as_str();
            if name == "__getattr__" && ctx.binds {
                module.has_module_getattr = true;
            }
            let id = def.name.range();
            let info = function_info(def.is_async, &def.parameters);
            bind(
                module,
                name,
                BindingKind::Function(info),
                id.start().to_usize()..id.end().to_usize(),
            );
        }
        Stmt::ClassDef(class) => {
            bind(module, class.name.as_str(), BindingKind::Class, span);
            // A class body runs at import time; its imports count, its names are not module names.
            nested.push((
                &class.body,
                BlockContext {
                    binds: false,
                    ..ctx
                },
            ));
        }
        Stmt::Assign(assign) => {
            for target in &assign.targets {
                for name in target_names(target) {
                    bind(module, name, BindingKind::Assignment, span.clone());
                }
            }
        }
        Stmt::AnnAssign(assign) if assign.value.is_some() => {
            for name in target_names(&assign.target) {
                bind(module, name, BindingKind::Assignment, span.clone());
            }
        }
        Stmt::AugAssign(assign) => {
            for name in target_names(&assign.target) {
                bind(module, name, BindingKind::Assignment, span.clone());
            }
        }
        Stmt::TypeAlias(alias) => {
            for name in target_names(&alias.name) {
                bind(module, name, BindingKind::Assignment, span.clone());
            }
        }
        Stmt::Import(import) => {
            for alias in &import.names {
                let bound = match &alias.asname {
                    Some(asname) => asname.as_str(),
                    None => alias.name.as_str().split('.').next().unwrap_or_default(),
                };
                bind(module, bound, BindingKind::Import, span.clone());
            }
        }
        Stmt::ImportFrom(import) => {
            if import.level > 0 {
                module.relative_imports.push(RelativeImport {
                    level: import.level,
                    module: import.module.as_ref().map(|m| m.as_str().to_string()),
                    span: span.clone(),
                    guarded: ctx.guarded,
                });
            }
            for alias in &import.names {
                if alias.name.as_str() == "*" {
                    if ctx.binds {
                        module.has_star_import = true;
                    }
                    continue;
                }
                let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                bind(module, bound.as_str(), BindingKind::Import, span.clone());
            }
        }
        Stmt::If(stmt_if) => {
            let never_runs = is_type_checking(&stmt_if.test);
            nested.push((
                &stmt_if.body,
                BlockContext {
                    guarded: ctx.guarded || never_runs,
                    ..ctx
                },
            ));
            for clause in &stmt_if.elif_else_clauses {
                nested.push((&clause.body, ctx));
            }
        }
        Stmt::Try(stmt_try) => {
            let catches = stmt_try.handlers.iter().any(catches_import_error);
            nested.push((
                &stmt_try.body,
                BlockContext {
                    guarded: ctx.guarded || catches,
                    ..ctx
                },
            ));
            for handler in &stmt_try.handlers {
                let ExceptHandler::ExceptHandler(h) = handler;
                if let Some(name) = &h.name {
                    bind(module, name.as_str(), BindingKind::Assignment, span.clone());
                }
                nested.push((&h.body, ctx));
            }
            nested.push((&stmt_try.orelse, ctx));
            nested.push((&stmt_try.finalbody, ctx));
        }
        Stmt::With(with) => {
            for item in &with.items {
                if let Some(target) = &item.optional_vars {
                    for name in target_names(target) {
                        bind(module, name, BindingKind::Assignment, span.clone());
                    }
                }
            }
            nested.push((&with.body, ctx));
        }
        Stmt::For(stmt_for) => {
            for name in target_names(&stmt_for.target) {
                bind(module, name, BindingKind::Assignment, span.clone());
            }
            nested.push((&stmt_for.body, ctx));
            nested.push((&stmt_for.orelse, ctx));
        }
        Stmt::While(stmt_while) => {
            nested.push((&stmt_while.body, ctx));
            nested.push((&stmt_while.orelse, ctx));
        }
        Stmt::Match(stmt_match) => {
            for case in &stmt_match.cases {
                nested.push((&case.body, ctx));
            }
        }
        _ => {}
    }
}

fn function_info(is_async: bool, parameters: &Parameters) -> FunctionInfo {
    let positional = parameters.posonlyargs.iter().chain(&parameters.args);
    let required_positional = positional.clone().filter(|p| p.default.is_none()).count();
    FunctionInfo {
        is_async,
        required_positional,
        max_positional: parameters.vararg.is_none().then(|| positional.count()),
        required_keyword_only: parameters
            .kwonlyargs
            .iter()
            .filter(|p| p.default.is_none())
            .count(),
    }
}

/// Names bound by an assignment target (`a`, `a, (b, *c)`); attributes and subscripts bind none.
fn target_names(target: &Expr) -> Vec<&str> {
    let mut names = Vec::new();
    let mut stack = vec![target];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Name(name) => names.push(name.id.as_str()),
            Expr::Tuple(tuple) => stack.extend(tuple.elts.iter()),
            Expr::List(list) => stack.extend(list.elts.iter()),
            Expr::Starred(starred) => stack.push(&starred.value),
            _ => {}
        }
    }
    names
}

/// `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:` never runs.
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attr) => attr.attr.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// Whether an `except` clause catches the `ImportError` a bad relative import raises.
fn catches_import_error(handler: &ExceptHandler) -> bool {
    let ExceptHandler::ExceptHandler(h) = handler;
    let Some(types) = &h.type_ else {
        return true;
    };
    let catches = |expr: &Expr| {
        let name = match expr {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attr) => attr.attr.as_str(),
            _ => return false,
        };
        matches!(name, "ImportError" | "Exception" | "BaseException")
    };
    match types.as_ref() {
        Expr::Tuple(tuple) => tuple.elts.iter().any(catches),
        other => catches(other),
    }
}

impl Repo {
    /// The analysed Python module at `path`; parse errors are recorded once (PAR001).
    pub fn python_module(&self, path: &RelPath) -> Option<Arc<PyModule>> {
        let cache = || self.caches.python.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = cache().get(path) {
            return cached.clone();
        }
        let analysed = self
            .read_or_report(path)
            .and_then(|source| match analyze(&source.text) {
                Ok(module) => Some(Arc::new(module)),
                Err(error) => {
                    self.report_problem(
                        path,
                        Some(error.span),
                        format!("`{path}` is not valid Python: {}", error.message),
                    );
                    None
                }
            });
        cache().entry(path.clone()).or_insert(analysed).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_module_level_bindings() {
        let module = analyze(
            "import os, a.b as c, x.y\nfrom m import n as handler2\nfrom q import *\n\
             try:\n    from . import u\nexcept ImportError:\n    u = None\n\
             if True:\n    async def h(event, context=None): pass\n\
             class K:\n    def method(self): pass\n    from .. import v\n\
             a, (b, *c2) = 1, (2, 3)\nz: int\nw: int = 1\nw += 1\n\
             def outer():\n    def inner(): pass\n    from . import never\n",
        )
        .unwrap();
        for name in [
            "os", "c", "x", "handler2", "u", "h", "K", "a", "b", "c2", "w", "outer",
        ] {
            assert!(module.bindings.contains_key(name), "{name}");
        }
        for name in ["z", "method", "inner", "never", "v"] {
            assert!(!module.bindings.contains_key(name), "{name}");
        }
        assert!(module.has_star_import);
        let Some(BindingKind::Function(info)) = module.bindings.get("h").map(|b| &b.kind) else {
            panic!("h is a function");
        };
        assert!(info.is_async);
        assert_eq!(
            (info.required_positional, info.max_positional),
            (1, Some(2))
        );
        let imports: Vec<_> = module
            .relative_imports
            .iter()
            .map(|r| (r.level, r.guarded))
            .collect();
        assert_eq!(imports, vec![(1, true), (2, false)]);
    }

    #[test]
    fn deep_nesting_does_not_crash() {
        let deep = format!("x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000));
        let error = analyze(&deep).unwrap_err();
        assert_eq!(error.message, "too many nested parentheses");
        let lists = format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        assert!(analyze(&lists).is_err());
        assert!(analyze("def broken(:\n").is_err());
    }
}
