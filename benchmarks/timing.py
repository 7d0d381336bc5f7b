"""What every benchmark here needs: the best of several wall times, whole processes, optional imports."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc


def best_time(f, repeats: int = 5, clock=time.perf_counter) -> float:
    """The least of ``repeats`` times of f() on ``clock`` (wall time by default): the run least
    disturbed by other work."""
    times = []
    for _ in range(repeats):
        start = clock()
        f()
        times.append(clock() - start)
    return min(times)


def has(module: str) -> bool:
    """Is ``module`` importable (torch, numba: measured only when installed)?"""
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def peak_extra(f) -> int:
    """Bytes allocated at the peak of f() beyond what was allocated before it (NumPy reports to tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - before


def symback_command() -> list[str]:
    """The installed ``symback`` script run by this Python (no shell shim in front), or the same via -c."""
    script = os.path.join(os.path.dirname(sys.executable), "symback")
    return [script] if os.path.exists(script) else [sys.executable, "-c", "from symback.cli import main; main()"]


@contextlib.contextmanager
def process_env():
    """Environment for whole-process runs: bytecode cached (as installed Python runs), in a directory of its own."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="symback-bench-pyc-")
    try:
        yield env
    finally:
        shutil.rmtree(env["PYTHONPYCACHEPREFIX"], ignore_errors=True)


def run_once(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and exit code of one process, its output discarded.

    CPU time is less disturbed by other work on a busy machine than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code


def interleaved(commands: dict[str, list[str]], runs: int, env: dict, warmup: int = 2,
                cpu: dict | None = None) -> dict[str, list[float]]:
    """Wall times of each command, run in turn ``runs`` times (after ``warmup`` rounds), so load hits all alike.

    With ``cpu`` (a dict), it also receives each command's CPU times."""
    times = {name: [] for name in commands}
    for round_ in range(warmup + runs):
        for name, cmd in commands.items():
            wall, used, code = run_once(cmd, env)
            if code:
                raise RuntimeError(f"{name} exited with {code}: {' '.join(cmd)}")
            if round_ >= warmup:
                times[name].append(wall)
                if cpu is not None:
                    cpu.setdefault(name, []).append(used)
    return times


def publish(report: str, results: dict, json_path: str | None) -> None:
    """Print the report; with ``--json PATH``, also write the raw figures there."""
    print(report)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
