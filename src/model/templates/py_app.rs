//! What the Python infrastructure programs (Pulumi, CDKTF) share with CDK apps: the
//! program is the folder of a project file (`Pulumi.yaml`, `cdktf.json`), its `.py` files
//! (not `tests/`, virtual environments or build output) are parsed with the same parser
//! as handler modules, and paths are evaluated like CDK's.

use ruff_python_ast::{Expr, Stmt};

use super::Declarations;
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
            Ok(found) => {
                out.handlers.extend(found.handlers);
                out.gaps.extend(found.gaps);
                out.filters.extend(found.filters);
            }
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
