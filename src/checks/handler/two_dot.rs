//! The fix HDL004 and HDL007 share: point the code root at the folder above the import
//! package that holds it (`src/`) and name the package in the handler, the "two dot" form
//! (`CodeUri: src/my_lambda/` + `handler.handler` → `CodeUri: src/` +
//! `my_lambda.handler.handler`). Unsafe: the deployed code then holds the whole folder.

use super::{handler_edit, relative_to_template, resolves_as};
use crate::diagnostic::{Edit, Fix};
use crate::model::Repo;
use crate::model::templates::{CodeRoot, HandlerRef, Tool};

/// The fix, when the template writes the code location as one string of the function's
/// own (not SAM's shared `Globals`), the code root lies in a package, and the two-dot
/// handler resolves from the new root (relative imports included).
pub(super) fn fix(repo: &Repo, h: &HandlerRef) -> Option<Fix> {
    if !matches!(h.tool, Tool::Sam | Tool::CloudFormation) || h.code_shared {
        return None;
    }
    let CodeRoot::Local(root) = &h.code_root else {
        return None;
    };
    let mut base = root.clone();
    while repo.files.is_file(&base.child("__init__.py")) {
        base = base.parent()?;
    }
    if base == *root {
        return None;
    }
    let prefix = root.strip_prefix(&base)?.replace('/', ".");
    let handler = format!("{prefix}.{}", h.handler.replace('/', "."));
    let mut changed = h.clone();
    changed.handler = handler.clone();
    changed.code_root = CodeRoot::Local(base.clone());
    if !resolves_as(repo, &changed) {
        return None;
    }
    let code = relative_to_template(&h.template, &base);
    let source = repo.read(&h.template).ok()?;
    let span = h.code_span.clone()?;
    let raw = source.text.get(span.clone())?;
    let quoted = raw.starts_with(['"', '\'']);
    let inner = if quoted {
        span.start + 1..span.end - 1
    } else {
        span.clone()
    };
    let value = source.text.get(inner.clone())?;
    if value.is_empty() || value.contains(['\n', '\\', '{', '[', '!', '#', '"', '\'']) {
        return None;
    }
    let handler_edit = handler_edit(repo, h, 0..h.handler.len(), &handler)?;
    let key = h.tool.code_key();
    Some(Fix::unsafe_(
        format!("set `{key}: {code}` and the handler `{handler}`"),
        vec![
            Edit::Replace {
                path: h.template.clone(),
                range: inner,
                content: code,
            },
            handler_edit,
        ],
    ))
}
