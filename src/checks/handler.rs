//! `handler`: one kind for every handler rule. The resolution runs once per repository
//! ([`Repo::resolved_handlers`]); each rule picks its verdict with `finding`.
//! Every diagnostic points at the `Handler:` value in the template.

use serde::Deserialize;

use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::{CodeRoot, HandlerRef};
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Handler {
    pub finding: HandlerFinding,
}

/// Which verdict a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandlerFinding {
    ModuleNotFound,
    FunctionNotFound,
    Malformed,
    RelativeImport,
    Async,
    NotTwoDot,
    Arity,
    ShadowsStdlib,
    CodeRootMissing,
    HandlerOrRuntimeMissing,
    RuntimeDeprecated,
    ServerlessModulePrefix,
    Unresolvable,
}

impl Handler {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        use HandlerFinding as F;
        if !matches!(
            self.finding,
            F::ModuleNotFound
                | F::FunctionNotFound
                | F::Malformed
                | F::RelativeImport
                | F::Async
                | F::NotTwoDot
        ) {
            return super::handler_rules::run(self.finding, repo);
        }
        repo.resolved_handlers()
            .iter()
            .filter_map(|resolved| self.finding_for(repo, resolved))
            .collect()
    }

    fn finding_for(&self, repo: &Repo, resolved: &ResolvedHandler) -> Option<Finding> {
        let h = &resolved.handler;
        let at = Location::span(h.template.clone(), h.handler_span.clone());
        let (module_name, function) = h.handler.rsplit_once('.').unwrap_or((&h.handler, ""));
        let finding = match (&resolved.verdict, self.finding) {
            (Verdict::Malformed(why), HandlerFinding::Malformed) => {
                Finding::new(at, format!("{}: malformed handler `{}`: {why}", h.logical_id, h.handler))
                    .with_help("write the handler as `module.function`, e.g. `app.lambda_handler`, or `package.module.function`")
            }
            (Verdict::ModuleNotFound(missing), HandlerFinding::ModuleNotFound) => {
                let finding = Finding::new(
                    at,
                    format!(
                        "{}: handler `{}`: Unable to import module '{module_name}': {}",
                        h.logical_id, h.handler, missing.reason
                    ),
                )
                .with_help(module_help(h));
                match &h.code_root {
                    CodeRoot::Local(root) if missing.near.as_ref() == Some(root) => {
                        finding.with_related(Location::path(root.clone()), "the code root")
                    }
                    _ => with_code_span(finding, h),
                }
            }
            (Verdict::FunctionNotFound { .. }, HandlerFinding::FunctionNotFound)
                if matches!(h.code_root, CodeRoot::Inline(_)) =>
            {
                let finding = Finding::new(
                    at,
                    format!(
                        "{}: Handler '{function}' missing on module '{module_name}': the inline code binds no top-level `{function}`",
                        h.logical_id
                    ),
                );
                match &h.code_span {
                    Some(span) => finding.with_related(
                        Location::span(h.template.clone(), span.clone()),
                        "the inline code (`index.py`)",
                    ),
                    None => finding,
                }
                .with_help(format!(
                    "define `def {function}(event, context):` at the top level of the inline code (methods and nested functions do not count), or point the handler at a function it defines"
                ))
            }
            (Verdict::FunctionNotFound { module, namespace }, HandlerFinding::FunctionNotFound) => Finding::new(
                at,
                if *namespace {
                    format!(
                        "{}: Handler '{function}' missing on module '{module_name}': `{module}/` has no `__init__.py`, so it imports as an empty namespace package",
                        h.logical_id
                    )
                } else {
                    format!(
                        "{}: Handler '{function}' missing on module '{module_name}': `{module}` binds no top-level `{function}`",
                        h.logical_id
                    )
                },
            )
            .with_help(format!(
                "define `def {function}(event, context):` at the top level of `{module}` (methods and nested functions do not count), or point the handler at a function it defines"
            ))
            .with_related(Location::path(module.clone()), "the handler module"),
            (Verdict::Async { module, def_span }, HandlerFinding::Async) => Finding::new(
                at,
                format!(
                    "{}: `{function}` is `async def`; the runtime calls it without awaiting (\"coroutine '{function}' was never awaited\")",
                    h.logical_id
                ),
            )
            .with_help(format!(
                "make `{function}` a plain `def` that runs the coroutine with `asyncio.run(...)`"
            ))
            .with_related(Location::span(module.clone(), def_span.clone()), "the `async def`"),
            (Verdict::RelativeImport(error), HandlerFinding::RelativeImport) => Finding::new(
                at,
                format!(
                    "{}: handler `{}`: Unable to import module '{module_name}': {}",
                    h.logical_id, h.handler, error.reason
                ),
            )
            .with_help(two_dot_help(repo, h))
            .with_related(
                Location::span(error.module.clone(), error.import_span.clone()),
                "this relative import runs when the module is imported as top-level",
            ),
            (Verdict::Ok { .. }, HandlerFinding::NotTwoDot) => return not_two_dot(repo, h, at),
            _ => return None,
        };
        Some(finding)
    }
}

/// HDL007: the code root lies inside an import package of a src-layout project, so the
/// module imports as top-level instead of as part of its package. Only for handlers that
/// resolve: a relative import there is HDL004's one diagnostic.
fn not_two_dot(repo: &Repo, h: &HandlerRef, at: Location) -> Option<Finding> {
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
        at,
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
    Some(with_code_span(finding, h))
}

fn with_code_span(finding: Finding, h: &HandlerRef) -> Finding {
    match &h.code_span {
        Some(span) => finding.with_related(
            Location::span(h.template.clone(), span.clone()),
            format!("the `{}` value", h.tool.code_key()),
        ),
        None => finding,
    }
}

fn module_help(h: &HandlerRef) -> String {
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

/// The code root at the package's parent and the handler prefixed with the package path.
pub fn two_dot_help(repo: &Repo, h: &HandlerRef) -> String {
    let CodeRoot::Local(root) = &h.code_root else {
        return "use a code root that contains the package, and a two-dot handler `pkg.module.function`".into();
    };
    let key = h.tool.code_key();
    let (new_root, prefix) = package_parent(repo, root);
    let new_root_text = relative_to_template(&h.template, &new_root);
    format!(
        "set `{key}: {new_root_text}` and `Handler: {prefix}.{}` so the module imports as part of its package (the \"two dot\" handler); the package folder needs an `__init__.py`",
        h.handler.replace('/', ".")
    )
}

/// The folder above the package that contains `root`, and the dotted package path.
pub fn package_parent(repo: &Repo, root: &RelPath) -> (RelPath, String) {
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

/// `path` written relative to the template's folder, as `CodeUri` expects.
pub fn relative_to_template(template: &RelPath, path: &RelPath) -> String {
    let base = template.parent().unwrap_or_default();
    match path.strip_prefix(&base) {
        Some("") => "./".into(),
        Some(rest) => format!("{rest}/"),
        None => {
            let ups = base.depth();
            format!("{}{}/", "../".repeat(ups), path.as_str())
        }
    }
}
