"""Builds each project of a list with its own PEP 517 backend, offline, as
`pip wheel --no-deps --no-build-isolation` does (the same hook runner, pip's vendored
`pyproject_hooks`, one subprocess per build), and prints what each wheel holds.

Input (argv[1]): a JSON list of {"dir": path, "backend": "mod.path", "pythonpath": path|null}.
Output (argv[2], a file: backends print to stdout): a JSON object dir -> {"built": bool, "files": [...], "error": str}.
"""

import json
import os
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor

from pip._vendor.pyproject_hooks import BuildBackendHookCaller, default_subprocess_runner


def build(case):
    extra = {}
    if case.get("pythonpath"):
        extra["PYTHONPATH"] = case["pythonpath"]

    def runner(cmd, cwd=None, extra_environ=None):
        env = dict(extra_environ or {})
        env.update(extra)
        return default_subprocess_runner(cmd, cwd=cwd, extra_environ=env)

    caller = BuildBackendHookCaller(case["dir"], case["backend"], runner=runner)
    with tempfile.TemporaryDirectory() as out:
        try:
            name = caller.build_wheel(out)
        except Exception as error:  # the backend's failure is the answer
            return case["dir"], {"built": False, "files": [], "error": repr(error)[-400:]}
        with zipfile.ZipFile(os.path.join(out, name)) as wheel:
            files = [n for n in wheel.namelist() if ".dist-info/" not in n]
        return case["dir"], {"built": True, "files": files, "error": ""}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    workers = max(2, os.cpu_count() or 2)
    with ThreadPoolExecutor(workers) as pool:
        results = dict(pool.map(build, cases))
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
