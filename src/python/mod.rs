//! The Python parser behind one small API: what a module binds at top level and which
//! relative imports run when it is imported. Parsed lazily, once, only when a rule asks.
//!
//! Parsing runs on a thread with a large stack: ruff's parser grows its own stack, but
//! dropping a deeply nested tree recurses, and repository data must never crash us.

mod bindings;
mod depth;
mod import_guards;
pub mod imports;
mod path_value;
pub mod sys_path;
pub mod test_defs;

use std::ops::Range;
use std::sync::Arc;

use ruff_python_ast::Stmt;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

/// CPython's tokenizer refuses deeper bracket nesting ("too many nested parentheses").
const MAX_BRACKET_NESTING: usize = 200;

/// What one module binds and imports at top level.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default, Clone)]
pub struct PyModule {
    /// Module-level names, including those bound inside top-level `if`/`try`/`with`/`for`.
    /// The last binding of a name wins, as at run time.
    pub bindings: Bindings,
    /// `from x import *` at module level: any name may be bound.
    pub has_star_import: bool,
    /// A module-level `__getattr__` (PEP 562): any attribute may resolve.
    pub has_module_getattr: bool,
    /// Relative imports executed when the module is imported (not those in functions).
    pub relative_imports: Vec<RelativeImport>,
    /// Every import statement, at any depth (mypy's import graph).
    pub imports: Vec<imports::RawImport>,
    /// The import statements that run whenever the module is imported, a missing module
    /// failing the import: not in functions, not under `if` (`TYPE_CHECKING` or any other
    /// condition), loops or `match`, not in a `try` whose handlers catch `ImportError`.
    pub runtime_imports: Vec<imports::RawImport>,
    /// A module-level statement names `sys.path` or calls `addsitedir`.
    pub edits_sys_path: bool,
    /// Why the module did not parse; every other field is then empty.
    pub syntax_error: Option<Box<PySyntaxError>>,
}

impl PyModule {
    /// Whether `getattr(module, name)` can succeed, as far as the source tells.
    pub fn may_bind(&self, name: &str) -> bool {
        self.bindings.contains_key(name) || self.has_star_import || self.has_module_getattr
    }
}

/// Module-level names: pushed in binding order while extracting, then sorted for lookup
/// (a compact vector: a monorepo keeps one per module).
#[derive(serde::Serialize, serde::Deserialize, Debug, Default, Clone)]
pub struct Bindings {
    entries: Vec<(Box<str>, Binding)>,
}

impl Bindings {
    fn insert(&mut self, name: &str, binding: Binding) {
        self.entries.push((name.into(), binding));
    }

    /// Sorts by name, the last binding of each name winning, with no spare capacity.
    fn finish(&mut self) {
        self.entries.reverse();
        // Stable: among equal names the last binding comes first, and `dedup` keeps it.
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.entries.dedup_by(|a, b| a.0 == b.0);
        self.entries.shrink_to_fit();
    }

    pub fn get(&self, name: &str) -> Option<&Binding> {
        let index = self
            .entries
            .binary_search_by(|(n, _)| (**n).cmp(name))
            .ok()?;
        self.entries.get(index).map(|(_, binding)| binding)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every name and its binding, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Binding)> {
        self.entries
            .iter()
            .map(|(name, binding)| (&**name, binding))
    }
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub kind: BindingKind,
    /// The statement that binds the name (for a `def`, its name identifier).
    pub span: Range<usize>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum BindingKind {
    Function(FunctionInfo),
    Class,
    /// `x = …`, `x: T = …`, `x += …`, tuple targets, `for x in …`, `with … as x`.
    Assignment,
    /// `import x`, `import x as y`, `from m import x as y`.
    Import,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub is_async: bool,
    /// Positional parameters without a default (positional-only included).
    pub required_positional: usize,
    /// Positional parameters in all, or `None` with `*args`.
    pub max_positional: Option<usize>,
    /// Keyword-only parameters without a default: a call with two positionals fails.
    pub required_keyword_only: usize,
    /// The first two positional parameters are `event` and `context` (each possibly
    /// with leading underscores): written to be a Lambda handler.
    pub event_context: bool,
}

/// `from . import x` / `from ..m import y` executed at import time.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct RelativeImport {
    /// Number of leading dots.
    pub level: u32,
    pub module: Option<String>,
    pub span: Range<usize>,
    /// Inside `try` whose handlers catch `ImportError`, or under `if TYPE_CHECKING`:
    /// a failure there never reaches the runtime.
    pub guarded: bool,
}

/// A parse failure: message and byte span of the parser's location.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PySyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// Parses `text` and extracts its module-level facts, on a large-stack thread.
pub fn analyze(text: &str) -> Result<PyModule, PySyntaxError> {
    with_module(text, |body| {
        let mut module = PyModule {
            imports: imports::collect(body),
            ..bindings::extract(body)
        };
        // Kept for every module of a monorepo: no spare capacity.
        module.bindings.finish();
        module.relative_imports.shrink_to_fit();
        module.imports.shrink_to_fit();
        module.runtime_imports.shrink_to_fit();
        module
    })
}

