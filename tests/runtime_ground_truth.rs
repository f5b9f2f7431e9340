//! Differential test: laylint's handler verdicts against what the Lambda Python runtime
//! does. For each handler, `python3` runs the steps of awslambdaric's
//! `bootstrap._get_handler` (code root first on `sys.path`, `handler.rsplit('.', 1)`,
//! `importlib.import_module(modname.replace('/', '.'))`, `getattr`), with third-party
//! imports stubbed, and the two outcomes must agree.

mod common;

use std::path::{Path, PathBuf};

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
        Verdict::CodeRootMissing(_) | Verdict::ModulePrefix { .. } => "module-missing",
        // Import and `getattr` succeed; the call itself fails.
        Verdict::Arity { .. } => "found",
        Verdict::Skipped(_) | Verdict::DeployTime(_) => return None,
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
    let input: String = cases
        .iter()
        .map(|(root, handler)| format!("{}\t{handler}\n", root.display()))
        .collect();
    common::python_answers(python, RUNTIME, &input, cases.len())
}

/// One compared handler.
struct Case {
    label: String,
    root: PathBuf,
    handler: String,
    laylint: &'static str,
}

fn collect_repo(
    dir: &Path,
    label: &str,
    cases: &mut Vec<Case>,
    per_tool: &mut std::collections::BTreeMap<String, usize>,
) {
    let root = dir.canonicalize().expect("canonical root");
    let options = WalkOptions {
        respect_gitignore: true,
        exclude: globset::GlobSet::empty(),
        ..Default::default()
    };
    let (files, problems) = walk(&root, &options);
    let repo = Repo::new(root.clone(), files, problems);
    for resolved in repo.resolved_handlers() {
        let (code_root, laylint) = match &resolved.handler.code_root {
            // What the tool's filter (terraform-aws-modules/lambda `patterns`) keeps is
            // what ships: the harness imports from a copy of just those files.
            CodeRoot::Local(code_root)
                if let Some(filter) = repo
                    .deploy_filter(&resolved.handler)
                    .filter(|f| f.decides_imports()) =>
            {
                let package = root.join(".package").join(cases.len().to_string());
                for entry in repo.files.files() {
                    let Some(relative) = entry.path.strip_prefix(code_root) else {
                        continue;
                    };
                    if filter.excludes(&entry.path) {
                        continue;
                    }
                    let target = package.join(relative.trim_start_matches('/'));
                    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                    std::fs::copy(entry.path.to_fs(&root), &target).expect("copy");
                }
                std::fs::create_dir_all(&package).expect("package");
                (package, laylint_outcome(&resolved.verdict))
            }
            CodeRoot::Local(code_root) => {
                (code_root.to_fs(&root), laylint_outcome(&resolved.verdict))
            }
            // The runtime saves inline code as `index.py` in its task root: so does the
            // harness, outside what laylint modelled. A syntax error there is laylint's PAR001.
            CodeRoot::Inline(Some(code)) => {
                let task_root = root.join(".inline-code").join(cases.len().to_string());
                std::fs::create_dir_all(&task_root).expect("inline task root");
                std::fs::write(task_root.join("index.py"), &code.text).expect("write index.py");
                let laylint = match laylint::python::analyze(&code.text) {
                    Err(_) => Some("syntax-error"),
                    Ok(_) => laylint_outcome(&resolved.verdict),
                };
                (task_root, laylint)
            }
            _ => continue,
        };
        let Some(laylint) = laylint else {
            continue;
        };
        let handler = resolved.handler.handler.clone();
        *per_tool
            .entry(resolved.handler.tool.to_string())
            .or_default() += 1;
        cases.push(Case {
            label: format!("{label} {}", resolved.handler.logical_id),
            root: code_root,
            handler,
            laylint,
        });
    }
}

/// One generated case from `tests/fixtures/runtime_variants.toml`.
#[derive(serde::Deserialize)]
struct Variant {
    name: String,
    handler: String,
    /// Files under the code root: path to text.
    files: std::collections::BTreeMap<String, String>,
}

fn variants() -> Vec<Variant> {
    #[derive(serde::Deserialize)]
    struct File {
        variant: Vec<Variant>,
    }
    let text = std::fs::read_to_string(fixtures_dir().join("runtime_variants.toml"))
        .expect("read runtime_variants.toml");
    toml::from_str::<File>(&text)
        .expect("parse runtime_variants.toml")
        .variant
}

