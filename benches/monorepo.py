#!/usr/bin/env python3
"""Benchmark: laylint on a synthetic serverless monorepo, beside `fd --type f`, its floor and ruff.

Generates a deterministic repository (services each with a SAM template, a pyproject, a
src-layout package of a dozen handler modules and tests; plus ignored `.venv/` and
`node_modules/` trees of similar size; a few planted faults), then prints for each tree,
side by side, the median wall time of:

- `fd --type f` listing the same tree;
- the floor (`benches/read_floor.rs`: laylint's walk reading every file once, scanning it
  for AWS keys as IAC001 does, and parsing what the default rules parse);
- laylint cold (`--no-cache` when the binary has the persistent cache, a plain run before);
- laylint warm after one handler module was edited (a comment line appended 2.2 s before,
  past laylint's racy window, as a user's edit is when the hook runs);
- laylint warm (the next run, nothing changed since);
- `ruff check --no-cache` (ruff installed from PyPI into `benches/.venv`, pinned below);

each with its ratio to `fd` and to the floor, and the peak memory (max RSS) of every
laylint run. The commands alternate within each round, so that a shared machine's load
falls on all of them alike. Each laylint binary gets its own cache folder outside the tree
(`LAYLINT_CACHE_DIR`); the JSON output of a cold and a warm run is compared byte for byte,
and with several binaries (`--laylint A B`) each one's against the first's.

Two profiles: `default` (a tenth of the tracked files are tests) and `dense` (2,000+
services at 100k files: a dozen functions per template, each with its own test module
and as many ignored files beside them: the handler-heavy path).

    python3 benches/monorepo.py                 # 10k, 30k and 100k files
    python3 benches/monorepo.py --sizes 100000 --profile default dense --runs 7
    python3 benches/monorepo.py --sizes 100000 --laylint before/laylint target/release/laylint
    python3 benches/monorepo.py --sizes 10000 --no-floor --no-ruff --keep /tmp/mono

Nothing here is a test: CI never times anything.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# laylint keeps nothing of a file changed this close to a run's start (src/cache/mod.rs).
RACY_WINDOW = 2.2

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


def run_one(cmd, cwd, env=None):
    """Wall time and peak resident memory (MiB) of one run of `cmd`."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped by wait4
    return wall, usage.ru_maxrss / 1024


def has_no_cache(laylint):
    """Whether this binary has the persistent cache (its `check --help` lists `--no-cache`)."""
    out = subprocess.run([laylint, "check", "--help"], capture_output=True, text=True).stdout
    return "--no-cache" in out


