//! The path idioms of CDK apps, and nothing more: string literals,
//! `Path(__file__).parent / "x"`, `.parent.joinpath("x")`, `.resolve()`, `str(…)`,
//! `os.path.join(os.path.dirname(__file__), …)`, `os.path.abspath`, and module-level
//! names bound once to such an expression. Relative paths resolve against the folder of
//! `cdk.json` (where `cdk` runs the app).

use std::collections::HashMap;

use ruff_python_ast::{Expr, Operator, Stmt};

use crate::paths::RelPath;

/// Marks an absolute path in an evaluated string; what follows is repository-relative.
const REPO: char = '\u{1}';
/// Module-level names followed through at most this many assignments.
const MAX_DEPTH: usize = 8;

/// The functions evaluated; any other call on an attribute is taken as a path method.
const FUNCTIONS: [&str; 10] = [
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "os.path.join",
    "str",
    "os.fspath",
    "os.path.dirname",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.normpath",
];

/// Why a path expression has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Not an idiom laylint evaluates (INF001).
    Unknown(String),
    /// A path outside the repository: reported, never read.
    Escapes(String),
}

/// Evaluates path expressions of one Python file of a CDK app.
pub struct PathEval<'a> {
    /// The Python file (`__file__`).
    pub file: &'a RelPath,
    /// The folder of `cdk.json`: the working directory of the app.
    pub app_dir: &'a RelPath,
    /// Local name → qualified name (`Path` → `pathlib.Path`).
    pub aliases: &'a HashMap<String, String>,
    /// Module-level `name = expr`, the last one.
    pub constants: HashMap<String, &'a Expr>,
}

/// Module-level single-name assignments.
pub fn constants(body: &[Stmt]) -> HashMap<String, &Expr> {
    let mut map = HashMap::new();
    for stmt in body {
        if let Stmt::Assign(assign) = stmt
            && let [Expr::Name(name)] = assign.targets.as_slice()
        {
            map.insert(name.id.to_string(), assign.value.as_ref());
        }
    }
    map
}

/// The qualified name of `a.b.c`, through the import aliases.
pub fn qualify(expr: &Expr, aliases: &HashMap<String, String>) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(
            aliases
                .get(name.id.as_str())
                .cloned()
                .unwrap_or_else(|| name.id.to_string()),
        ),
        Expr::Attribute(attribute) => {
            qualify(&attribute.value, aliases).map(|base| format!("{base}.{}", attribute.attr))
        }
        _ => None,
    }
}

fn unknown(what: &str) -> PathError {
    PathError::Unknown(what.to_string())
}

impl PathEval<'_> {
    /// The repository path an expression evaluates to.
    pub fn eval_path(&self, expr: &Expr) -> Result<RelPath, PathError> {
        let text = self.eval(expr, 0)?;
        self.absolute(&text)
    }

    fn absolute(&self, text: &str) -> Result<RelPath, PathError> {
        let escapes = || PathError::Escapes(text.trim_start_matches(REPO).to_string());
        if let Some(rest) = text.strip_prefix(REPO) {
            return RelPath::root().join_relative(rest).map_err(|_| escapes());
        }
        if text.starts_with('/') || text.contains('\\') || text.contains(':') {
            return Err(escapes());
        }
        self.app_dir.join_relative(text).map_err(|_| escapes())
    }

    fn marked(path: &RelPath) -> String {
        format!("{REPO}{path}")
    }

    fn parent(&self, text: &str) -> Result<String, PathError> {
        let path = self.absolute(text)?;
        match path.parent() {
            Some(parent) => Ok(Self::marked(&parent)),
            None => Err(PathError::Escapes(format!("{path}/.."))),
        }
    }

    fn join(base: String, part: String) -> Result<String, PathError> {
        if part.starts_with(REPO) {
            return Ok(part);
        }
        if part.starts_with('/') {
            return Err(PathError::Escapes(part));
        }
        Ok(format!("{base}/{part}"))
    }

    fn eval(&self, expr: &Expr, depth: usize) -> Result<String, PathError> {
        if depth > MAX_DEPTH {
            return Err(unknown("a name bound too deep"));
        }
        match expr {
            Expr::StringLiteral(literal) => Ok(literal.value.to_str().to_string()),
            Expr::Name(name) if name.id.as_str() == "__file__" => Ok(Self::marked(self.file)),
            Expr::Name(name) => match self.constants.get(name.id.as_str()) {
                Some(value) => self.eval(value, depth + 1),
                None => Err(PathError::Unknown(format!("the name `{}`", name.id))),
            },
            Expr::Attribute(attribute) if attribute.attr.as_str() == "parent" => {
                self.parent(&self.eval(&attribute.value, depth)?)
            }
            Expr::BinOp(binop) if binop.op == Operator::Div => Self::join(
                self.eval(&binop.left, depth)?,
                self.eval(&binop.right, depth)?,
            ),
            Expr::Call(call) => self.eval_call(call, depth),
            _ => Err(unknown("an expression")),
        }
    }

    fn eval_call(
        &self,
        call: &ruff_python_ast::ExprCall,
        depth: usize,
    ) -> Result<String, PathError> {
        if !call.arguments.keywords.is_empty() {
            return Err(unknown("a call with keyword arguments"));
        }
        let args = &call.arguments.args;
        let eval_args = || -> Result<Vec<String>, PathError> {
            args.iter().map(|a| self.eval(a, depth)).collect()
        };
        let joined =
            |parts: Vec<String>, start: String| parts.into_iter().try_fold(start, Self::join);
        let name = qualify(&call.func, self.aliases).unwrap_or_default();
        if !FUNCTIONS.contains(&name.as_str()) {
            // Methods of a path: `.joinpath(…)`, `.resolve()`, `.absolute()`.
            if let Expr::Attribute(method) = call.func.as_ref() {
                let receiver = self.eval(&method.value, depth)?;
                return match method.attr.as_str() {
                    "joinpath" => joined(eval_args()?, receiver),
                    "resolve" | "absolute" | "as_posix" if args.is_empty() => {
                        self.absolute(&receiver).map(|p| Self::marked(&p))
                    }
                    other => Err(PathError::Unknown(format!("the method `.{other}()`"))),
                };
            }
        }
        let mut values = eval_args()?.into_iter();
        let first = values.next();
        match (name.as_str(), first) {
            ("pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath", None) => Ok(".".into()),
            ("pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath", Some(first))
            | ("os.path.join", Some(first)) => joined(values.collect(), first),
            ("str" | "os.fspath", Some(first)) if args.len() == 1 => Ok(first),
            ("os.path.dirname", Some(first)) if args.len() == 1 => self.parent(&first),
            ("os.path.abspath" | "os.path.realpath" | "os.path.normpath", Some(first))
                if args.len() == 1 =>
            {
                self.absolute(&first).map(|p| Self::marked(&p))
            }
            _ => Err(PathError::Unknown(format!("a call of `{name}`"))),
        }
    }
}