#[test]
fn handler_verdicts_match_the_lambda_runtime() {
    let Some(python) = require_tool("python3", "handler_verdicts_match_the_lambda_runtime") else {
        return;
    };
    let mut cases = Vec::new();
    // The repositories must outlive the python run.
    let mut repos = Vec::new();
    // HDL008 is left out: whether a stdlib-named module shadows depends on what the
    // interpreter imported before the handler, which differs between the harness and Lambda.
    let tools = [
        "serverless",
        "cdk",
        "terraform",
        "terraform_modules",
        "cdk_ts",
        "mixed",
        "pulumi",
        "cdktf",
        "chalice",
        "zappa",
    ]
    .map(|t| format!("tools/{t}"));
    let groups = [
        "HDL001", "HDL002", "HDL003", "HDL004", "HDL005", "HDL006", "HDL007", "HDL009", "HDL010",
        "HDL011", "HDL012", "TST002",
    ]
    .map(String::from)
    .into_iter()
    .chain(tools)
    .chain(["seeds".to_string()]);
    let mut per_tool = std::collections::BTreeMap::<String, usize>::new();
    for group in groups {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(&group))
            .expect("fixtures")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let label = format!("{group}/{name}");
            let repo = TestRepo::fixture(&label);
            collect_repo(repo.path(), &label, &mut cases, &mut per_tool);
            repos.push(repo);
        }
    }
    // Inline code that does not parse: PAR001 for laylint, `SyntaxError` for the runtime.
    let label = "PAR001/fail_inline_code_syntax";
    let repo = TestRepo::fixture(label);
    collect_repo(repo.path(), label, &mut cases, &mut per_tool);
    repos.push(repo);
    let fixture_cases = cases.len();
    let variants = variants();
    assert!(variants.len() >= 30, "too few variants: {}", variants.len());
    for Variant {
        name,
        handler,
        files,
    } in variants
    {
        let repo = TestRepo::empty();
        repo.write(
            "template.yaml",
            &format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n      Handler: '{handler}'\n      Runtime: python3.12\n"
            ),
        );
        for (path, text) in files {
            repo.write(&format!("fn/{path}"), &text);
        }
        let before = cases.len();
        collect_repo(
            repo.path(),
            &format!("variant/{name}"),
            &mut cases,
            &mut std::collections::BTreeMap::new(),
        );
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
        "runtime ground truth: {} handlers ({} from fixtures, {} generated), {} agree, {} disagree; laylint verdicts {:?}; fixture handlers per tool {per_tool:?}",
        cases.len(),
        fixture_cases,
        cases.len() - fixture_cases,
        cases.len() - disagreements.len(),
        disagreements.len(),
        tally
    );
    // Chalice and Zappa import `module.attr` as the runtime does, and need the attribute.
    for tool in [
        "SAM",
        "CloudFormation",
        "Serverless",
        "CDK",
        "Terraform",
        "Pulumi",
        "CDKTF",
        "Chalice",
        "Zappa",
    ] {
        assert!(
            per_tool.get(tool).copied().unwrap_or(0) >= 2,
            "too few {tool} handlers compared: {per_tool:?}"
        );
    }
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

/// After `check --fix --unsafe-fixes`, every handler a fix rewrote (HDL002, HDL003,
/// HDL004, HDL007, HDL012) imports and binds its function in the runtime, from its new
/// code root when the fix moved it.
#[test]
fn fixed_handlers_import_in_the_lambda_runtime() {
    let Some(python) = require_tool("python3", "fixed_handlers_import_in_the_lambda_runtime")
    else {
        return;
    };
    let mut rewritten = Vec::new();
    let mut repos = Vec::new();
    for group in ["HDL002", "HDL003", "HDL004", "HDL007", "HDL011", "HDL012"] {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(group))
            .expect("fixtures")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("fail_"))
            .collect();
        names.sort();
        for name in names {
            let label = format!("{group}/{name}");
            let repo = TestRepo::fixture(&label);
            let mut before = Vec::new();
            collect_repo(repo.path(), &label, &mut before, &mut Default::default());
            let run = repo.run(&["check", "--fix", "--unsafe-fixes", "--select", "HDL"]);
            assert!(run.code == 0 || run.code == 1, "{label}: {}", run.stderr);
            let mut after = Vec::new();
            collect_repo(repo.path(), &label, &mut after, &mut Default::default());
            for case in after {
                let old = before.iter().find(|c| c.label == case.label);
                if old.is_some_and(|old| old.handler != case.handler) {
                    rewritten.push(case);
                }
            }
            repos.push(repo);
        }
    }
    let inputs: Vec<(PathBuf, String)> = rewritten
        .iter()
        .map(|c| (c.root.clone(), c.handler.clone()))
        .collect();
    let runtime = runtime_outcomes(&python, &inputs);
    println!(
        "fixed handlers: {} rewritten: {:?}",
        rewritten.len(),
        rewritten
            .iter()
            .map(|c| c.handler.as_str())
            .collect::<Vec<_>>()
    );
    assert!(
        rewritten.len() >= 5,
        "too few fixed handlers: {}",
        rewritten.len()
    );
    for (case, runtime) in rewritten.iter().zip(&runtime) {
        assert_eq!(
            (case.laylint, runtime.as_str()),
            ("found", "found"),
            "{} `{}`",
            case.label,
            case.handler
        );
    }
}
