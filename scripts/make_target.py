"""Run one make target's script with the make variables from the environment.

Usage (from the Makefile only): ``make_target.py <target> [fixed args...]``.
Each variable is validated (see compendium/makevars.py); a wrong one stops
with ``make: VAR=...: message`` and exit status 2, before anything runs.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from compendium.makevars import MakeVarError, arguments

SCRIPTS = {
    "check": "check.py",
    "drift": "stamp.py",
    "stamp": "stamp.py",
    "diff": "diff.py",
    "release": "release.py",
    "import": "import_regulation.py",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: make_target.py <target> [fixed arguments]", file=sys.stderr)
        return 2
    target, fixed = argv[0], argv[1:]
    try:
        args = arguments(target, os.environ)
    except MakeVarError as exc:
        print(f"make {target}: {exc}", file=sys.stderr)
        return 2
    if target == "pytest":
        import pytest

        return int(pytest.main(fixed + args))
    script = Path(__file__).resolve().parent / SCRIPTS[target]
    module = runpy.run_path(str(script), run_name="make_target")
    return int(module["main"](fixed + args) or 0)


if __name__ == "__main__":
    sys.exit(main())
