//! A path a module computes from `__file__`, the current folder and literals: the
//! values laylint follows in `sys.path.insert(0, X)` and friends.

use ruff_python_ast::{Expr, Number, Operator};

/// Where a path starts.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathBase {
    /// The module's own file (`__file__`).
    File,
    /// The current folder (`os.getcwd()`, a relative literal).
    Cwd,
}

/// One step applied to a path.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Parent,
    Join(Box<str>),
}

/// A path computed only from `__file__`, the current folder and literals.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PathValue {
    pub base: PathBase,
    pub steps: Vec<PathStep>,
}

/// `a.b.c` for a chain of names.
pub(super) fn dotted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(format!("{}.{}", dotted(&attr.value)?, attr.attr.as_str())),
        _ => None,
    }
}

fn literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// The path an expression computes, when only `__file__`, the current folder and literal
/// steps make it.
pub(super) fn path_value(expr: &Expr) -> Option<PathValue> {
    let with = |mut value: PathValue, step: PathStep| {
        value.steps.push(step);
        Some(value)
    };
    let join = |mut value: PathValue, parts: &[Expr]| {
        for part in parts {
            let text = literal(part)?;
            if text.starts_with('/') {
                return None;
            }
            value.steps.push(PathStep::Join(text.into()));
        }
        Some(value)
    };
    match expr {
        Expr::Name(name) if name.id.as_str() == "__file__" => Some(PathValue {
            base: PathBase::File,
            steps: Vec::new(),
        }),
        Expr::StringLiteral(_) => join(
            PathValue {
                base: PathBase::Cwd,
                steps: Vec::new(),
            },
            std::slice::from_ref(expr),
        ),
        Expr::Attribute(attr) if attr.attr.as_str() == "parent" => {
            with(path_value(&attr.value)?, PathStep::Parent)
        }
        Expr::Subscript(sub) => {
            let Expr::Attribute(attr) = &*sub.value else {
                return None;
            };
            let Expr::NumberLiteral(n) = &*sub.slice else {
                return None;
            };
            let Number::Int(i) = &n.value else {
                return None;
            };
            if attr.attr.as_str() != "parents" {
                return None;
            }
            let mut value = path_value(&attr.value)?;
            for _ in 0..=i.as_usize().filter(|i| *i < 64)? {
                value.steps.push(PathStep::Parent);
            }
            Some(value)
        }
        Expr::BinOp(op) if op.op == Operator::Div => {
            join(path_value(&op.left)?, std::slice::from_ref(&*op.right))
        }
        Expr::Call(call) if call.arguments.keywords.is_empty() => {
            let args = &call.arguments.args;
            if let Expr::Attribute(method) = &*call.func
                && dotted(&call.func).is_none_or(|d| !d.starts_with("os."))
            {
                return match (method.attr.as_str(), &args[..]) {
                    ("resolve" | "absolute", []) => path_value(&method.value),
                    ("joinpath", parts) => join(path_value(&method.value)?, parts),
                    ("cwd", [])
                        if matches!(dotted(&method.value)?.as_str(), "Path" | "pathlib.Path") =>
                    {
                        Some(PathValue {
                            base: PathBase::Cwd,
                            steps: Vec::new(),
                        })
                    }
                    _ => None,
                };
            }
            match (dotted(&call.func)?.as_str(), &args[..]) {
                ("os.path.dirname", [arg]) => with(path_value(arg)?, PathStep::Parent),
                (
                    "os.path.abspath" | "os.path.realpath" | "os.path.normpath" | "str"
                    | "os.fspath" | "Path" | "pathlib.Path",
                    [arg],
                ) => path_value(arg),
                ("os.path.join", [first, rest @ ..]) => join(path_value(first)?, rest),
                ("os.getcwd", []) => Some(PathValue {
                    base: PathBase::Cwd,
                    steps: Vec::new(),
                }),
                _ => None,
            }
        }
        _ => None,
    }
}
