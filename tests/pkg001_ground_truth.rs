//! Differential test for PKG001: laylint's findings against what the Lambda Python runtime
//! does when it imports each handler without stubs. Seeded layouts (SAM and Serverless)
//! import a third-party name in many ways (module level, in a sibling module, in a package
//! reached by a relative import, guarded, under `TYPE_CHECKING`, in a function) and provide
//! it in many ways (nothing, the code root, a layer's `python/` or `site-packages`, a
//! `requirements.txt` a build installs, a layer laylint cannot see). `python -I -S -B`
//! imports each handler with only the code root and the layers' `python/` folders on
//! `sys.path`, and stand-ins for `boto3` / `botocore` (the runtime provides them). A
//! function whose import raises `ModuleNotFoundError` must be exactly a function PKG001
//! reports, except where a build installs the name or a layer laylint cannot see may hold
//! it: there laylint stays silent, and the test counts those cases apart.
//!
//! Also: the standard library's names that PKG001 embeds are `sys.stdlib_module_names` of
//! the venv's Python (`LAYLINT_UPDATE_STDLIB=1` rewrites the list).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::rng::Rng;
use common::{TestRepo, require_tool};

const STDLIB_FILE: &str = "src/checks/requirements/stdlib_modules.txt";

#[test]
fn stdlib_list_is_the_interpreters() {
    let Some(python) = require_tool("python3", "stdlib_list_is_the_interpreters") else {
        return;
    };
    let output = Command::new(python)
        .args([
            "-I",
            "-S",
            "-c",
            "import sys; print('\\n'.join(sorted(sys.stdlib_module_names)))",
        ])
        .output()
        .expect("run python3");
    assert!(output.status.success(), "python3 failed");
    let actual = String::from_utf8(output.stdout).expect("utf-8");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(STDLIB_FILE);
    if std::env::var_os("LAYLINT_UPDATE_STDLIB").is_some() {
        std::fs::write(&path, &actual).expect("write the list");
    }
    let embedded = std::fs::read_to_string(&path).expect("read the list");
    assert_eq!(
        embedded, actual,
        "{STDLIB_FILE} differs from the interpreter's sys.stdlib_module_names: regenerate it with LAYLINT_UPDATE_STDLIB=1"
    );
    assert!(embedded.lines().any(|l| l == "__future__"));
}

/// Imports each handler the way the runtime does, with stand-ins for the SDK only.
const RUNTIME: &str = r#"
import importlib, importlib.abc, importlib.util, os, sys

