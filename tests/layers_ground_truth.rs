//! Differential test: laylint's layer rules (PKG002, PKG003, PKG005) against what the
//! Lambda Python runtime does with a layer. Lambda extracts the layer's zip to `/opt` and
//! puts only `/opt/python` and `/opt/python/lib/pythonX.Y/site-packages` on `sys.path`.
//! For generated layer contents (a module at the top, under `python/`, `python/python/`,
//! or a version's `site-packages`, as a file or a package), each declared by SAM,
//! CloudFormation, Serverless, Terraform or CDK for a function on the local Python's
//! runtime, the local `python` (isolated: `-I -S`) runs `import layermod` with exactly
//! those two folders of the content added to its `sys.path`; laylint must report one of
//! the three rules exactly when the import fails.
//!
//! Layers a build step makes (SAM's `BuildMethod`, CDK's `PythonLayerVersion`) are not
//! generated: what they ship is the build's output, covered by the rules' fixtures.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestRepo, require_tool};

/// Where the generated module sits in the layer's content (`{v}`: a Python version).
const PLACES: [&str; 6] = [
    "",
    "python/",
    "python/python/",
    "python/lib/python{local}/site-packages/",
    "python/lib/python{other}/site-packages/",
    "python/lib/python{other}/site-packages/+python/lib/python{local}/site-packages/",
];

const TOOLS: [&str; 5] = ["sam", "cloudformation", "serverless", "terraform", "cdk"];

fn python_version(python: &Path) -> String {
    let out = Command::new(python)
        .args([
            "-I",
            "-c",
            "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
        ])
        .output()
        .expect("run python");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The files declaring a layer `layer/` used by a function on `runtime`.
fn declaration(tool: &str, runtime: &str) -> Vec<(&'static str, String)> {
    let app = (
        "fn/app.py",
        "def handler(event, context):\n    return {}\n".to_string(),
    );
    match tool {
        "sam" | "cloudformation" => {
            let (layer_type, content_key, function_type, code) = if tool == "sam" {
                (
                    "AWS::Serverless::LayerVersion",
                    "ContentUri",
                    "AWS::Serverless::Function",
                    "CodeUri: fn/",
                )
            } else {
                (
                    "AWS::Lambda::LayerVersion",
                    "Content",
                    "AWS::Lambda::Function",
                    "Code: fn/",
                )
            };
            vec![
                (
                    "template.yaml",
                    format!(
                        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Shared:\n    Type: {layer_type}\n    Properties:\n      {content_key}: layer/\n  Fn:\n    Type: {function_type}\n    Properties:\n      {code}\n      Handler: app.handler\n      Runtime: {runtime}\n      Layers:\n        - !Ref Shared\n"
                    ),
                ),
                app,
            ]
        }
        "serverless" => vec![
            (
                "serverless.yml",
                format!(
                    "service: s\nprovider:\n  name: aws\n  runtime: {runtime}\nlayers:\n  shared:\n    path: layer\nfunctions:\n  fn:\n    handler: fn/app.handler\n    layers:\n      - Ref: SharedLambdaLayer\n"
                ),
            ),
            app,
        ],
        "terraform" => vec![
            (
                "main.tf",
                format!(
                    "data \"archive_file\" \"layer\" {{\n  type = \"zip\"\n  source_dir = \"${{path.module}}/layer\"\n  output_path = \"layer.zip\"\n}}\nresource \"aws_lambda_layer_version\" \"shared\" {{\n  layer_name = \"shared\"\n  filename = data.archive_file.layer.output_path\n}}\nresource \"aws_lambda_function\" \"fn\" {{\n  handler = \"app.handler\"\n  runtime = \"{runtime}\"\n  filename = \"fn.zip\"\n  layers = [aws_lambda_layer_version.shared.arn]\n}}\n"
                ),
            ),
            app,
        ],
        "cdk" => vec![
            ("cdk.json", "{\"app\": \"python3 app.py\"}\n".to_string()),
            (
                "app.py",
                format!(
                    "from aws_cdk import aws_lambda as lambda_\nshared = lambda_.LayerVersion(None, \"Shared\", code=lambda_.Code.from_asset(\"layer\"))\nlambda_.Function(None, \"Fn\", runtime=lambda_.Runtime.PYTHON_{}, handler=\"app.handler\", code=lambda_.Code.from_asset(\"fn\"), layers=[shared])\n",
                    runtime.trim_start_matches("python").replace('.', "_")
                ),
            ),
            app,
        ],
        other => panic!("unknown tool {other}"),
    }
}

/// Whether the runtime imports `layermod` from the layer content at `opt`.
fn runtime_imports(python: &Path, opt: &Path, version: &str) -> bool {
    let paths = [
        opt.join("python"),
        opt.join(format!("python/lib/python{version}/site-packages")),
    ];
    let script = "import sys; sys.path.extend(sys.argv[1:]); import layermod";
    Command::new(python)
        .args(["-I", "-S", "-B", "-c", script])
        .args(&paths)
        .current_dir(opt)
        .env_clear()
        .output()
        .expect("run python")
        .status
        .success()
}

#[test]
fn layer_rules_agree_with_the_runtime_import() {
    let test = "layer_rules_agree_with_the_runtime_import";
    let Some(python) = require_tool("python", test) else {
        return;
    };
    let local = python_version(&python);
    let other = if local == "3.9" { "3.11" } else { "3.9" };
    let mut cases = 0;
    let mut disagreements = Vec::new();
    for (t, tool) in TOOLS.iter().enumerate() {
        for (p, place) in PLACES.iter().enumerate() {
            for package in [false, true] {
                let repo = TestRepo::empty();
                for (path, text) in declaration(tool, &format!("python{local}")) {
                    repo.write(path, &text);
                }
                for place in place.split('+') {
                    let dir = format!(
                        "layer/{}",
                        place.replace("{local}", &local).replace("{other}", other)
                    );
                    match package {
                        true => repo.write(&format!("{dir}layermod/__init__.py"), "X = 1\n"),
                        false => repo.write(&format!("{dir}layermod.py"), "X = 1\n"),
                    }
                }
                // Something else in the layer, so the folder exists whatever the case.
                repo.write("layer/README.md", "shared code\n");
                let imports = runtime_imports(&python, &repo.path().join("layer"), &local);
                let out = repo.concise(&["--select", "PKG002,PKG003,PKG005"]);
                let reported = out.lines().any(|l| l.contains(" PKG00"));
                cases += 1;
                if reported == imports {
                    disagreements.push(format!(
                        "{tool} case {t}.{p} (`{place}`, package: {package}): runtime imports: {imports}, laylint:\n{out}"
                    ));
                }
            }
        }
    }
    assert!(cases >= 60, "{cases} cases");
    assert!(
        disagreements.is_empty(),
        "{} of {cases} cases disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
