//! What the Python infrastructure programs (Pulumi, CDKTF) share with CDK apps: the
//! program is the folder of a project file (`Pulumi.yaml`, `cdktf.json`), its `.py` files
//! (not `tests/`, virtual environments or build output) are parsed with the same parser
//! as handler modules, and paths are evaluated like CDK's.

use std::ops::Range;
use std::sync::Arc;

use ruff_python_ast::{Arguments, Expr, Stmt};

use super::cdk::{span, string};
use super::{CodeRoot, Declarations, FunctionGap, Gap, HandlerRef, Tool};
use crate::model::Repo;
use crate::paths::RelPath;

/// Folders of a program that hold no infrastructure code.
const SKIPPED_DIRS: [&str; 7] = [
    "tests",
    "test",
    ".venv",
    "venv",
    "cdktf.out",
    "node_modules",
    "__pycache__",
];

/// The folders of the project files named `marker` that `is_python` accepts.
pub(super) fn programs(
    repo: &Repo,
    marker: &str,
    is_python: impl Fn(&Repo, &RelPath) -> bool,
) -> Vec<RelPath> {
    repo.files
        .files()
        .filter(|e| e.path.file_name() == marker && is_python(repo, &e.path))
        .filter_map(|e| e.path.parent())
        .collect()
}

/// Every `.py` file of the programs, with its nearest enclosing program folder.
fn program_files(repo: &Repo, programs: &[RelPath]) -> Vec<(RelPath, RelPath)> {
    let mut files: Vec<(RelPath, RelPath)> = repo
        .files
        .files()
        .filter(|e| e.path.extension() == Some("py"))
        .filter_map(|e| {
            let program = programs
                .iter()
                .filter(|p| e.path.starts_with(p))
                .max_by_key(|p| p.depth())?;
            let inner = e.path.strip_prefix(program)?;
            let skipped = inner
                .split('/')
                .rev()
                .skip(1)
                .any(|dir| SKIPPED_DIRS.contains(&dir) || dir.starts_with('.'));
            (!skipped).then(|| (e.path.clone(), program.clone()))
        })
        .collect();
    files.sort();
    files
}

/// Parses each program file that contains `needle` and adds what `extract` finds in it.
pub(super) fn extract_programs(
    repo: &Repo,
    programs: &[RelPath],
    needle: &str,
    extract: fn(&RelPath, &RelPath, &str, &[Stmt]) -> Declarations,
    out: &mut Declarations,
) {
    for (file, program) in program_files(repo, programs) {
        let Some(source) = repo.read_or_report(&file) else {
            continue;
        };
        // Cheap pre-filter: a file that never names the Lambda resource declares nothing.
        if !source.text.contains(needle) {
            continue;
        }
        let (path, dir, text) = (file.clone(), program.clone(), source.text.clone());
        match crate::python::with_module(&source.text, move |body| {
            extract(&path, &dir, &text, body)
        }) {
            Ok(found) => out.absorb(found),
            Err(error) => repo.report_problem(
                &file,
                Some(error.span),
                format!("`{file}` is not valid Python: {}", error.message),
            ),
        }
    }
}

/// `name` bound by a plain assignment anywhere in the file (a module constant, a local in
/// a stack's `__init__`, `self.name`): the value when it is bound exactly once.
pub(super) fn bound_once<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Expr> {
    use ruff_python_ast::visitor::{Visitor, walk_stmt};
    struct Find<'a, 'n> {
        name: &'n str,
        values: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Find<'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Assign(assign) = stmt {
                for target in &assign.targets {
                    let bound = match target {
                        Expr::Name(n) => n.id.as_str() == self.name,
                        Expr::Attribute(a) => a.attr.as_str() == self.name,
                        _ => false,
                    };
                    if bound {
                        self.values.push(assign.value.as_ref());
                    }
                }
            }
            walk_stmt(self, stmt);
        }
    }
    let mut find = Find {
        name,
        values: Vec::new(),
    };
    find.visit_body(body);
    match find.values.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The variable a value names: `x` or `self.x`.
pub(super) fn variable(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {
            Some(a.attr.as_str())
        }
        _ => None,
    }
}

/// A function call of a Pulumi or CDKTF program, once its tool, name and runtime are
/// known (a non-Python runtime or an image function never gets here).
pub(super) struct FunctionCall<'a> {
    pub tool: Tool,
    pub file: &'a RelPath,
    pub name: String,
    /// The callee, where a missing argument is reported.
    pub call_span: Range<usize>,
    pub args: &'a Arguments,
    pub runtime: Option<String>,
    /// The keyword that names the code (`code`, `filename`).
    pub code_key: &'static str,
}

/// Declares `f`: its handler with the code root `code_root` works out from the
/// `code_key` argument, or the gaps (missing runtime or handler, values that cannot be
/// followed, each with the reason).
pub(super) fn declare(
    f: FunctionCall<'_>,
    code_root: impl Fn(&Expr) -> Result<CodeRoot, String>,
    out: &mut Declarations,
) {
    let keyword = |name: &str| f.args.find_keyword(name).map(|k| &k.value);
    let gap = |span: Range<usize>, gap: Gap| FunctionGap {
        runtime_span: None,
        tool: f.tool,
        file: f.file.clone(),
        name: f.name.clone(),
        span,
        gap,
        runtime: f.runtime.clone(),
    };
    let splat = f.args.keywords.iter().any(|k| k.arg.is_none());
    if keyword("runtime").is_none() && !splat {
        out.gaps.push(gap(f.call_span.clone(), Gap::MissingRuntime));
    }
    let Some(handler_expr) = keyword("handler") else {
        out.gaps.push(match splat {
            true => gap(
                f.call_span,
                Gap::Unresolvable("`handler` may come from `**` arguments".into()),
            ),
            false => gap(f.call_span, Gap::MissingHandler),
        });
        return;
    };
    let handler_span = span(handler_expr);
    let unresolvable = |why: String| gap(handler_span.clone(), Gap::Unresolvable(why));
    let Some(handler) = string(handler_expr) else {
        return out
            .gaps
            .push(unresolvable("`handler` is not a string literal".into()));
    };
    let (code_root, code_span) = match keyword(f.code_key) {
        Some(code) => match code_root(code) {
            Ok(root) => (root, Some(span(code))),
            Err(why) => return out.gaps.push(unresolvable(why)),
        },
        None if keyword("s3_bucket").is_some() => (CodeRoot::Skipped("code in S3".into()), None),
        None => return out.gaps.push(unresolvable(format!("no `{}`", f.code_key))),
    };
    out.handlers.push(Arc::new(HandlerRef {
        runtime_span: None,
        code_shared: false,
        tool: f.tool,
        template: f.file.clone(),
        logical_id: f.name,
        handler: handler.to_string(),
        handler_span,
        runtime: f.runtime,
        code_root,
        code_span,
        package_module: None,
    }));
}
