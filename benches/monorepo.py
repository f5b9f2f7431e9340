#!/usr/bin/env python3
"""Benchmark: laylint on a synthetic serverless monorepo, beside `fd --type f` and ruff.

Generates a deterministic repository (services each with a SAM template, a pyproject, a
src-layout package of a dozen handler modules and tests; plus ignored `.venv/` and
`node_modules/` trees of similar size; a few planted faults), then prints, for each size,
the median wall time of `laylint check` and of `fd --type f` listing the same tree, their
ratio, laylint's peak memory and, with `--ruff`, `ruff check --no-cache` on the same tree
(ruff is installed from PyPI into `benches/.venv`, pinned below).

Two profiles: `default` (a tenth of the tracked files are tests) and `dense` (2,000+
services at 100k files: a dozen functions per template, each with its own test module
and as many ignored files beside them: the handler-heavy path).

    python3 benches/monorepo.py                 # 10k, 30k and 100k files
    python3 benches/monorepo.py --sizes 100000 --runs 7 --laylint target/release/laylint
    python3 benches/monorepo.py --profile dense --sizes 100000 --ruff --floor

Nothing here is a test: CI never times anything.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HANDLERS_PER_SERVICE = 12
# Test modules per service, by profile: `dense` gives each function its own.
TESTS_PER_SERVICE = {"default": 4, "dense": HANDLERS_PER_SERVICE}
RUFF = "ruff==0.17.6"


def files_per_service(profile):
    # template, pyproject, README, __init__, py.typed, handlers, tests
    return 5 + HANDLERS_PER_SERVICE + TESTS_PER_SERVICE[profile]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def service(root, index, tests):
    name = f"svc{index:05d}"
    base = os.path.join(root, "services", name)
    pkg = f"{name}_app"
    functions = []
    for k in range(HANDLERS_PER_SERVICE):
        handler = f"{pkg}.handler_{k:02d}.handler"
        # Planted faults: every 997th service names a function that does not exist.
        if index % 997 == 3 and k == 0:
            handler = f"{pkg}.handler_{k:02d}.missing"
        functions.append(
            f"  Fn{k:02d}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            f"      CodeUri: src/\n      Handler: {handler}\n"
        )
    write(
        os.path.join(base, "template.yaml"),
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
        "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\nResources:\n" + "".join(functions),
    )
    write(
        os.path.join(base, "pyproject.toml"),
        f'[project]\nname = "{name}-app"\nversion = "0.1.0"\n\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        f'[tool.hatch.build.targets.wheel]\npackages = ["src/{pkg}"]\n',
    )
    write(os.path.join(base, "README.md"), f"# {name}\n")
    write(os.path.join(base, "src", pkg, "__init__.py"), "")
    # Planted fault: some packages lack py.typed.
    if index % 499 != 7:
        write(os.path.join(base, "src", pkg, "py.typed"), "")
    for k in range(HANDLERS_PER_SERVICE):
        write(
            os.path.join(base, "src", pkg, f"handler_{k:02d}.py"),
            "from typing import Any\n\nfrom .shared import helper\n\n\n"
            "def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:\n"
            f"    return {{'service': {index}, 'fn': {k}, 'ok': helper()}}\n",
        )
    for k in range(tests):
        write(
            os.path.join(base, "tests", f"test_{name}_{k}.py"),
            f"from {pkg}.handler_{k:02d} import handler\n\n\ndef test_it() -> None:\n    assert handler({{}}, None)\n",
        )


def ignored_tree(root, folder, count):
    for i in range(count):
        write(os.path.join(root, folder, f"pkg{i // 50:04d}", f"mod{i % 50:02d}.py"), "x = 1\n")


def generate(root, files, profile):
    """`files` tracked files (and as many ignored ones); returns the tracked count."""
    per_service = files_per_service(profile)
    services = max(1, files // per_service)
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    write(os.path.join(root, ".gitignore"), ".venv/\nnode_modules/\n")
    for index in range(services):
        service(root, index, TESTS_PER_SERVICE[profile])
    ignored_tree(root, ".venv", files // 2)
    ignored_tree(root, "node_modules", files // 2)
    return services * per_service + 1


def ruff_binary():
    """ruff from PyPI in the bench's own venv (made on first use)."""
    venv = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".venv")
    ruff = os.path.join(venv, "bin", "ruff")
    if not os.path.exists(ruff):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", RUFF], check=True)
    return ruff


def lister():
    for name in ("fd", "fdfind"):
        path = shutil.which(name)
        if path:
            return [path, "--type", "f", "--hidden", "--exclude", ".git"], name
    return None, None


def timed(cmd, cwd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def peak_rss_mib(cmd, cwd):
    """Peak resident memory of one run, measured in a fresh child (ru_maxrss is per process tree)."""
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, cwd, *cmd], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def floor(root, runs, fd):
    """Prints benches/read_floor.rs's times for this tree, each with its ratio to `fd`."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        ["cargo", "bench", "--quiet", "--bench", "read_floor", "--", root, str(runs)],
        cwd=here,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        if line.endswith(" s") and ":" in line:
            seconds = float(line.rsplit(None, 2)[-2])
            print(f"{'':>8}   floor, {line.strip()}  ({seconds / fd:.2f}x fd)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--laylint", default=os.path.join("target", "release", "laylint"))
    parser.add_argument("--profile", choices=sorted(TESTS_PER_SERVICE), default="default")
    parser.add_argument("--ruff", action="store_true", help="also time `ruff check --no-cache`")
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the floor: the same walk reading (and parsing) only the files the "
        "handler rules cannot skip (cargo bench --bench read_floor)",
    )
    args = parser.parse_args()

    laylint = os.path.abspath(args.laylint)
    if not os.path.exists(laylint):
        sys.exit(f"{laylint} not found: run `cargo build --release` first")
    fd_cmd, fd_name = lister()
    ruff = ruff_binary() if args.ruff else None
    print(
        f"cores: {os.cpu_count()}  profile: {args.profile}  runs per figure: {args.runs} (median)  "
        f"lister: {fd_name or 'none (install fd-find)'}"
    )
    print(
        f"{'files':>8} {'laylint s':>10} {'fd s':>8} {'ratio':>6} {'peak MiB':>9} {'findings':>9}"
        + (f" {'ruff s':>8} {'ruff/lay':>8}" if ruff else "")
    )
    for size in args.sizes:
        root = args.keep or tempfile.mkdtemp(prefix=f"laylint-bench-{size}-")
        if args.keep:
            shutil.rmtree(root, ignore_errors=True)
        count = generate(root, size, args.profile)
        check = [laylint, "check", "--output-format", "concise", "--quiet", "--exit-zero"]
        findings = subprocess.run(check, cwd=root, capture_output=True, text=True).stdout.count("\n")
        timed(check, root)  # warm the page cache
        lay = statistics.median(timed(check, root) for _ in range(args.runs))
        fd = statistics.median(timed(fd_cmd, root) for _ in range(args.runs)) if fd_cmd else float("nan")
        peak = peak_rss_mib(check, root)
        row = f"{count:>8} {lay:>10.3f} {fd:>8.3f} {lay / fd:>6.2f} {peak:>9.1f} {findings:>9}"
        if ruff:
            ruff_cmd = [ruff, "check", "--no-cache", "--exit-zero", "--quiet", "."]
            rf = statistics.median(timed(ruff_cmd, root) for _ in range(args.runs))
            row += f" {rf:>8.3f} {rf / lay:>8.2f}"
        print(row)
        if args.floor:
            floor(root, args.runs, fd)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
