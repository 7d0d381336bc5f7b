"""Run symback commands in this process under a memory cap; report each outcome as JSON.

Used by test_pathological.py in a subprocess: ``python bounded_child.py CAP_MB '[[args...], ...]'``.
The address-space cap (``resource.setrlimit``) turns runaway memory into a MemoryError
inside this child instead of a machine brought down; every command's exit code and
stderr lines are printed as one JSON list on stdout.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout


def run(argv: list[str]) -> dict:
    from symback.cli import main

    err, out = io.StringIO(), io.StringIO()
    code = None
    with redirect_stderr(err), redirect_stdout(out):
        try:
            main(argv)
        except SystemExit as done:
            code = done.code
        except BaseException:  # noqa: BLE001 - a traceback is what the test looks for
            code = "traceback"
            err.write(traceback.format_exc())
    return {"argv": argv, "code": code, "stderr": err.getvalue().splitlines()}


if __name__ == "__main__":
    cap = int(sys.argv[1]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    print(json.dumps([run(argv) for argv in json.loads(sys.argv[2])]))
