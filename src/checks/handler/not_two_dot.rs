//! HDL007: the code root lies inside an import package of a src-layout project, so the
//! module imports as top-level instead of as part of its package. Only for handlers that
//! resolve: a relative import there is HDL004's one diagnostic.

use super::{at, relative_to_template, with_code_span};
use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::CodeRoot;

pub(super) fn check(repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::Ok { .. } = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let CodeRoot::Local(root) = &h.code_root else {
        return None;
    };
    let (project, package) = repo
        .packages_holding(root)
        .into_iter()
        .find(|(p, _)| p.src_layout)?;
    let src = package.path.parent().unwrap_or_default();
    let prefix = root
        .strip_prefix(&src)
        .unwrap_or_default()
        .replace('/', ".");
    let key = h.tool.code_key();
    let finding = Finding::new(
        at(h),
        format!(
            "{}: the code root `{root}` is inside the import package `{}` of the src-layout project `{}`, so `{}` imports as a top-level module instead of as part of `{}`",
            h.logical_id,
            package.name,
            project.dir,
            h.handler.rsplit_once('.').map_or("", |(m, _)| m),
            package.name
        ),
    )
    .with_help(format!(
        "set `{key}: {}` and `Handler: {prefix}.{}` (the \"two dot\" handler), so the deployed code has the same import paths as tests and the installed package",
        relative_to_template(&h.template, &src),
        h.handler.replace('/', ".")
    ));
    Some(with_code_span(finding, h).with_fix(super::two_dot::fix(repo, h)))
}
