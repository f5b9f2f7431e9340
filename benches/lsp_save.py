#!/usr/bin/env python3
"""Warm-save latency of `laylint server` on a generated 10,000-file repository.

Generates a monorepo (services with pyproject.toml, template.yaml, handler modules and
tests; an ignored .venv), starts the server over stdio as an editor does, then N times:
rewrites one pyproject.toml on disk (alternately broken and fixed), sends
textDocument/didSave and times the round trip until publishDiagnostics for that file
arrives. Prints the cold start and the median / p90 / max warm save.

    cargo build --release
    python3 benches/lsp_save.py [--binary target/release/laylint] [--files 10000] [--saves 40]

Standard library only. The target is a warm save under 50 ms.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue
from pathlib import Path

CONFIG = '''
[[custom-rules]]
code = "ORG001"
name = "project-name-required"
group = "custom"
summary = "Every pyproject.toml names its project"
severity = "warning"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "toml-key"
glob = "**/pyproject.toml"
key = "project.name"

[[custom-rules]]
code = "ORG002"
name = "unique-handler-module"
group = "custom"
summary = "Handler module names are unique"
severity = "warning"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "unique-name"
for-each = "services/*"
glob = "**/handlers/*.py"

[[custom-rules]]
code = "ORG003"
name = "no-print"
group = "custom"
summary = "No print() in service code"
severity = "warning"
default = true
docs = """
## What it does
x
## Why is this bad?
x
## Example
x
## How to fix
x
"""
[custom-rules.check]
kind = "content"
glob = "services/**/*.py"
forbids = '\\bprint\\('
'''

HANDLER = '''"""Handler {i}."""
import json


def handler(event, context):
    body = json.loads(event.get("body") or "{{}}")
    return {{"statusCode": 200, "body": json.dumps({{"n": {i}, "echo": body}})}}
'''

TEST = '''from {pkg}.handlers import h{i:04d}


def test_h{i:04d}():
    assert h{i:04d}.handler({{}}, None)["statusCode"] == 200
'''

TEMPLATE = '''AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {pkg}.handlers.h0000.handler
      Runtime: python3.12
'''


def generate(root: Path, total: int) -> int:
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text(".venv/\n")
    (root / "laylint.toml").write_text(CONFIG)
    venv = root / ".venv" / "lib" / "site-packages" / "pkg"
    venv.mkdir(parents=True)
    for i in range(200):
        (venv / f"m{i}.py").write_text("x = 1\n")
    count = 3
    services = max(1, total // 100)
    per_service, extra = divmod(total - count, services)
    for s in range(services):
        pkg = f"svc{s:03d}"
        base = root / "services" / pkg
        handlers = base / "src" / pkg / "handlers"
        tests = base / "tests"
        handlers.mkdir(parents=True)
        tests.mkdir(parents=True)
        (base / "pyproject.toml").write_text(f'[project]\nname = "{pkg}"\nversion = "0.1.0"\n')
        (base / "template.yaml").write_text(TEMPLATE.format(pkg=pkg))
        (base / "src" / pkg / "__init__.py").write_text("")
        (handlers / "__init__.py").write_text("")
        count += 4
        room = per_service - 4 + (1 if s < extra else 0)
        n_handlers = room * 3 // 5
        for i in range(n_handlers):
            (handlers / f"h{i:04d}.py").write_text(HANDLER.format(i=i))
        for i in range(room - n_handlers):
            (tests / f"test_h{i:04d}.py").write_text(TEST.format(pkg=pkg, i=i))
        count += room
    return count


class Server:
    def __init__(self, binary: str, root: Path):
        self.proc = subprocess.Popen(
            [binary, "server"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.inbox: "queue.Queue[dict]" = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 1

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)

    def wait(self, wanted, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            if wanted(message):
                return message

    def published(self, uri):
        return self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
        )


def main():
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=str(here / "target" / "release" / "laylint"))
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument(
        "--repo",
        help="use this existing repository (e.g. one kept by benches/monorepo.py --keep) with its own "
        "configuration and the built-in rules, instead of generating one",
    )
    parser.add_argument(
        "--file",
        default="services/svc00042/pyproject.toml",
        help="with --repo: the file to break (PAR001) and fix on each save: a pyproject.toml, "
        "or a handler module (.py) that a template declares",
    )
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")

    with tempfile.TemporaryDirectory() as tmp:
        if args.repo:
            root = Path(args.repo).resolve()
            files = sum(len(f) for _, _, f in os.walk(root))
            target = root / args.file
        else:
            root = Path(tmp).resolve()
            files = generate(root, args.files)
            target = root / "services" / "svc042" / "pyproject.toml"
        uri = target.as_uri()
        server = Server(args.binary, root)
        start = time.perf_counter()
        server.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        server.notify("initialized", {})
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python" if target.suffix == ".py" else "toml", "version": 1, "text": ""}},
        )
        first = server.published(uri)
        cold = time.perf_counter() - start
        # The server may publish the opened file again (once for the workspace, once for
        # the open): take what arrives until it is quiet, so each save pairs with its answer.
        baseline = len(first["params"]["diagnostics"])
        while True:
            try:
                again = server.wait(
                    lambda m: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri,
                    timeout=1.0,
                )
            except queue.Empty:
                break
            baseline = len(again["params"]["diagnostics"])

        good = target.read_text()
        # Generated repositories carry a rule requiring `project.name`; an existing one gets
        # a TOML syntax error (PAR001) instead.
        if target.suffix == ".py":
            bad = good + "\ndef broken(:\n"
        elif args.repo:
            bad = good.replace("[project]", "[project", 1)
        else:
            bad = good.replace("name = ", "title = ")
        timings = []
        for i in range(args.saves):
            broken = i % 2 == 0
            target.write_text(bad if broken else good)
            t0 = time.perf_counter()
            server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
            message = server.published(uri)
            timings.append(time.perf_counter() - t0)
            # The file's findings before the first save (the generated services ship no
            # `py.typed`: TYP001) stay; the broken text adds exactly one.
            got = len(message["params"]["diagnostics"])
            wanted = baseline + (1 if broken else 0)
            if got != wanted:
                codes = [d.get("code") for d in message["params"]["diagnostics"]]
                sys.exit(f"save {i}: expected {wanted} diagnostics, got {got}: {codes}")

        server.request("shutdown", None)
        server.notify("exit", None)
        code = server.proc.wait(timeout=10)

    ms = sorted(t * 1000 for t in timings)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(f"repository: {files} files" + ("" if args.repo else " (+200 ignored in .venv)"))
    print(f"cold start (initialize -> first diagnostics): {cold * 1000:.0f} ms")
    print(
        f"warm save -> publishDiagnostics over {len(ms)} saves: "
        f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(f"server exit code: {code}")


if __name__ == "__main__":
    main()