/// Parses `text` on a large-stack thread and runs `f` over the module's statements there
/// (the tree is dropped on that thread too). Used by every Python reader. On one of the
/// pool's large-stack threads this happens in place; elsewhere the text is handed to a
/// dedicated parse thread.
pub fn with_module<T, F>(text: &str, f: F) -> Result<T, PySyntaxError>
where
    T: Send + 'static,
    F: FnOnce(&[Stmt]) -> T + Send + 'static,
{
    if crate::par::on_large_stack() {
        return guarded(text, f);
    }
    let owned = text.to_string();
    let run = move || guarded(&owned, f);
    match parse_threads() {
        Some(jobs) => {
            let (reply, answer) = std::sync::mpsc::channel();
            let job: Job = Box::new(move || {
                let _ = reply.send(run());
            });
            if let Ok(jobs) = jobs.lock() {
                let _ = jobs.send(job);
            }
            answer.recv().unwrap_or_else(|_| Err(parser_failure()))
        }
        // No threads could be started: parse on the caller's stack.
        None => run(),
    }
}

/// Parses and runs `f` on the current thread, turning a parser panic into an error.
fn guarded<T>(text: &str, f: impl FnOnce(&[Stmt]) -> T) -> Result<T, PySyntaxError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_here(text).map(|body| f(&body))
    }))
    .unwrap_or_else(|_| Err(parser_failure()))
}

fn parser_failure() -> PySyntaxError {
    PySyntaxError {
        message: "could not be analysed (parser failure)".into(),
        span: 0..0,
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A few long-lived large-stack threads that parse for everyone. One thread per module
/// cost more than the parsing (a 256 MiB mapping each); a rayon pool would let a waiting
/// caller steal unrelated work, which deadlocks on the model's lazily filled caches.
/// Callers block on a plain channel instead.
fn parse_threads() -> Option<&'static std::sync::Mutex<std::sync::mpsc::Sender<Job>>> {
    static JOBS: std::sync::OnceLock<Option<std::sync::Mutex<std::sync::mpsc::Sender<Job>>>> =
        std::sync::OnceLock::new();
    JOBS.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let mut started = 0;
        for i in 0..threads {
            let receiver = std::sync::Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("laylint-python-parse-{i}"))
                .stack_size(crate::par::LARGE_STACK)
                .spawn(move || {
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            started += usize::from(spawned.is_ok());
        }
        (started > 0).then(|| std::sync::Mutex::new(sender))
    })
    .as_ref()
}

fn parse_here(text: &str) -> Result<Vec<Stmt>, PySyntaxError> {
    // Before the parser, whose memory grows with the nesting.
    depth::check(text)?;
    let parsed = ruff_python_parser::parse_module(text).map_err(|error| PySyntaxError {
        message: error.error.to_string(),
        span: error.location.start().to_usize()..error.location.end().to_usize(),
    })?;
    let mut depth = 0usize;
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                depth += 1;
                if depth > MAX_BRACKET_NESTING {
                    let range = token.range();
                    return Err(PySyntaxError {
                        message: "too many nested parentheses".into(),
                        span: range.start().to_usize()..range.end().to_usize(),
                    });
                }
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    Ok(parsed.into_syntax().body.into_iter().collect())
}

pub fn analyze_or_error(text: &str) -> Arc<PyModule> {
    Arc::new(analyze(text).unwrap_or_else(|error| PyModule {
        syntax_error: Some(Box::new(error)),
        ..PyModule::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_module_level_bindings() {
        let module = analyze(
            "import os, a.b as c, x.y\nfrom m import n as handler2\nfrom q import *\n\
             try:\n    from . import u\nexcept ImportError:\n    u = None\n\
             if True:\n    async def h(event, context=None): pass\n\
             class K:\n    def method(self): pass\n    from .. import v\n\
             a, (b, *c2) = 1, (2, 3)\nz: int\nw: int = 1\nw += 1\n\
             def outer():\n    def inner(): pass\n    from . import never\n",
        )
        .unwrap();
        for name in [
            "os", "c", "x", "handler2", "u", "h", "K", "a", "b", "c2", "w", "outer",
        ] {
            assert!(module.bindings.contains_key(name), "{name}");
        }
        for name in ["z", "method", "inner", "never", "v"] {
            assert!(!module.bindings.contains_key(name), "{name}");
        }
        assert!(module.has_star_import);
        let Some(BindingKind::Function(info)) = module.bindings.get("h").map(|b| &b.kind) else {
            panic!("h is a function");
        };
        assert!(info.is_async);
        assert_eq!(
            (info.required_positional, info.max_positional),
            (1, Some(2))
        );
        let imports: Vec<_> = module
            .relative_imports
            .iter()
            .map(|r| (r.level, r.guarded))
            .collect();
        assert_eq!(imports, vec![(1, true), (2, false)]);
    }

    #[test]
    fn the_last_binding_of_a_name_wins() {
        let module = analyze(
            "def handler(e, c): pass\nhandler = 1\nx = 1\nif True:\n    def x(e, c): pass\n",
        )
        .unwrap();
        let kind = |name: &str| module.bindings.get(name).map(|b| b.kind.clone());
        assert_eq!(kind("handler"), Some(BindingKind::Assignment));
        assert!(matches!(kind("x"), Some(BindingKind::Function(_))));
        assert_eq!(kind("missing"), None);
    }

    #[test]
    fn deep_nesting_does_not_crash() {
        let deep = format!("x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000));
        let error = analyze(&deep).unwrap_err();
        assert_eq!(error.message, "too many nested parentheses");
        let lists = format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        assert!(analyze(&lists).is_err());
        assert!(analyze("def broken(:\n").is_err());
    }
}
