//! AWS CDK apps written in TypeScript or JavaScript that deploy Python functions. An app
//! is the folder of a `cdk.json` whose `app` does not run Python; its `.ts`/`.js` files
//! (not `node_modules/`, `cdk.out/`, tests, `.d.ts`) are parsed with oxc. Found:
//! `new lambda.Function(this, id, { runtime, handler, code: lambda.Code.fromAsset(p) })`
//! with a `Runtime.PYTHON_3_x` runtime, and `new PythonFunction(this, id, { entry, index,
//! handler })` from `@aws-cdk/aws-lambda-python-alpha`, however they were imported.
//! Paths are string literals (relative to the app folder: the CDK CLI runs the app there),
//! or `path.join` / `path.resolve` over `__dirname` (the source file's folder) and
//! literals, directly or through a `const`.

use std::collections::HashMap;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Expression, ImportDeclarationSpecifier, NewExpression, Program, Statement, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_span::SourceType;

use super::Declarations;
use super::cdk_ts_construct::{Value, construct, eval};
use crate::model::Repo;
use crate::paths::RelPath;

/// Folders of an app that hold no construct code.
const SKIPPED_DIRS: [&str; 6] = [
    "node_modules",
    "cdk.out",
    "test",
    "tests",
    "__tests__",
    "dist",
];
const EXTENSIONS: [&str; 6] = ["ts", "mts", "cts", "js", "mjs", "cjs"];
const LAMBDA: [&str; 2] = ["aws-cdk-lib/aws-lambda", "@aws-cdk/aws-lambda"];
const PYTHON_LAMBDA: [&str; 1] = ["@aws-cdk/aws-lambda-python-alpha"];

/// Whether a path is a source file a TypeScript/JavaScript CDK app may hold.
pub(crate) fn is_source(path: &RelPath) -> bool {
    path.extension()
        .is_some_and(|ext| EXTENSIONS.contains(&ext))
        && !path.file_name().ends_with(".d.ts")
}

pub fn extract(repo: &Repo, out: &mut Declarations) {
    let apps: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| e.path.file_name() == "cdk.json" && runs_node(repo, &e.path))
        .filter_map(|e| e.path.parent())
        .collect();
    if apps.is_empty() {
        return;
    }
    let mut files: Vec<(RelPath, RelPath)> = repo
        .files
        .files()
        .filter(|e| is_source(&e.path))
        .filter_map(|e| {
            let app = apps
                .iter()
                .filter(|app| e.path.starts_with(app))
                .max_by_key(|app| app.depth())?;
            let inner = e.path.strip_prefix(app)?;
            let skipped = inner
                .split('/')
                .rev()
                .skip(1)
                .any(|dir| SKIPPED_DIRS.contains(&dir) || dir.starts_with('.'));
            (!skipped).then(|| (e.path.clone(), app.clone()))
        })
        .collect();
    files.sort();
    for (file, app) in files {
        let Some(source) = repo.read_or_report(&file) else {
            continue;
        };
        // Cheap pre-filter: a file that never names the Lambda modules declares nothing.
        if !source.text.contains("aws-lambda") && !source.text.contains("aws_lambda") {
            continue;
        }
        let source_type = SourceType::from_path(file.as_str()).unwrap_or_default();
        let allocator = Allocator::default();
        let parsed = oxc_parser::Parser::new(&allocator, &source.text, source_type).parse();
        // Recoverable errors leave a usable tree; only a parse that gave up is reported.
        if let Some(error) = parsed.diagnostics.first().filter(|_| parsed.panicked) {
            let at = error.labels.first().map_or(0..0, |label| {
                let start = label.offset() as usize;
                start..start + label.len() as usize
            });
            repo.report_problem(
                &file,
                Some(at),
                format!("`{file}` could not be parsed: {}", error.message),
            );
            continue;
        }
        let mut scope = Scope::of(&parsed.program, &file, &app);
        let mut constants = Constants { scope: &mut scope };
        constants.visit_program(&parsed.program);
        let mut calls = Calls { scope: &scope, out };
        calls.visit_program(&parsed.program);
    }
}

