//! Differential test: laylint's handler verdicts against what the Lambda Python runtime
//! does. For each handler, `python3` runs the steps of awslambdaric's
//! `bootstrap._get_handler` (code root first on `sys.path`, `handler.rsplit('.', 1)`,
//! `importlib.import_module(modname.replace('/', '.'))`, `getattr`), with third-party
//! imports stubbed, and the two outcomes must agree.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{TestRepo, fixtures_dir, require_tool};
use laylint::model::Repo;
use laylint::model::handlers::Verdict;
use laylint::model::templates::CodeRoot;
use laylint::walk::{WalkOptions, walk};

/// `_get_handler`, with a meta-path finder that stubs any module the code root and the
/// standard library lack (never the handler's own module path).
const RUNTIME: &str = r#"
import importlib, importlib.abc, importlib.util, inspect, os, sys

class Anything:
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return Anything()
    def __getattr__(self, name): return Anything()
    def __mro_entries__(self, bases): return (object,)

class Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, protected): self.protected = protected
    def find_spec(self, name, path, target=None):
        top = name.split(".")[0]
        if name in self.protected or os.path.exists(os.path.join(root, top)) \
                or os.path.exists(os.path.join(root, top + ".py")):
            return None
        return importlib.util.spec_from_loader(name, self, is_package=True)
    def create_module(self, spec): return None
    def exec_module(self, module):
        module.__path__ = []
        module.__getattr__ = lambda name: Anything()

def verdict():
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError:
        return "malformed"
    dotted = modname.replace("/", ".")
    parts = dotted.split(".")
    sys.meta_path.append(Stubs({".".join(parts[:i + 1]) for i in range(len(parts))}))
    try:
        m = importlib.import_module(dotted)
    except ImportError as e:
        return "relative-import" if "relative import" in str(e) else "module-missing"
    except SyntaxError:
        return "syntax-error"
    except Exception as e:
        return "other: " + type(e).__name__
    try:
        f = getattr(m, fname)
    except AttributeError:
        return "function-missing"
    return "async" if inspect.iscoroutinefunction(f) else "found"

# One fresh interpreter state per case: fork, resolve in the child, report through a pipe.
for line in sys.stdin.read().splitlines():
    root, handler = line.split("\t", 1)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        sys.path.insert(0, root)
        try:
            result = verdict()
        except BaseException as e:
            result = "other: " + type(e).__name__
        os.write(write_end, result.encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 4096)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    print(b"".join(chunks).decode() or "other: no answer")
"#;

/// laylint's verdict in the runtime's words; `None` when laylint does not resolve it.
fn laylint_outcome(verdict: &Verdict) -> Option<&'static str> {
    Some(match verdict {
        Verdict::Ok { .. } => "found",
        Verdict::Async { .. } => "async",
        Verdict::FunctionNotFound { .. } => "function-missing",
        Verdict::ModuleNotFound(_) => "module-missing",
        Verdict::RelativeImport(_) => "relative-import",
        Verdict::Malformed(_) => "malformed",
        Verdict::Skipped(_) => return None,
    })
}

/// Malformed handlers never work; the runtime may fail them at any of its steps.
fn agrees(laylint: &str, runtime: &str) -> bool {
    laylint == runtime
        || (laylint == "malformed"
            && (matches!(runtime, "module-missing" | "function-missing")
                || runtime.starts_with("other: ")))
}

/// Runs every `(code root, handler)` through the runtime script in one `python3`.
fn runtime_outcomes(python: &Path, cases: &[(PathBuf, String)]) -> Vec<String> {
    let mut child = Command::new(python)
        .args(["-I", "-S", "-B", "-c", RUNTIME])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    let input: String = cases
        .iter()
        .map(|(root, handler)| format!("{}\t{handler}\n", root.display()))
        .collect();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write cases");
    let output = child.wait_with_output().expect("python3 output");
    let lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        lines.len(),
        cases.len(),
        "python3 answered {} of {} cases: {}",
        lines.len(),
        cases.len(),
        String::from_utf8_lossy(&output.stderr)
    );
    lines
}

/// One compared handler.
struct Case {
    label: String,
    root: PathBuf,
    handler: String,
    laylint: &'static str,
}

fn collect_repo(dir: &Path, label: &str, cases: &mut Vec<Case>) {
    let root = dir.canonicalize().expect("canonical root");
    let options = WalkOptions {
        respect_gitignore: true,
        exclude: globset::GlobSet::empty(),
    };
    let (files, problems) = walk(&root, &options);
    let repo = Repo::new(root.clone(), files, problems);
    for resolved in repo.resolved_handlers() {
        let CodeRoot::Local(code_root) = &resolved.handler.code_root else {
            continue;
        };
        let Some(laylint) = laylint_outcome(&resolved.verdict) else {
            continue;
        };
        let handler = resolved.handler.handler.clone();
        cases.push(Case {
            label: format!("{label} {}", resolved.handler.logical_id),
            root: code_root.to_fs(&root),
            handler,
            laylint,
        });
    }
}

