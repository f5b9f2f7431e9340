//! IAC003 never prints the secret it finds: for each tool's way of writing an
//! environment variable, every output format (and the language server's messages) names
//! the variable and holds none of the value's bytes, even where a source line around
//! another diagnostic (HDL011 on the runtime next to it) is shown.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{FORMATS, TestRepo};

/// Values no other text of the repository contains.
const SECRETS: [&str; 5] = [
    "s3cr3t-sam-Zq9",
    "s3cr3t-sls-Wx7",
    "s3cr3t-cdk-Vb5",
    "s3cr3t-tf-Nm3",
    "s3cr3t-pulumi-Kp1",
];

fn repo() -> TestRepo {
    let app = "def handler(event, context):\n    return {}\n";
    TestRepo::with_files(&[
        (
            "template.yaml",
            &format!(
                "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: api/\n      Handler: app.handler\n      Runtime: python3.8\n      Environment:\n        Variables:\n          DB_PASSWORD: {}  # laylint: ignore[HDL001]\n",
                SECRETS[0]
            ),
        ),
        ("api/app.py", app),
        (
            "svc/serverless.yml",
            &format!(
                "service: s\nprovider:\n  name: aws\n  runtime: python3.8\nfunctions:\n  hello:\n    handler: handler.hello\n    environment:\n      API_TOKEN: '{}'\n",
                SECRETS[1]
            ),
        ),
        (
            "svc/handler.py",
            "def hello(event, context):\n    return 1\n",
        ),
        ("cdk/cdk.json", "{\"app\": \"python3 app.py\"}\n"),
        (
            "cdk/app.py",
            &format!(
                "from aws_cdk import aws_lambda as _lambda\n_lambda.Function(None, \"F\", runtime=_lambda.Runtime.PYTHON_3_12, handler=\"app.handler\", code=_lambda.Code.from_asset(\"fn\"), environment={{\"WEBHOOK_SECRET\": \"{}\"}})\n",
                SECRETS[2]
            ),
        ),
        ("cdk/fn/app.py", app),
        (
            "tf/main.tf",
            &format!(
                "resource \"aws_lambda_function\" \"f\" {{\n  handler = \"app.handler\"\n  runtime = \"python3.8\"\n  filename = \"f.zip\"\n  environment {{\n    variables = {{ PRIVATE_KEY = \"{}\" }}\n  }}\n}}\n",
                SECRETS[3]
            ),
        ),
        ("pulumi/Pulumi.yaml", "name: p\nruntime: python\n"),
        (
            "pulumi/__main__.py",
            &format!(
                "import pulumi\nimport pulumi_aws as aws\naws.lambda_.Function(\"f\", runtime=\"python3.12\", handler=\"app.handler\", code=pulumi.FileArchive(\"./fn\"), environment={{\"variables\": {{\"ACCESS_KEY\": \"{}\"}}}})\n",
                SECRETS[4]
            ),
        ),
        ("pulumi/fn/app.py", app),
    ])
}

fn assert_no_secret(output: &str, what: &str) {
    for secret in SECRETS {
        assert!(
            !output.contains(secret),
            "{what} prints the value `{secret}`:\n{output}"
        );
    }
}

#[test]
fn no_output_format_prints_the_value() {
    let repo = repo();
    for format in FORMATS {
        let run = repo.run(&[
            "check",
            "--select",
            "IAC003,HDL011,HDL001",
            "--output-format",
            format,
        ]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        let count = run.stdout.matches("IAC003").count();
        assert!(count >= 5, "{format}: {count} IAC003\n{}", run.stdout);
        assert_no_secret(&run.stdout, format);
        assert_no_secret(&run.stderr, format);
    }
    // The full report shows the line of each finding, the value masked.
    let full = repo.run(&["check", "--select", "IAC003", "--output-format", "full"]);
    assert!(
        full.stdout.contains("DB_PASSWORD: **************"),
        "{}",
        full.stdout
    );
    // Statistics and the suppression of another rule on the same line stay correct.
    let stats = repo.run(&["check", "--select", "IAC003", "--statistics"]);
    assert_no_secret(&stats.stdout, "--statistics");
}

/// Reads LSP messages until one satisfies `done`, or 20 seconds pass.
fn read_until(reader: &mut impl BufRead, seen: &mut String, done: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.unwrap_or(0)];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body);
        seen.push_str(&body);
        seen.push('\n');
        if done(&body) {
            return;
        }
    }
}

#[test]
fn the_language_server_never_sends_the_value() {
    let repo = repo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_laylint"))
        .arg("server")
        .current_dir(repo.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start laylint server");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |body: String| {
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    };
    let root = format!("file://{}", repo.path().display());
    send(format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":"{root}","capabilities":{{}}}}}}"#
    ));
    send(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.to_string());
    let template = format!("{root}/template.yaml");
    send(format!(
        r#"{{"jsonrpc":"2.0","id":2,"method":"textDocument/codeAction","params":{{"textDocument":{{"uri":"{template}"}},"range":{{"start":{{"line":0,"character":0}},"end":{{"line":20,"character":0}}}},"context":{{"diagnostics":[]}}}}}}"#
    ));
    let mut seen = String::new();
    read_until(&mut reader, &mut seen, |body| {
        body.contains("publishDiagnostics")
            && body.contains("template.yaml")
            && body.contains("IAC003")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("IAC003"), "no IAC003 published:\n{seen}");
    assert_no_secret(&seen, "the language server");
}
