//! HDL008: the handler module is named like a built-in or standard-library module. The
//! names, built-in and not, are data (`src/checks/data/python_stdlib.toml`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::{at, module_and_function};
use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};

#[derive(Deserialize)]
struct Stdlib {
    builtin: Vec<String>,
    stdlib: Vec<String>,
}

fn stdlib() -> &'static Stdlib {
    static DATA: OnceLock<Stdlib> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(include_str!("../data/python_stdlib.toml")).unwrap_or(Stdlib {
            builtin: Vec::new(),
            stdlib: Vec::new(),
        })
    })
}

/// Whether `top` names a built-in or standard-library module.
pub(crate) fn is_stdlib_module(top: &str) -> bool {
    let data = stdlib();
    data.builtin.iter().chain(&data.stdlib).any(|m| m == top)
}

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    // Only where the module was found: otherwise another rule explains the handler.
    let found = match &resolved.verdict {
        Verdict::Ok { .. }
        | Verdict::FunctionNotFound { .. }
        | Verdict::Async { .. }
        | Verdict::Arity { .. } => true,
        Verdict::Skipped(_)
        | Verdict::DeployTime(_)
        | Verdict::Malformed(_)
        | Verdict::ModuleNotFound(_)
        | Verdict::RelativeImport(_)
        | Verdict::CodeRootMissing(_)
        | Verdict::ModulePrefix { .. } => false,
    };
    if !found {
        return None;
    }
    let h = &resolved.handler;
    let (module_name, _) = module_and_function(h);
    let top = module_name.split(['.', '/']).next().unwrap_or(module_name);
    let data = stdlib();
    let builtin = data.builtin.iter().any(|m| m == top);
    if !builtin && !data.stdlib.iter().any(|m| m == top) {
        return None;
    }
    let message = if builtin {
        format!(
            "{}: the handler module `{top}` is named like the built-in module `{top}`, which is compiled into Python: the runtime imports the built-in, never your file",
            h.logical_id
        )
    } else {
        format!(
            "{}: the handler module `{top}` is named like the standard-library module `{top}`; the runtime may already have imported the standard one, and anything in the function that imports `{top}` gets yours",
            h.logical_id
        )
    };
    Some(Finding::new(at(h), message).with_help(format!(
        "rename `{top}` to a name of its own, e.g. `{top}_handler`, and update the handler"
    )))
}