/// Generated variants: (name, handler, files under the code root).
fn variants() -> Vec<(
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
)> {
    const DEF: &str = "def handler(event, context):\n    return 1\n";
    vec![
        ("plain", "app.handler", vec![("app.py", DEF)]),
        ("slash", "a/b/app.handler", vec![("a/b/app.py", DEF)]),
        (
            "dotted_no_init",
            "a.b.app.handler",
            vec![("a/b/app.py", DEF)],
        ),
        (
            "slash_with_inits",
            "pkg/sub/mod.handler",
            vec![
                ("pkg/__init__.py", ""),
                ("pkg/sub/__init__.py", ""),
                ("pkg/sub/mod.py", DEF),
            ],
        ),
        ("init_module", "pkg.handler", vec![("pkg/__init__.py", DEF)]),
        (
            "init_module_missing_fn",
            "pkg.handler",
            vec![("pkg/__init__.py", "x = 1\n")],
        ),
        (
            "init_reexport",
            "pkg.handler",
            vec![
                ("pkg/__init__.py", "from .impl import handler\n"),
                ("pkg/impl.py", DEF),
            ],
        ),
        ("namespace_leaf", "pkg.handler", vec![("pkg/other.py", DEF)]),
        ("missing_intermediate", "x/y.handler", vec![("app.py", DEF)]),
        ("missing_leaf", "a/missing.handler", vec![("a/app.py", DEF)]),
        ("missing_module", "hello.handler", vec![("app.py", DEF)]),
        ("not_a_package", "app.sub.handler", vec![("app.py", DEF)]),
        (
            "package_beats_module",
            "app.handler",
            vec![("app/__init__.py", "x = 1\n"), ("app.py", DEF)],
        ),
        (
            "module_beats_namespace",
            "app.handler",
            vec![("app/other.py", ""), ("app.py", DEF)],
        ),
        (
            "class",
            "app.handler",
            vec![(
                "app.py",
                "class handler:\n    def __init__(self, event, context):\n        pass\n",
            )],
        ),
        (
            "assignment",
            "app.handler",
            vec![(
                "app.py",
                "def make():\n    return lambda e, c: 1\n\nhandler = make()\n",
            )],
        ),
        (
            "third_party_call",
            "app.handler",
            vec![(
                "app.py",
                "from mangum import Mangum\nfrom fastapi import FastAPI\n\napp = FastAPI()\nhandler = Mangum(app)\n",
            )],
        ),
        (
            "import_alias",
            "app.handler",
            vec![
                ("app.py", "from helpers import real as handler\n"),
                ("helpers.py", "def real(e, c):\n    return 1\n"),
            ],
        ),
        (
            "import_module_alias",
            "app.handler",
            vec![
                ("app.py", "import helpers as handler\n"),
                ("helpers.py", ""),
            ],
        ),
        (
            "import_dotted",
            "app.os",
            vec![("app.py", "import os.path\n")],
        ),
        (
            "nested_def",
            "app.inner",
            vec![(
                "app.py",
                "def outer():\n    def inner(e, c):\n        return 1\n    return inner\n",
            )],
        ),
        (
            "method",
            "app.handle",
            vec![(
                "app.py",
                "class Service:\n    def handle(self, e, c):\n        return 1\n",
            )],
        ),
        (
            "tuple_target",
            "app.handler",
            vec![("app.py", "handler, other = (lambda e, c: 1), 2\n")],
        ),
        (
            "starred_target",
            "app.rest",
            vec![("app.py", "first, *rest = [1, 2, 3]\n")],
        ),
        (
            "annotation_only",
            "app.handler",
            vec![("app.py", "from typing import Callable\nhandler: Callable\n")],
        ),
        (
            "annotated_value",
            "app.handler",
            vec![("app.py", "handler: int = 1\n")],
        ),
        (
            "augmented",
            "app.handler",
            vec![("app.py", "handler = 1\nhandler += 1\n")],
        ),
        (
            "try_fallback",
            "app.handler",
            vec![(
                "app.py",
                "try:\n    from fastlib import handler\nexcept ImportError:\n    def handler(e, c):\n        return 1\n",
            )],
        ),
        (
            "if_block",
            "app.handler",
            vec![(
                "app.py",
                "import os\nif os.sep:\n    def handler(e, c):\n        return 1\n",
            )],
        ),
        (
            "with_block",
            "app.handler",
            vec![("app.py", "with open(__file__) as handler:\n    pass\n")],
        ),
        (
            "for_target",
            "app.handler",
            vec![("app.py", "for handler in [1]:\n    pass\n")],
        ),
        (
            "star_import",
            "app.handler",
            vec![("app.py", "from helpers import *\n"), ("helpers.py", DEF)],
        ),
        (
            "module_getattr",
            "app.handler",
            vec![(
                "app.py",
                "def __getattr__(name):\n    return lambda e, c: 1\n",
            )],
        ),
        (
            "async",
            "app.handler",
            vec![(
                "app.py",
                "async def handler(event, context):\n    return 1\n",
            )],
        ),
        (
            "relative_top_level",
            "handler.handler",
            vec![
                ("__init__.py", ""),
                (
                    "handler.py",
                    "from . import utils\n\ndef handler(e, c):\n    return utils\n",
                ),
                ("utils.py", ""),
            ],
        ),
        (
            "relative_from_module",
            "handler.handler",
            vec![
                (
                    "handler.py",
                    "from .utils import x\n\ndef handler(e, c):\n    return x\n",
                ),
                ("utils.py", "x = 1\n"),
            ],
        ),
        (
            "two_dot",
            "pkg.handler.handler",
            vec![
                ("pkg/__init__.py", ""),
                (
                    "pkg/handler.py",
                    "from . import utils\n\ndef handler(e, c):\n    return utils\n",
                ),
                ("pkg/utils.py", ""),
            ],
        ),
        (
            "two_dot_namespace",
            "pkg.handler.handler",
            vec![
                (
                    "pkg/handler.py",
                    "from . import utils\n\ndef handler(e, c):\n    return utils\n",
                ),
                ("pkg/utils.py", ""),
            ],
        ),
        (
            "beyond_top_level",
            "pkg.app.handler",
            vec![
                ("pkg/__init__.py", ""),
                (
                    "pkg/app.py",
                    "from .. import shared\n\ndef handler(e, c):\n    return 1\n",
                ),
            ],
        ),
        (
            "relative_guarded",
            "app.handler",
            vec![
                (
                    "app.py",
                    "try:\n    from . import utils\nexcept ImportError:\n    import utils\n\ndef handler(e, c):\n    return 1\n",
                ),
                ("utils.py", ""),
            ],
        ),
        (
            "relative_wrong_guard",
            "app.handler",
            vec![
                (
                    "app.py",
                    "try:\n    from . import utils\nexcept ModuleNotFoundError:\n    import utils\n\ndef handler(e, c):\n    return 1\n",
                ),
                ("utils.py", ""),
            ],
        ),
        (
            "relative_in_function",
            "app.handler",
            vec![(
                "app.py",
                "def handler(e, c):\n    from . import utils\n    return utils\n",
            )],
        ),
        (
            "relative_type_checking",
            "app.handler",
            vec![(
                "app.py",
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .types import Event\n\ndef handler(e, c):\n    return 1\n",
            )],
        ),
        (
            "relative_in_class_body",
            "app.handler",
            vec![
                (
                    "app.py",
                    "class K:\n    from . import utils\n\ndef handler(e, c):\n    return 1\n",
                ),
                ("utils.py", ""),
            ],
        ),
        ("no_dot", "handler", vec![("app.py", DEF)]),
        ("py_suffix", "app.py.handler", vec![("app.py", DEF)]),
        ("slash_in_function", "app.x/handler", vec![("app.py", DEF)]),
    ]
}

