//! HDL001: the runtime finds no module for the handler under the code root
//! (`Runtime.ImportModuleError: Unable to import module '…': No module named '…'`).

use super::{at, module_and_function, with_code_span};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::{CodeRoot, HandlerRef};

pub(super) fn check(_repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::ModuleNotFound(missing) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    let (module_name, _) = module_and_function(h);
    let finding = Finding::new(
        at(h),
        format!(
            "{}: handler `{}`: Unable to import module '{module_name}': {}",
            h.logical_id, h.handler, missing.reason
        ),
    )
    .with_help(help(h));
    Some(match &h.code_root {
        CodeRoot::Local(root) if missing.near.as_ref() == Some(root) => {
            finding.with_related(Location::path(root.clone()), "the code root")
        }
        _ => with_code_span(finding, h),
    })
}

fn help(h: &HandlerRef) -> String {
    let key = h.tool.code_key();
    match &h.code_root {
        CodeRoot::Local(root) => {
            let module = h.handler.rsplit_once('.').map_or("", |(m, _)| m);
            let file = module.replace('.', "/");
            format!(
                "the runtime looks for `{file}.py` or `{file}/__init__.py` under the code root `{root}`; fix `Handler` or `{key}`"
            )
        }
        CodeRoot::Inline(_) => "inline code becomes `index.py`: use `index.<function>`".into(),
        _ => format!("point `{key}` at a folder inside the repository"),
    }
}
