//! HDL004: the handler module (or one it imports) runs a relative import while it is
//! imported as a top-level module.

use super::{at, module_and_function, relative_to_template};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::{CodeRoot, HandlerRef};
use crate::paths::RelPath;

pub(super) fn check(repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::RelativeImport(error) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (module_name, _) = module_and_function(h);
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: handler `{}`: Unable to import module '{module_name}': {}",
                h.logical_id, h.handler, error.reason
            ),
        )
        .with_help(two_dot_help(repo, h))
        .with_related(
            Location::span(error.module.clone(), error.import_span.clone()),
            "this relative import runs when the module is imported as top-level",
        )
        .with_fix(super::two_dot::fix(repo, h)),
    )
}

/// The code root at the package's parent and the handler prefixed with the package path.
fn two_dot_help(repo: &Repo, h: &HandlerRef) -> String {
    let CodeRoot::Local(root) = &h.code_root else {
        return "use a code root that contains the package, and a two-dot handler `pkg.module.function`".into();
    };
    let key = h.tool.code_key();
    let handler_key = h.tool.handler_key();
    let (new_root, prefix) = package_parent(repo, root);
    let new_root_text = relative_to_template(&h.template, &new_root);
    let init = if repo.files.exists(&root.child("__init__.py")) {
        ""
    } else {
        &format!("; `{root}` needs an `__init__.py`")
    };
    format!(
        "set `{key}: {new_root_text}` and `{handler_key}: {prefix}.{}` so the module imports as part of its package (the \"two dot\" handler){init}",
        h.handler.replace('/', ".")
    )
}

/// The folder above the package that contains `root`, and the dotted package path.
fn package_parent(repo: &Repo, root: &RelPath) -> (RelPath, String) {
    let mut parts = vec![root.file_name().to_string()];
    let mut top = root.clone();
    while let Some(parent) = top.parent() {
        if parent.is_root() || !repo.files.exists(&parent.child("__init__.py")) {
            break;
        }
        parts.insert(0, parent.file_name().to_string());
        top = parent;
    }
    (top.parent().unwrap_or_default(), parts.join("."))
}