#[test]
fn handler_verdicts_match_the_lambda_runtime() {
    let Some(python) = require_tool("python3", "handler_verdicts_match_the_lambda_runtime") else {
        return;
    };
    let mut cases = Vec::new();
    // The repositories must outlive the python run.
    let mut repos = Vec::new();
    for group in ["HDL001", "HDL002", "HDL003", "HDL004", "HDL005"] {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(group))
            .expect("fixtures")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let label = format!("{group}/{name}");
            let repo = TestRepo::fixture(&label);
            collect_repo(repo.path(), &label, &mut cases);
            repos.push(repo);
        }
    }
    let fixture_cases = cases.len();
    for (name, handler, files) in variants() {
        let repo = TestRepo::empty();
        repo.write(
            "template.yaml",
            &format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: '{handler}'\n      Runtime: python3.12\n"
            ),
        );
        for (path, text) in files {
            repo.write(&format!("fn/{path}"), text);
        }
        let before = cases.len();
        collect_repo(repo.path(), &format!("variant/{name}"), &mut cases);
        assert_eq!(
            cases.len(),
            before + 1,
            "variant {name} gave no resolved handler"
        );
        repos.push(repo);
    }
    let inputs: Vec<(PathBuf, String)> = cases
        .iter()
        .map(|c| (c.root.clone(), c.handler.clone()))
        .collect();
    let runtime = runtime_outcomes(&python, &inputs);
    let mut disagreements = Vec::new();
    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    for (case, runtime) in cases.iter().zip(&runtime) {
        *tally.entry(case.laylint).or_default() += 1;
        if !agrees(case.laylint, runtime) {
            disagreements.push(format!(
                "{} `{}`: laylint {}, runtime {runtime}",
                case.label, case.handler, case.laylint
            ));
        }
    }
    println!(
        "runtime ground truth: {} handlers ({} from fixtures, {} generated), {} agree, {} disagree; laylint verdicts {:?}",
        cases.len(),
        fixture_cases,
        cases.len() - fixture_cases,
        cases.len() - disagreements.len(),
        disagreements.len(),
        tally
    );
    assert!(
        fixture_cases >= 20,
        "too few fixture handlers: {fixture_cases}"
    );
    assert!(
        disagreements.is_empty(),
        "laylint and the runtime disagree:\n{}",
        disagreements.join("\n")
    );
}
