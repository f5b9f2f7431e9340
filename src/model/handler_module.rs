//! What importing a handler's module does once the module is found: relative imports
//! that fail at import time, then the function's binding (missing, `async`, wrong arity).
//! Shared by module files and inline code (`index.py`, written inside a template or a
//! CDK app, whose spans map back into that file).

use std::ops::Range;

use super::Repo;
use super::handlers::{RelativeImportError, Verdict};
use super::templates::{HandlerRef, InlineCode};
use crate::paths::RelPath;
use crate::python::BindingKind;

/// Inline code is the module `index` (no package): parsed like a file, its findings point
/// into the declaring file. A syntax error is PAR001 there.
pub(super) fn resolve_inline(
    repo: &Repo,
    handler: &HandlerRef,
    code: &InlineCode,
    function: &str,
) -> Verdict {
    match crate::python::analyze(&code.text) {
        Ok(module) => match judge(&module, handler.template.clone(), 0, function, &|span| {
            code.file_span(span)
        }) {
            // There is no module file to name.
            Verdict::Ok { .. } => Verdict::Ok { module: None },
            verdict => verdict,
        },
        Err(error) => {
            repo.report_problem(
                &handler.template,
                Some(code.file_span(&error.span)),
                format!(
                    "the inline code of `{}` (`index.py`) is not valid Python: {}",
                    handler.logical_id, error.message
                ),
            );
            Verdict::Ok { module: None }
        }
    }
}

/// What importing `module` and looking up `function` does. `path` is where the module is
/// written; `to_path` maps the module's spans into it.
pub(super) fn judge(
    module: &crate::python::PyModule,
    path: RelPath,
    package_depth: usize,
    function: &str,
    to_path: &dyn Fn(&Range<usize>) -> Range<usize>,
) -> Verdict {
    if let Some(import) = module
        .relative_imports
        .iter()
        .find(|r| !r.guarded && r.level as usize > package_depth)
    {
        let reason = if package_depth == 0 {
            "attempted relative import with no known parent package"
        } else {
            "attempted relative import beyond top-level package"
        };
        return Verdict::RelativeImport(RelativeImportError {
            module: path,
            import_span: to_path(&import.span),
            reason: reason.into(),
        });
    }
    match module.bindings.get(function).map(|b| (&b.kind, &b.span)) {
        Some((BindingKind::Function(info), span)) if info.is_async => Verdict::Async {
            module: path,
            def_span: to_path(span),
        },
        Some((BindingKind::Function(info), span)) if arity_problem(info).is_some() => {
            Verdict::Arity {
                module: path,
                def_span: to_path(span),
                why: arity_problem(info).unwrap_or_default(),
            }
        }
        Some(_) => Verdict::Ok { module: Some(path) },
        None if module.may_bind(function) => Verdict::Ok { module: Some(path) },
        None => Verdict::FunctionNotFound {
            module: path,
            namespace: false,
        },
    }
}

/// Why `handler(event, context)` raises `TypeError`, or `None`.
pub(crate) fn arity_problem(info: &crate::python::FunctionInfo) -> Option<String> {
    if info.required_positional > 2 {
        return Some(format!(
            "it requires {} positional arguments; the runtime passes two (`event`, `context`)",
            info.required_positional
        ));
    }
    if info.max_positional.is_some_and(|max| max < 2) {
        let max = info.max_positional.unwrap_or_default();
        return Some(format!(
            "it takes {max} positional argument{} but the runtime passes two (`event`, `context`)",
            if max == 1 { "" } else { "s" }
        ));
    }
    if info.required_keyword_only > 0 {
        return Some(
            "it has required keyword-only arguments, which the runtime never passes".into(),
        );
    }
    None
}