def floor_binary(cargo_profile):
    """Builds benches/read_floor.rs once; returns its executable."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        ["cargo", "bench", "--no-run", "--bench", "read_floor", "--profile", cargo_profile,
         "--message-format", "json"],
        cwd=here,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") and \
                message["target"]["name"] == "read_floor":
            return message["executable"]
    sys.exit("could not build benches/read_floor.rs")


def floor_steps(binary, root, runs, fd):
    """Prints benches/read_floor.rs's steps for this tree, each with its ratio to `fd`."""
    out = subprocess.run([binary, root, str(runs)], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.endswith(" s") and ":" in line:
            seconds = float(line.rsplit(None, 2)[-2])
            print(f"      floor step  {line.strip()}  ({seconds / fd:.2f}x fd)")


def floor_once(binary, root):
    """One timing of the floor's last step (in-process, the page cache already warm)."""
    out = subprocess.run([binary, root, "1", "floor-only"], capture_output=True, text=True, check=True).stdout
    return float(out.split()[-2])


class Laylint:
    """One laylint binary under test, with its own cache folder outside the tree."""

    def __init__(self, path, label, cache_root):
        self.path = path
        self.label = label
        self.cache = has_no_cache(path)
        self.env = dict(os.environ, LAYLINT_CACHE_DIR=os.path.join(cache_root, label))

    def check(self, cached, fmt="concise"):
        cmd = [self.path, "check", "--output-format", fmt, "--quiet", "--exit-zero"]
        if self.cache and not cached:
            cmd.append("--no-cache")
        return cmd


def one_tree(args, size, profile, binaries, fd_cmd, ruff, floor_exe):
    root = args.keep or tempfile.mkdtemp(prefix=f"laylint-bench-{size}-")
    if args.reuse and os.path.isdir(os.path.join(root, "services")):
        # A tree kept by an earlier run (generating 200,000 files takes minutes).
        count = sum(len(files) for _, _, files in os.walk(os.path.join(root, "services"))) + 1
    else:
        if args.keep:
            shutil.rmtree(root, ignore_errors=True)
        count = generate(root, size, profile)
    edited = os.path.join(root, "services", "svc00001", "src", "svc00001_app", "handler_03.py")
    cache_root = tempfile.mkdtemp(prefix="laylint-bench-cache-")
    lays = [Laylint(b, label, cache_root) for b, label in binaries]

    # Findings, and the JSON of a cold and a warm run (they must be the same bytes).
    findings, json_out = {}, {}
    for lay in lays:
        findings[lay.label] = subprocess.run(
            lay.check(False), cwd=root, env=lay.env, capture_output=True, text=True
        ).stdout.count("\n")
        cold = subprocess.run(lay.check(False, "json"), cwd=root, env=lay.env, capture_output=True).stdout
        subprocess.run(lay.check(True), cwd=root, env=lay.env, capture_output=True)  # fills the cache
        warm = subprocess.run(lay.check(True, "json"), cwd=root, env=lay.env, capture_output=True).stdout
        json_out[lay.label] = (cold, warm)

    # Every figure is measured in the same rounds, alternating the commands: the machine
    # is shared, and a figure from another minute is not comparable.
    times = {}
    peaks = {}

    def note(name, wall, peak=None):
        times.setdefault(name, []).append(wall)
        if peak is not None:
            peaks[name] = max(peaks.get(name, 0.0), peak)

    edits = 0
    for _ in range(args.runs):
        if fd_cmd:
            note("fd --type f", run_one(fd_cmd, root)[0])
        if floor_exe:
            note("floor", floor_once(floor_exe, root))
        for lay in lays:
            note(f"{lay.label} cold" + (" (--no-cache)" if lay.cache else ""), *run_one(lay.check(False), root, lay.env))
            if not lay.cache:
                continue  # without the cache a warm run is a cold one: not timed twice
            edits += 1
            with open(edited, "a", encoding="utf-8") as f:
                f.write(f"# edit {edits}\n")
            # A user's edit is seconds old when the hook runs: past laylint's racy window
            # (2 s), within which a file's stamp cannot vouch for it and nothing is kept.
            time.sleep(RACY_WINDOW)
            note(f"{lay.label} warm, 1 module edited", *run_one(lay.check(True), root, lay.env))
            # Nothing changed since the run before: the run it recorded is replayed.
            note(f"{lay.label} warm", *run_one(lay.check(True), root, lay.env))
        if ruff:
            note("ruff check --no-cache", run_one([ruff, "check", "--no-cache", "--exit-zero", "--quiet", "."], root)[0])

    # After the edits: the replayed run's JSON against a run without the cache.
    after_edits = {}
    for lay in lays:
        if lay.cache:
            warm = subprocess.run(lay.check(True, "json"), cwd=root, env=lay.env, capture_output=True).stdout
            cold = subprocess.run(lay.check(False, "json"), cwd=root, env=lay.env, capture_output=True).stdout
            after_edits[lay.label] = "identical" if cold == warm else "DIFFERENT"

    medians = {name: statistics.median(t) for name, t in times.items()}
    fd = medians.get("fd --type f", float("nan"))
    fl = medians.get("floor", float("nan"))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{size:,} files, profile {profile}: {count:,} tracked (and as many ignored); "
          f"load average after the runs {load}")
    print(f"  {'what':<44} {'median s':>9} {'x fd':>6} {'x floor':>8} {'peak MiB':>9}")
    for name, seconds in medians.items():
        peak = f"{peaks[name]:>9.1f}" if name in peaks else f"{'':>9}"
        print(f"  {name:<44} {seconds:>9.3f} {seconds / fd:>6.2f} {seconds / fl:>8.2f} {peak}")
    for lay in lays:
        cold, warm = json_out[lay.label]
        same = "identical" if cold == warm else "DIFFERENT"
        note_cache = "" if lay.cache else " (no cache in this binary: warm runs not timed)"
        after = f"; after the edits: {after_edits[lay.label]}" if lay.label in after_edits else ""
        print(f"  {lay.label}: {findings[lay.label]} findings; warm JSON vs cold: {same}{after}{note_cache}")
    if len(lays) > 1:
        first = json_out[lays[0].label][0]
        for lay in lays[1:]:
            same = "identical" if json_out[lay.label][0] == first else "DIFFERENT"
            print(f"  JSON of {lay.label} vs {lays[0].label}: {same}")
        base = lays[0].label
        for lay in lays[1:]:
            for kind in ("cold", "warm", "warm, 1 module edited") if lay.cache and lays[0].cache else ("cold",):
                a = next(v for k, v in medians.items() if k.split(" ", 1)[1].startswith(kind) and k.startswith(base + " ") and ("," in k) == ("," in kind))
                b = next(v for k, v in medians.items() if k.split(" ", 1)[1].startswith(kind) and k.startswith(lay.label + " ") and ("," in k) == ("," in kind))
                print(f"  {kind}: {lay.label} / {base} = {b / a:.3f}")
    if args.floor and floor_exe:
        floor_steps(floor_exe, root, args.runs, fd)
    shutil.rmtree(cache_root, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--laylint",
        nargs="+",
        default=[os.path.join("target", "release", "laylint")],
        help="one binary, or several to compare (each is run in turn in every round)",
    )
    parser.add_argument(
        "--profile", choices=sorted(TESTS_PER_SERVICE), nargs="+", default=["default"],
        help="one profile or both (`--profile default dense`)",
    )
    parser.add_argument("--ruff", action="store_true", help="(the default) time `ruff check --no-cache`")
    parser.add_argument("--no-ruff", action="store_true", help="leave ruff out")
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument(
        "--reuse", action="store_true",
        help="with --keep: measure the tree already there instead of generating it again",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also print the floor's steps (benches/read_floor.rs) for each tree",
    )
    parser.add_argument("--no-floor", action="store_true", help="leave the floor out (no cargo build)")
    parser.add_argument(
        "--floor-profile", default="bench",
        help="cargo profile the floor is built with (`profiling` shares the profiling build's crates)",
    )
    args = parser.parse_args()

    binaries = []
    for i, path in enumerate(args.laylint):
        path = os.path.abspath(path)
        if not os.path.exists(path):
            sys.exit(f"{path} not found: run `cargo build --release` first")
        label = "laylint" if len(args.laylint) == 1 else f"laylint[{i}]"
        binaries.append((path, label))
    fd_cmd, fd_name = lister()
    ruff = None if args.no_ruff else ruff_binary()
    floor_exe = None if args.no_floor else floor_binary(args.floor_profile)
    print(
        f"cores: {os.cpu_count()}  runs per figure: {args.runs} (median, the commands alternating)  "
        f"lister: {fd_name or 'none (install fd-find)'}"
    )
    for path, label in binaries:
        cache = "has --no-cache" if has_no_cache(path) else "no cache flag: cold runs are plain runs, no warm rows"
        print(f"{label}: {path} ({cache})")
    for profile in args.profile:
        for size in args.sizes:
            one_tree(args, size, profile, binaries, fd_cmd, ruff, floor_exe)


if __name__ == "__main__":
    main()
