//! Handler resolution, following the Lambda Python runtime (`awslambdaric`
//! `bootstrap._get_handler`): `module, function = handler.rsplit('.', 1)`, then
//! `importlib.import_module(module.replace('/', '.'))` with the code root first on
//! `sys.path`, then `getattr(module, function)`. One verdict per handler.

use std::ops::Range;

use super::Repo;
use super::files::EntryKind;
pub(crate) use super::handler_module::arity_problem;
use super::handler_module::{judge, resolve_inline};
use super::templates::{CodeRoot, HandlerRef, Tool};
use crate::paths::RelPath;

/// What the runtime would do with one handler declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Imports and binds the function (or laylint cannot tell otherwise).
    Ok { module: Option<RelPath> },
    /// Not resolvable from the repository: S3, intrinsics, ignored build output…
    Skipped(String),
    /// Not checkable and not an error: the code is an archive a build step makes (INF001
    /// says why).
    DeployTime(String),
    /// `Runtime.MalformedHandlerName` or a handler that can never import (HDL003).
    Malformed(String),
    /// `Runtime.ImportModuleError: … No module named …` (HDL001).
    ModuleNotFound(ModuleNotFound),
    /// `Runtime.HandlerNotFound` (HDL002).
    FunctionNotFound { module: RelPath, namespace: bool },
    /// `async def`: called without being awaited (HDL005).
    Async {
        module: RelPath,
        def_span: Range<usize>,
    },
    /// A relative import at import time of a top-level module (HDL004).
    RelativeImport(RelativeImportError),
    /// The code root folder does not exist and is not an ignored build output (HDL009).
    CodeRootMissing(RelPath),
    /// serverless-python-requirements `module:` is the code root, yet the handler
    /// repeats it (HDL012).
    ModulePrefix { module: String, fixed: String },
    /// A `def` that cannot be called as `handler(event, context)` (HDL006).
    Arity {
        module: RelPath,
        def_span: Range<usize>,
        why: String,
    },
}

