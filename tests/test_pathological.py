"""Pathological but valid models, through every command, under a memory cap.

Each model is one the parser accepts and that once made symback run for
minutes or take the machine's memory (high powers of sums, deep nesting of
functions, many parameters). Every command runs on it in a child process with
its address space capped (``resource.setrlimit``); a command must finish with
exit 0, or with one line and exit 2, never a traceback or a MemoryError. The
subprocess timeout only guards against a hang; nothing here measures speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("bounded_child.py")
#: the address-space cap of the child, in MB (symback's own budget is well inside it)
CAP_MB = 1200
#: a hang guard for all the commands on one model together, not a speed assertion
HANG_GUARD = 600

NESTED = "tanh(" * 19 + "w*x" + ")" * 19
MANY = "; ".join(["s0 = w0*x"] + [f"s{i} = s{i - 1} + w{i}*x**{i % 5}" for i in range(1, 60)] + ["y_hat = s59"])
#: data near x = 2, where every model below stays finite
DATA = "x,y\n1.9,1\n2,2\n2.1,3\n"

#: (id, model, extra options)
MODELS = [
    ("power of a sum", "w*((x-2)**20+1)**20", []),
    ("higher power of a sum", "w*((x-2)**100+1)**100", []),
    ("parameter inside a power", "((w*x-2)**30 + 1)**30", ["--param", "w=1.01"]),
    ("tower of powers", "w*((((x-2)**100)**100)**100 + 1)", []),
    ("product of powers", "w*(x-1)**100*(x-2)**100*(x-3)**100", []),
    ("powers of functions", "sin(w*x)**100*cos(w*x)**100", []),
    ("deep nesting", NESTED, []),
    ("many parameters", MANY, [f"--param=w{i}=0.01" for i in range(60)]),
]


def commands(model: str, extra: list[str], tmp: Path) -> list[list[str]]:
    (tmp / "d.csv").write_text(DATA)
    base = ["--model", model, "--data", str(tmp / "d.csv"), "--lr", "1e-6", *extra]
    return [["explain", *base], ["train", "--epochs", "20", *base],
            ["notes", "-o", str(tmp / "n.html"), *base], ["notes", "-o", str(tmp / "n.md"), *base],
            ["check", "--answer", "x", *base]]


@pytest.mark.parametrize("model,extra", [m[1:] for m in MODELS], ids=[m[0] for m in MODELS])
def test_every_command_ends_cleanly_under_a_memory_cap(model, extra, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1])] + sys.path))
    done = subprocess.run([sys.executable, str(CHILD), str(CAP_MB), json.dumps(commands(model, extra, tmp_path))],
                          capture_output=True, text=True, timeout=HANG_GUARD, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    for outcome in json.loads(done.stdout):
        # 0 done, 1 a wrong answer (check): silent; 2 bad input, 3 diverged: one line (besides 'wrote FILE')
        said = [line for line in outcome["stderr"] if not line.startswith("wrote ")]
        ok = (outcome["code"] in (0, 1) and not said) or (outcome["code"] in (2, 3) and len(said) == 1)
        assert ok, (outcome["argv"][0], outcome["code"], outcome["stderr"][-5:])
