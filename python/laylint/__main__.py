"""`python -m laylint ...`: run the `laylint` binary installed with this package."""

import os
import sys
import sysconfig


def find_laylint_bin() -> str:
    """Return the path of the `laylint` binary the wheel installed."""
    exe = "laylint" + (sysconfig.get_config_var("EXE") or "")

    scripts = os.path.join(sysconfig.get_path("scripts"), exe)
    if os.path.isfile(scripts):
        return scripts

    # `pip install --user`: the user scheme's scripts folder.
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user_scheme = "osx_framework_user"
    else:
        user_scheme = "posix_user"
    user = os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), exe)
    if os.path.isfile(user):
        return user

    # `pip install --target DIR`: the binary is in DIR/bin, next to the package.
    target = os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin", exe)
    if os.path.isfile(target):
        return target

    raise FileNotFoundError(scripts)


def main() -> None:
    laylint = os.fsdecode(find_laylint_bin())
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([laylint, *sys.argv[1:]]).returncode)
    os.execv(laylint, [laylint, *sys.argv[1:]])


if __name__ == "__main__":
    main()