impl Verdict {
    /// Whether the verdict has a span in the module file (its text must then be kept).
    pub fn spans_module(&self) -> bool {
        matches!(
            self,
            Verdict::Async { .. } | Verdict::RelativeImport(_) | Verdict::Arity { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleNotFound {
    /// The runtime's message after `Unable to import module '<module>': `.
    pub reason: String,
    /// Where laylint looked (the code root when it is missing).
    pub near: Option<RelPath>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeImportError {
    pub module: RelPath,
    pub import_span: Range<usize>,
    /// `attempted relative import with no known parent package` or `… beyond top-level package`.
    pub reason: String,
}

/// A handler declaration and its verdict.
#[derive(Debug, Clone)]
pub struct ResolvedHandler {
    pub handler: std::sync::Arc<HandlerRef>,
    pub verdict: Verdict,
}

/// Why a handler string can never work, or `None`.
pub fn malformed(handler: &str) -> Option<String> {
    if !handler.contains('.') {
        return Some(format!(
            "it has no `.`; the runtime reports `Runtime.MalformedHandlerName: Bad handler '{handler}': not enough values to unpack (expected 2, got 1)`"
        ));
    }
    if handler.chars().any(char::is_whitespace) {
        return Some("it contains whitespace".into());
    }
    if handler.contains('\\') {
        return Some("it contains a backslash; module paths use `/` or `.`".into());
    }
    let (module, _) = handler.rsplit_once('.').unwrap_or((handler, ""));
    if handler.split(['.', '/']).any(str::is_empty) {
        return Some("it has an empty segment".into());
    }
    if module.split(['.', '/']).skip(1).any(|part| part == "py") {
        return Some(format!(
            "the module part `{module}` contains `.py`; the runtime imports it as a dotted name and reports `No module named '{module}'`"
        ));
    }
    None
}

/// Where an import of `parts` lands under `root`, like `importlib.machinery.FileFinder`.
enum Found {
    /// A `.py` file; `is_package` for `__init__.py`.
    File { path: RelPath, is_package: bool },
    /// A folder without `__init__.py`: a namespace package, which binds nothing.
    Namespace(RelPath),
}

fn find_module(repo: &Repo, root: &RelPath, parts: &[&str]) -> Result<Found, String> {
    let mut dir = root.clone();
    for (i, part) in parts.iter().enumerate() {
        let dotted = parts.get(..=i).unwrap_or_default().join(".");
        let last = i + 1 == parts.len();
        let candidate = dir.child(part);
        let init = candidate.child("__init__.py");
        let file = dir.child(&format!("{part}.py"));
        let exists = |p: &RelPath| repo.files.get(p).is_some_and(|e| e.kind != EntryKind::Dir);
        if exists(&init) {
            if last {
                return Ok(Found::File {
                    path: init,
                    is_package: true,
                });
            }
        } else if exists(&file) {
            if last {
                return Ok(Found::File {
                    path: file,
                    is_package: false,
                });
            }
            let next = parts.get(..=i + 1).unwrap_or_default().join(".");
            return Err(format!(
                "No module named '{next}'; '{dotted}' is not a package"
            ));
        } else if repo.files.is_dir(&candidate) {
            if last {
                return Ok(Found::Namespace(candidate));
            }
        } else {
            return Err(format!("No module named '{dotted}'"));
        }
        dir = candidate;
    }
    Err("empty module name".into())
}

/// Resolves one handler against the repository.
pub fn resolve(repo: &Repo, handler: &HandlerRef) -> Verdict {
    if let Some(why) = malformed(&handler.handler) {
        return Verdict::Malformed(why);
    }
    let (module_name, function) = handler.handler.rsplit_once('.').unwrap_or_default();
    let dotted = module_name.replace('/', ".");
    let parts: Vec<&str> = dotted.split('.').collect();
    let root = match &handler.code_root {
        CodeRoot::Local(root) => root,
        CodeRoot::Inline(code) => {
            return match code {
                _ if dotted != "index" => Verdict::ModuleNotFound(ModuleNotFound {
                    reason: format!(
                        "No module named '{dotted}' (inline code is saved as `index.py`, so the handler must be `index.<function>`)"
                    ),
                    near: None,
                }),
                Some(code) => resolve_inline(repo, handler, code, function),
                None => Verdict::Ok { module: None },
            };
        }
        CodeRoot::EscapesRoot(text) => {
            return Verdict::ModuleNotFound(ModuleNotFound {
                reason: format!(
                    "the code root `{text}` is outside the repository; laylint does not follow it"
                ),
                near: None,
            });
        }
        CodeRoot::Skipped(why) => return Verdict::Skipped(why.clone()),
    };
    if !repo.files.is_dir(root) {
        match repo.files.get(root).map(|e| e.kind) {
            Some(EntryKind::File) => {
                return Verdict::Skipped(format!("`{root}` is a file (a built artifact)"));
            }
            Some(kind) => {
                let what = if kind == EntryKind::Symlink {
                    "a symlink, which laylint never follows"
                } else {
                    "not a folder (a FIFO, a socket or a device)"
                };
                let why = format!(
                    "the code root `{root}` is {what}: handler `{}` could not be checked",
                    handler.handler
                );
                repo.report_problem(root, None, why.clone());
                return Verdict::Skipped(why);
            }
            None => {}
        }
        if repo.is_gitignored(root, true) {
            return Verdict::Skipped(format!("`{root}` is ignored by git: a build output"));
        }
        if root
            .extension()
            .is_some_and(|ext| ARCHIVES.contains(&ext.to_ascii_lowercase().as_str()))
        {
            return Verdict::DeployTime(format!(
                "the code is the archive `{root}`, which is not in the repository: a build step makes it"
            ));
        }
        return Verdict::CodeRootMissing(root.clone());
    }
    let found = match find_module(repo, root, &parts) {
        Ok(found) => found,
        Err(_) if let Some(verdict) = module_prefix(repo, root, handler, &parts) => return verdict,
        Err(_) if handler.runtime.is_none() && has_other_language_module(repo, root, &parts) => {
            return Verdict::Skipped("no `Runtime`, and the module is not Python".into());
        }
        Err(reason) => {
            return Verdict::ModuleNotFound(ModuleNotFound {
                reason,
                near: Some(root.clone()),
            });
        }
    };
    let (path, is_package) = match found {
        Found::File { path, .. }
            if repo
                .deploy_filter(handler)
                .is_some_and(|f| f.decides_imports() && f.excludes(&path)) =>
        {
            return Verdict::ModuleNotFound(ModuleNotFound {
                reason: format!(
                    "No module named '{dotted}' (`{path}` is left out of the package by the module's `patterns`)"
                ),
                near: Some(root.clone()),
            });
        }
        Found::File { path, is_package } => (path, is_package),
        Found::Namespace(dir) => {
            return Verdict::FunctionNotFound {
                module: dir,
                namespace: true,
            };
        }
    };
    if let Some(entry) = repo.files.get(&path).filter(|e| e.kind != EntryKind::File) {
        // A symlinked module (or a FIFO, a socket) is never read: laylint cannot see what
        // it binds, and says so rather than calling the handler fine.
        let what = match entry.kind {
            EntryKind::Symlink => "a symlink, which laylint never follows",
            _ => "not a regular file (a FIFO, a socket or a device), which laylint never reads",
        };
        repo.report_problem(
            &path,
            None,
            format!(
                "`{path}` is {what}: handler `{}` could not be checked",
                handler.handler
            ),
        );
        return Verdict::Ok { module: Some(path) };
    }
    let Some(module) = repo.python_module(&path) else {
        // Unreadable or unparsable: PAR001 says so; nothing more to tell.
        return Verdict::Ok { module: Some(path) };
    };
    let package_depth = parts.len() - usize::from(!is_package);
    let verdict = match judge(&module, path.clone(), package_depth, function, &|span| {
        span.clone()
    }) {
        // Zappa's `app_function` is a WSGI application its own handler calls, never
        // `(event, context)`: the runtime's arity does not apply.
        Verdict::Arity { module, .. } if handler.tool == Tool::Zappa => Verdict::Ok {
            module: Some(module),
        },
        verdict => verdict,
    };
    if verdict.spans_module() {
        repo.keep_text(&path);
    }
    verdict
}

/// Archives a code root may name; missing from the repository, a build step makes them.
const ARCHIVES: [&str; 2] = ["zip", "jar"];

/// HDL012: with serverless-python-requirements' `module: m`, the code root is `m/`, so a
/// handler `m/handler.fn` looks for `m/m/handler.py`. Reported when dropping the prefix
/// would be right.
fn module_prefix(
    repo: &Repo,
    root: &RelPath,
    handler: &HandlerRef,
    parts: &[&str],
) -> Option<Verdict> {
    let module = handler.package_module.as_deref()?;
    let prefix: Vec<&str> = module
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if prefix.is_empty() || parts.len() <= prefix.len() || parts.get(..prefix.len())? != prefix {
        return None;
    }
    let (_, function) = handler.handler.rsplit_once('.')?;
    let rest = parts.get(prefix.len()..)?;
    find_module(repo, root, rest).ok()?;
    let rest = rest.join("/");
    Some(Verdict::ModulePrefix {
        module: module.to_string(),
        fixed: format!("{rest}.{function}"),
    })
}

/// Without a `Runtime`, a `app.js` beside a missing `app.py` means another language.
fn has_other_language_module(repo: &Repo, root: &RelPath, parts: &[&str]) -> bool {
    let stem = parts.join("/");
    ["js", "mjs", "cjs", "ts", "rb"].iter().any(|ext| {
        root.join_relative(&format!("{stem}.{ext}"))
            .is_ok_and(|p| repo.files.exists(&p))
    })
}

#[cfg(test)]
mod tests {
    use super::malformed;

    #[test]
    fn malformed_handlers() {
        for bad in [
            "app",
            "app.",
            ".handler",
            "a..b",
            "app .handler",
            "a\\b.c",
            "app.py.handler",
            "a/.b",
            "pkg/app.py.handler",
        ] {
            assert!(malformed(bad).is_some(), "{bad}");
        }
        for good in [
            "app.handler",
            "a/b.c",
            "pkg.mod.fn",
            "a.pyx.f",
            "happy.handler",
            "py.handler",
        ] {
            assert!(malformed(good).is_none(), "{good}");
        }
    }
}
