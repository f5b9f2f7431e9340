//! The module-level walk: which names a module binds and which relative imports run
//! when it is imported. Iterative, because nested blocks can be deep.

use std::ops::Range;

use ruff_python_ast::{ExceptHandler, Expr, Parameters, Stmt};
use ruff_text_size::Ranged;

use super::import_guards::{
    catches_import_error, catches_module_not_found, edits_sys_path, is_type_checking,
};
use super::{Binding, BindingKind, FunctionInfo, PyModule, RelativeImport, imports};

/// How a block of statements runs at import time.
#[derive(Clone, Copy)]
struct BlockContext {
    /// Names bound here are module attributes (false inside class bodies).
    binds: bool,
    /// An `ImportError` here is caught, or the block never runs.
    guarded: bool,
    /// Runs whenever the module is imported, with a missing module's `ImportError`
    /// uncaught: directly in the module body, a `with`, a class body, a `try`'s `else` or
    /// `finally`, or a `try` body whose handlers let `ImportError` through.
    certain: bool,
}

/// Walks module-level statements iteratively (nested blocks can be deep).
pub(super) fn extract(body: &[Stmt]) -> PyModule {
    let mut module = PyModule::default();
    let mut stack: Vec<(&[Stmt], BlockContext)> = vec![(
        body,
        BlockContext {
            binds: true,
            guarded: false,
            certain: true,
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
            module.bindings.insert(name, Binding { kind, span });
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
            module.edits_sys_path |= edits_sys_path(stmt);
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
            module.edits_sys_path |= edits_sys_path(stmt);
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
            if ctx.certain {
                module.runtime_imports.push(raw_import(stmt, span.clone()));
            }
            for alias in &import.names {
                let bound = match &alias.asname {
                    Some(asname) => asname.as_str(),
                    None => alias.name.as_str().split('.').next().unwrap_or_default(),
                };
                bind(module, bound, BindingKind::Import, span.clone());
            }
        }
        Stmt::ImportFrom(import) => {
            if ctx.certain {
                module.runtime_imports.push(raw_import(stmt, span.clone()));
            }
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
            let maybe = BlockContext {
                certain: false,
                ..ctx
            };
            nested.push((
                &stmt_if.body,
                BlockContext {
                    guarded: ctx.guarded || never_runs,
                    ..maybe
                },
            ));
            for clause in &stmt_if.elif_else_clauses {
                nested.push((&clause.body, maybe));
            }
        }
        Stmt::Try(stmt_try) => {
            let catches = stmt_try.handlers.iter().any(catches_import_error);
            let handled = stmt_try.handlers.iter().any(catches_module_not_found);
            nested.push((
                &stmt_try.body,
                BlockContext {
                    guarded: ctx.guarded || catches,
                    certain: ctx.certain && !handled,
                    ..ctx
                },
            ));
            for handler in &stmt_try.handlers {
                let ExceptHandler::ExceptHandler(h) = handler;
                if let Some(name) = &h.name {
                    bind(module, name.as_str(), BindingKind::Assignment, span.clone());
                }
                let maybe = BlockContext {
                    certain: false,
                    ..ctx
                };
                nested.push((&h.body, maybe));
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
            let maybe = BlockContext {
                certain: false,
                ..ctx
            };
            nested.push((&stmt_for.body, maybe));
            nested.push((&stmt_for.orelse, maybe));
        }
        Stmt::While(stmt_while) => {
            let maybe = BlockContext {
                certain: false,
                ..ctx
            };
            nested.push((&stmt_while.body, maybe));
            nested.push((&stmt_while.orelse, maybe));
        }
        Stmt::Match(stmt_match) => {
            let maybe = BlockContext {
                certain: false,
                ..ctx
            };
            for case in &stmt_match.cases {
                nested.push((&case.body, maybe));
            }
        }
        Stmt::Expr(_) if edits_sys_path(stmt) => {
            module.edits_sys_path = true;
        }
        _ => {}
    }
}

fn function_info(is_async: bool, parameters: &Parameters) -> FunctionInfo {
    let positional = parameters.posonlyargs.iter().chain(&parameters.args);
    let required_positional = positional.clone().filter(|p| p.default.is_none()).count();
    let names: Vec<&str> = positional
        .clone()
        .take(2)
        .map(|p| p.parameter.name.as_str().trim_start_matches('_'))
        .collect();
    FunctionInfo {
        event_context: names == ["event", "context"],
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

/// The statement as an [`imports::RawImport`].
fn raw_import(stmt: &Stmt, span: Range<usize>) -> imports::RawImport {
    let mut found = imports::collect(std::slice::from_ref(stmt));
    found.pop().unwrap_or(imports::RawImport {
        plain: true,
        level: 0,
        module: None,
        names: Box::new([]),
        span,
    })
}

#[cfg(test)]
mod tests {
    use crate::python::analyze;

    fn runtime_imports(text: &str) -> Vec<String> {
        let module = analyze(text).expect("parses");
        module
            .runtime_imports
            .iter()
            .map(|i| match (&i.module, i.plain) {
                (_, true) => i.names.join(","),
                (Some(m), false) => format!("{}{m}", ".".repeat(i.level as usize)),
                (None, false) => ".".repeat(i.level as usize),
            })
            .collect()
    }

    #[test]
    fn runtime_imports_are_the_certain_unguarded_ones() {
        let text = "import a, b.c\nfrom d import e\nfrom . import f\n\
            try:\n    import g\nexcept ImportError:\n    g = None\n\
            try:\n    import h\nexcept (ValueError, ModuleNotFoundError):\n    pass\n\
            try:\n    import i\nexcept ValueError:\n    import never1\nelse:\n    import j\nfinally:\n    import k\n\
            if TYPE_CHECKING:\n    import never2\n\
            if x:\n    import never3\nelse:\n    import never4\n\
            for _ in []:\n    import never5\n\
            with open('f') as fh:\n    import l\n\
            class C:\n    import m\n\
            def fn():\n    import never6\n";
        assert_eq!(
            runtime_imports(text),
            ["a,b.c", "d", ".", "i", "j", "k", "l", "m"]
        );
    }

    #[test]
    fn sees_sys_path_edits() {
        for text in [
            "import sys\nsys.path.insert(0, 'vendor')\n",
            "import sys\nsys.path = ['x']\n",
            "import sys\nsys.path += ['x']\n",
            "import site\nsite.addsitedir('x')\n",
        ] {
            assert!(analyze(text).expect("parses").edits_sys_path, "{text}");
        }
        for text in [
            "import sys\nprint(sys.argv)\n",
            "def f():\n    sys.path.append('x')\n",
        ] {
            assert!(!analyze(text).expect("parses").edits_sys_path, "{text}");
        }
    }
}
