//! What decides whether a module-level import runs when the module is imported, and
//! whether a statement may send later imports anywhere: `if TYPE_CHECKING:` blocks,
//! `except` clauses that catch a failed import, edits of `sys.path`.

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{ExceptHandler, Expr, Stmt};

/// Whether a simple statement names `sys.path` or calls `addsitedir`: imports after it
/// may find modules anywhere.
pub(super) fn edits_sys_path(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Attribute(attr)
                    if attr.attr.as_str() == "path"
                        && matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "sys") =>
                {
                    self.0 = true;
                }
                Expr::Attribute(attr) if attr.attr.as_str() == "addsitedir" => self.0 = true,
                Expr::Name(name) if name.id.as_str() == "addsitedir" => self.0 = true,
                _ => walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_stmt(stmt);
    finder.0
}

/// `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:` never runs.
pub(super) fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attr) => attr.attr.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// Whether an `except` clause catches the `ImportError` a bad relative import raises.
pub(super) fn catches_import_error(handler: &ExceptHandler) -> bool {
    catches(handler, &["ImportError", "Exception", "BaseException"])
}

/// Whether an `except` clause catches the `ModuleNotFoundError` a missing module raises.
pub(super) fn catches_module_not_found(handler: &ExceptHandler) -> bool {
    catches(
        handler,
        &[
            "ModuleNotFoundError",
            "ImportError",
            "Exception",
            "BaseException",
        ],
    )
}

/// Whether an `except` clause catches one of `names` (a bare `except:` catches all).
fn catches(handler: &ExceptHandler, names: &[&str]) -> bool {
    let ExceptHandler::ExceptHandler(h) = handler;
    let Some(types) = &h.type_ else {
        return true;
    };
    let named = |expr: &Expr| {
        let name = match expr {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attr) => attr.attr.as_str(),
            _ => return false,
        };
        names.contains(&name)
    };
    match types.as_ref() {
        Expr::Tuple(tuple) => tuple.elts.iter().any(named),
        other => named(other),
    }
}