class SDK(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("boto3", "botocore"):
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None
    def create_module(self, spec): return None
    def exec_module(self, module): module.__path__ = []

for line in sys.stdin.read().splitlines():
    root, handler, layers = line.split("\t")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        sys.path[0:0] = [root] + [p for p in layers.split(":") if p]
        sys.meta_path.append(SDK())
        modname = handler.rsplit(".", 1)[0].replace("/", ".")
        try:
            importlib.import_module(modname)
            result = "ok"
        except ModuleNotFoundError as e:
            result = "missing:" + str(e.name).split(".")[0]
        except BaseException as e:
            result = "other:" + type(e).__name__ + ":" + str(e)
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

/// How a case imports the third-party name `T`.
const PLACES: [&str; 12] = [
    "none",
    "handler",
    "handler-from",
    "sibling",
    "package",
    "relative",
    "try-import-error",
    "type-checking",
    "in-function",
    "try-not-found",
    "if-condition",
    "unimported-module",
];

/// How a case provides `T`.
const PROVIDERS: [&str; 7] = [
    "nothing",
    "code-root",
    "layer-python",
    "layer-site-packages",
    "requirements",
    "layer-requirements",
    "arn-layer",
];

/// One generated function.
struct Case {
    function: String,
    root: String,
    handler: String,
    layers: Vec<String>,
    provider: &'static str,
}

fn generate(repo: &TestRepo, i: usize, rng: &mut Rng) -> Case {
    let dir = format!("c{i}");
    let serverless = rng.chance(40);
    let place = rng.pick(&PLACES);
    let mut provider = if rng.chance(25) {
        "nothing"
    } else {
        rng.pick(&PROVIDERS)
    };
    if serverless && provider == "layer-site-packages" {
        provider = "layer-python";
    }
    let name = format!("thirdparty{i}");
    let root = if serverless {
        dir.clone()
    } else {
        format!("{dir}/src")
    };
    let module_dir = if place == "relative" {
        format!("{root}/pkg")
    } else {
        root.clone()
    };
    let handler = if place == "relative" {
        "pkg/app.handler".to_string()
    } else {
        "app.handler".to_string()
    };
    let mut app = String::from("import json\n");
    if rng.chance(50) {
        app.push_str("import boto3\nimport botocore.exceptions\n");
    }
    let import = format!("import {name}\n");
    match place {
        "handler" => app.push_str(&import),
        "handler-from" => app.push_str(&format!("from {name} import x\n")),
        "sibling" => {
            repo.write(
                &format!("{root}/helpers.py"),
                &format!("import os\n{import}"),
            );
            app.push_str("import helpers\n");
        }
        "package" => {
            repo.write(&format!("{root}/lib/__init__.py"), "");
            repo.write(&format!("{root}/lib/util.py"), &import);
            app.push_str("from lib import util\n");
        }
        "relative" => {
            repo.write(&format!("{module_dir}/__init__.py"), "");
            repo.write(&format!("{module_dir}/util.py"), &import);
            app.push_str("from . import util\n");
        }
        "try-import-error" => {
            app.push_str(&format!(
                "try:\n    {import}except ImportError:\n    pass\n"
            ));
        }
        "type-checking" => app.push_str(&format!(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {import}"
        )),
        "in-function" => app.push_str(&format!("def helper():\n    {import}")),
        "try-not-found" => {
            repo.write(
                &format!("{root}/helpers.py"),
                &format!("try:\n    {import}except ModuleNotFoundError:\n    {name} = None\n"),
            );
            app.push_str("import helpers\n");
        }
        // `from settings import config` binds an attribute of the plain module
        // `settings.py`: the code root's `config.py`, which imports `T`, never runs.
        "unimported-module" => {
            repo.write(&format!("{root}/settings.py"), "config = {}\n");
            repo.write(&format!("{root}/config.py"), &import);
            app.push_str("from settings import config\n");
        }
        "if-condition" => app.push_str(&format!(
            "import os\nif os.environ.get('NEVER'):\n    {import}"
        )),
        _ => {}
    }
    app.push_str("\n\ndef handler(event, context):\n    return json.dumps(event)\n");
    repo.write(&format!("{module_dir}/app.py"), &app);
    let package = format!("{name}/__init__.py");
    let mut layers = Vec::new();
    let mut layer_yaml = String::new();
    let mut uses = String::new();
    match provider {
        "code-root" => repo.write(&format!("{root}/{package}"), "x = 1\n"),
        "requirements" => repo.write(
            &format!("{root}/requirements.txt"),
            &format!("{name}==1.0\n"),
        ),
        "layer-python" | "layer-site-packages" | "layer-requirements" => {
            let content = format!("{dir}/layer");
            let inside = match provider {
                "layer-python" => format!("python/{package}"),
                "layer-site-packages" => format!("python/lib/python3.12/site-packages/{package}"),
                _ => String::new(),
            };
            if inside.is_empty() {
                // The build installs the requirement into `python/`; nothing is there yet.
                repo.write(
                    &format!("{content}/requirements.txt"),
                    &format!("{name}==1.0\n"),
                );
                repo.write(&format!("{content}/python/.keep"), "");
            } else {
                repo.write(&format!("{content}/{inside}"), "x = 1\n");
            }
            layers.push(format!("{content}/python"));
            layers.push(format!("{content}/python/lib/python3.12/site-packages"));
            if serverless {
                layer_yaml = "layers:\n  shared:\n    path: layer\n".into();
                uses = "    layers:\n      - Ref: SharedLambdaLayer\n".into();
            } else {
                layer_yaml = "  Shared:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: layer/\n".into();
                uses = "      Layers:\n        - !Ref Shared\n".into();
            }
        }
        "arn-layer" if serverless => {
            uses = "    layers:\n      - arn:aws:lambda:eu-west-1:123456789012:layer:shared:1\n"
                .into();
        }
        "arn-layer" => {
            uses =
                "      Layers:\n        - arn:aws:lambda:eu-west-1:123456789012:layer:shared:1\n"
                    .into();
        }
        _ => {}
    }
    let function = if serverless {
        format!("f{i}")
    } else {
        format!("F{i}")
    };
    if serverless {
        repo.write(
            &format!("{dir}/serverless.yml"),
            &format!(
                "service: s{i}\nprovider:\n  name: aws\n  runtime: python3.12\n{layer_yaml}functions:\n  {function}:\n    handler: {handler}\n{uses}"
            ),
        );
    } else {
        repo.write(
            &format!("{dir}/template.yaml"),
            &format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n{layer_yaml}  {function}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: {handler}\n      Runtime: python3.12\n{uses}"
            ),
        );
    }
    Case {
        function,
        root,
        handler,
        layers,
        provider,
    }
}

