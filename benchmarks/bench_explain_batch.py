"""How fast is ``symback explain --mode batch``? Whole processes against ``import sympy``.

    python benchmarks/bench_explain_batch.py                      # this checkout, 100/1000/10000 rows
    python benchmarks/bench_explain_batch.py --tree old=/path/to/older/checkout --tree now=.
    python benchmarks/bench_explain_batch.py --rows 100 1000 --runs 5 --json out.json

Two lessons on generated data: the tanh network of examples/tanh-network.toml
(every row through tanh, so irrational values rounded to 16 digits) and a
linear model w·x + b (every shown number an exact decimal). Each command runs
as a new process with the symback of each ``--tree`` first on PYTHONPATH, in
turn with ``python -c "import sympy"``, so load on the machine hits all alike.
Reported per case: the least wall and CPU time of the runs, and the ratio of
the least wall time to the least ``import sympy`` time of the same rounds.

Nothing here is a test: the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from timing import interleaved, process_env  # noqa: E402

IMPORT_SYMPY = [sys.executable, "-c", "import sympy"]
SYMBACK = [sys.executable, "-c", "from symback.cli import main; main()"]

#: lesson name -> (the explain options, a function of a seeded Random giving one row x, y)
LESSONS = {
    "tanh network": (["--problem", os.path.join(ROOT, "examples", "tanh-network.toml")],
                     lambda rng: (round(rng.uniform(-3, 3), 2), round(rng.uniform(-1, 1), 2))),
    "linear": (["--model", "w*x + b", "--param", "w=0.3", "--param", "b=-0.2", "--lr", "0.01"],
               lambda rng: _linear_row(rng)),
}


def _linear_row(rng: random.Random) -> tuple[float, float]:
    x = round(rng.uniform(-5, 5), 1)
    return x, round(2 * x + 1 + rng.gauss(0, 0.5), 2)


def write_data(folder: str, lesson: str, rows: int) -> str:
    """A CSV of ``rows`` seeded rows for ``lesson``; its path."""
    rng = random.Random(rows)
    path = os.path.join(folder, f"{lesson.replace(' ', '-')}-{rows}.csv")
    with open(path, "w") as f:
        f.write("x,y\n")
        f.writelines(f"{x!r},{y!r}\n" for x, y in (LESSONS[lesson][1](rng) for _ in range(rows)))
    return path


def measure(trees: dict[str, str], rows: list[int], runs: int, warmup: int) -> list[dict]:
    """One record per lesson, row count and tree: least wall and CPU seconds, ratio to import sympy."""
    records = []
    home = os.getcwd()
    with tempfile.TemporaryDirectory() as folder, process_env() as env:
        os.chdir(folder)  # python -c puts the working directory first on sys.path: not a checkout's symback
        for lesson, (options, _row) in LESSONS.items():
            for n in rows:
                data = write_data(folder, lesson, n)
                explain = [*SYMBACK, "explain", *options, "--mode", "batch", "--data", data, "-o", os.devnull]
                commands = {"import sympy": IMPORT_SYMPY}
                commands.update({label: ["env", f"PYTHONPATH={path}", *explain] for label, path in trees.items()})
                cpu: dict = {}
                times = interleaved(commands, runs, env, warmup=warmup, cpu=cpu)
                base = min(times["import sympy"])
                for label in trees:
                    records.append({"lesson": lesson, "rows": n, "tree": label, "wall": min(times[label]),
                                    "cpu": min(cpu[label]), "import sympy": base,
                                    "ratio": min(times[label]) / base})
                    print(f"{lesson:13} {n:6} rows  {label:8} {min(times[label]):7.2f} s wall "
                          f"{min(cpu[label]):7.2f} s cpu  {min(times[label]) / base:6.1f}x import sympy "
                          f"({base:.2f} s)", flush=True)
        os.chdir(home)
    return records


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", metavar="LABEL=PATH",
                        help="a symback checkout to time (repeat to compare; default: this one as 'now')")
    parser.add_argument("--rows", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--json", metavar="FILE", help="also write the records as JSON")
    args = parser.parse_args(argv)
    trees = dict(t.split("=", 1) for t in args.tree) if args.tree else {"now": ROOT}
    trees = {label: os.path.abspath(path) for label, path in trees.items()}
    records = measure(trees, args.rows, args.runs, args.warmup)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)


if __name__ == "__main__":
    main()
