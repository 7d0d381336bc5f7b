"""Is one source tree slower than another? A benchmark run on both, in turns, its figures as ratios.

    git worktree add /tmp/before <commit>
    python benchmarks/compare_trees.py /tmp/before . bench_train.py --quick
    python benchmarks/compare_trees.py /tmp/before . bench_scale.py --quick --rounds 3

Each round runs the benchmark once with the ``before`` tree first on the path and once
with the ``after`` tree (each tree's own copy of the benchmark when it has one, since
module paths may differ between them), alternating which
goes first, so the load of a shared machine falls on both alike. Every number in the
benchmark's --json output whose key names a time (``*_s``, ``*_ns``, ``time``, ``seconds``) is
compared: the report is after/before of the medians over rounds, so 1.00 is no
change and 1.10 is 10 % slower.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(tree: str, bench: str, args: list[str]) -> dict:
    """The benchmark's --json figures with ``tree`` first on the path."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    own = os.path.join(tree, "benchmarks", bench)
    script = own if os.path.exists(own) else os.path.join(HERE, bench)
    subprocess.run([sys.executable, script, *args, "--json", out], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as handle:
        figures = json.load(handle)
    os.unlink(out)
    return figures


def times(figures, prefix: str = "") -> dict[str, float]:
    """{dotted key: seconds} for every number whose key says it is a time."""
    out = {}
    items = figures.items() if isinstance(figures, dict) else enumerate(figures) if isinstance(figures, list) else ()
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, (dict, list)):
            out.update(times(value, name))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and _is_time(str(key)):
            out[name] = float(value)
    return out


def _is_time(key: str) -> bool:
    key = key.lower()
    if key.endswith("per_s"):  # a rate, not a time
        return False
    return key.endswith(("_s", "_ns")) or key in ("time", "seconds", "wall", "cpu") or key.endswith("_seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the source tree to compare against (a folder holding symback/)")
    parser.add_argument("after", help="the source tree under test")
    parser.add_argument("bench", help="a benchmark of benchmarks/ that takes --json, e.g. bench_train.py")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each tree (default 2)")
    known, rest = parser.parse_known_args()
    runs = {"before": [], "after": []}
    for round_ in range(known.rounds):
        order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
        for which in order:
            runs[which].append(times(run(getattr(known, which), known.bench, rest)))
    keys = sorted(set.intersection(*(set(r) for r in runs["before"] + runs["after"])))
    print(f"{known.bench} {' '.join(rest)}: after/before of the median over {known.rounds} rounds")
    for key in keys:
        before = statistics.median(r[key] for r in runs["before"])
        after = statistics.median(r[key] for r in runs["after"])
        ratio = after / before if before else float("nan")
        print(f"  {key:<60} {before:10.4g}  {after:10.4g}  {ratio:5.2f}")


if __name__ == "__main__":
    main()