fn runtime_outcomes(python: &Path, repo: &Path, cases: &[Case]) -> Vec<String> {
    let input: String = cases
        .iter()
        .map(|c| {
            let layers: Vec<String> = c
                .layers
                .iter()
                .map(|l| repo.join(l).display().to_string())
                .collect();
            format!(
                "{}\t{}\t{}\n",
                repo.join(&c.root).display(),
                c.handler,
                layers.join(":")
            )
        })
        .collect();
    common::python_answers(python, RUNTIME, &input, cases.len())
}

#[test]
fn pkg001_agrees_with_the_runtime() {
    let Some(python) = require_tool("python3", "pkg001_agrees_with_the_runtime") else {
        return;
    };
    let repo = TestRepo::empty();
    let mut rng = Rng::new(0x9C61);
    let cases: Vec<Case> = (0..160).map(|i| generate(&repo, i, &mut rng)).collect();
    let outcomes = runtime_outcomes(&python, repo.path(), &cases);
    let report = repo.concise(&["--select", "PKG001"]);
    let reported: BTreeSet<&str> = report
        .lines()
        .filter(|l| l.contains(" PKG001 "))
        .filter_map(|l| l.split("loads function `").nth(1)?.split('`').next())
        .collect();
    let (mut agreed, mut installed, mut unseen, mut missing) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        assert!(
            outcome == "ok" || outcome.starts_with("missing:thirdparty"),
            "{}: unexpected runtime outcome `{outcome}`",
            case.function
        );
        let fails = outcome.starts_with("missing:");
        let flagged = reported.contains(case.function.as_str());
        let expected = match case.provider {
            // The build installs the name (`sam build` from the code root's or the
            // layer's `requirements.txt`): the import fails here, never on Lambda.
            "requirements" | "layer-requirements" if fails => {
                installed += 1;
                false
            }
            // A layer by ARN may hold anything: laylint cannot see into it.
            "arn-layer" if fails => {
                unseen += 1;
                false
            }
            _ => fails,
        };
        missing += usize::from(expected);
        if flagged == expected {
            agreed += 1;
        } else {
            disagreements.push(format!(
                "{} ({}): runtime `{outcome}`, laylint {}",
                case.function,
                case.provider,
                if flagged { "reports" } else { "is silent" }
            ));
        }
    }
    eprintln!(
        "PKG001 vs runtime: {agreed}/{} agree; {missing} reported, {installed} installed by a build, {unseen} behind an unseen layer",
        cases.len()
    );
    assert!(
        disagreements.is_empty(),
        "PKG001 disagrees with the runtime:\n{}\n\nlaylint:\n{report}",
        disagreements.join("\n")
    );
    assert!(
        missing >= 20 && installed >= 5 && unseen >= 3,
        "too few interesting cases"
    );
}