/// Whether `cdk.json`'s `app` runs Node (`npx ts-node …`, `node …`, `npx tsx …`): any
/// command that is not Python's.
fn runs_node(repo: &Repo, cdk_json: &RelPath) -> bool {
    let Some(source) = repo.read_or_report(cdk_json) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&source.text)
        .ok()
        .and_then(|value| value.get("app")?.as_str().map(str::to_string))
        .is_some_and(|app| {
            ["node", "ts-node", "tsx", ".ts", ".js"]
                .iter()
                .any(|marker| app.contains(marker))
                && !app.contains("python")
        })
}

/// What the names of one file mean: imports and `const` bindings.
pub(super) struct Scope<'s> {
    pub file: &'s RelPath,
    pub app: &'s RelPath,
    /// Local name → (module, imported name; `*` for a namespace or default import).
    imports: HashMap<String, (String, String)>,
    /// `const x = <expr>` anywhere in the file, evaluated (the last one wins).
    pub constants: HashMap<String, Result<Value, String>>,
}

impl<'s> Scope<'s> {
    fn of(program: &Program, file: &'s RelPath, app: &'s RelPath) -> Self {
        let mut imports = HashMap::new();
        for statement in &program.body {
            let Statement::ImportDeclaration(import) = statement else {
                continue;
            };
            let module = import.source.value.to_string();
            for specifier in import.specifiers.iter().flatten() {
                let (local, imported) = match specifier {
                    ImportDeclarationSpecifier::ImportSpecifier(s) => {
                        (s.local.name.to_string(), s.imported.name().to_string())
                    }
                    ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                        (s.local.name.to_string(), "*".to_string())
                    }
                    ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                        (s.local.name.to_string(), "*".to_string())
                    }
                };
                imports.insert(local, (module.clone(), imported));
            }
        }
        Self {
            file,
            app,
            imports,
            constants: HashMap::new(),
        }
    }

    /// The module a name was imported from, and the name imported (`*` for all of it).
    pub fn import(&self, name: &str) -> Option<(&str, &str)> {
        self.imports
            .get(name)
            .map(|(module, imported)| (module.as_str(), imported.as_str()))
    }

    /// `(module, class)` of a constructor: `lambda.Function`, `Function`, `PythonFunction`.
    fn class(&self, callee: &Expression) -> Option<(String, String)> {
        match callee.without_parentheses() {
            Expression::Identifier(ident) => {
                let (module, imported) = self.import(ident.name.as_str())?;
                (imported != "*").then(|| (module.to_string(), imported.to_string()))
            }
            Expression::StaticMemberExpression(member) => {
                let Expression::Identifier(ident) = &member.object else {
                    return None;
                };
                let module = match self.import(ident.name.as_str())? {
                    (module, "*") => module,
                    ("aws-cdk-lib", "aws_lambda") => "aws-cdk-lib/aws-lambda",
                    _ => return None,
                };
                Some((module.to_string(), member.property.name.to_string()))
            }
            _ => None,
        }
    }
}

/// Evaluates every `const name = <expr>` in order, so later ones may use earlier ones.
struct Constants<'r, 's> {
    scope: &'r mut Scope<'s>,
}

impl<'a> Visit<'a> for Constants<'_, '_> {
    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (Some(name), Some(init)) = (it.id.get_identifier_name(), &it.init) {
            let value = eval(self.scope, init);
            self.scope.constants.insert(name.to_string(), value);
        }
        walk::walk_variable_declarator(self, it);
    }
}

/// Finds the constructors and declares what they deploy.
struct Calls<'r, 's> {
    scope: &'r Scope<'s>,
    out: &'r mut Declarations,
}

impl<'a> Visit<'a> for Calls<'_, '_> {
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if let Some((module, class)) = self.scope.class(&it.callee) {
            if LAMBDA.contains(&module.as_str()) && class == "Function" {
                construct(self.scope, it, false, self.out);
            } else if PYTHON_LAMBDA.contains(&module.as_str()) && class == "PythonFunction" {
                construct(self.scope, it, true, self.out);
            }
        }
        walk::walk_new_expression(self, it);
    }
}
