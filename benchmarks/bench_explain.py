"""How fast is symback explain on any model of the language? Whole processes against ``import sympy``.

    python benchmarks/bench_explain.py              # 40 models, about four minutes on 2 busy cores
    python benchmarks/bench_explain.py --quick      # 12 models, no training figures
    python benchmarks/bench_explain.py --json out.json

1. A seeded corpus of random valid models (benchmarks/explain_corpus.py: every
   function, 1 to 6 definitions, fan-out, fractional and negative powers, every
   loss preset and custom losses, one sample and the batch). Each model's
   ``symback explain`` runs as a new process, in turn with ``python -c "import
   sympy"``; its ratio is the least explain time over the least import time of
   the same rounds. Reported: median, 90th percentile and worst ratio (goals
   1.6, 2.0, 3.0), and the five slowest models with a profile breakdown.
2. The figures of benchmarks/bench_train.py in the same run: ``symback train``
   against ``import sympy`` (goal 1.3), ``symback --help`` against ``import
   click`` (goal 2), and the training loop against a hand-written closure
   (goal 1.5).

Nothing here is a test: the figures go to docs/performance.md.
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
sys.path.insert(0, HERE)
from explain_corpus import corpus  # noqa: E402
from timing import interleaved, process_env, publish, run_once, symback_command  # noqa: E402

IMPORT_SYMPY = [sys.executable, "-c", "import sympy"]

#: run in a new process: start-up imports timed, then the command under cProfile; prints JSON
PROFILE = r"""
import cProfile, json, pstats, sys, time
PARTS = json.loads(sys.argv[1])
t0 = time.perf_counter()
import sympy
t1 = time.perf_counter()
from symback.cli import main
import symback.core.derive, symback.core.batch, symback.render
t2 = time.perf_counter()
profile = cProfile.Profile()
profile.enable()
try:
    main(sys.argv[2:])
except SystemExit:
    pass
profile.disable()
stats = pstats.Stats(profile).stats
def cumulative(module, name):
    return sum(v[3] for (path, _, func), v in stats.items() if path.endswith(module) and func == name)
total = sum(v[2] for v in stats.values())
print(json.dumps({"import sympy": t1 - t0, "import symback": t2 - t1, "profiled": total,
                  **{k: cumulative(*where) for k, where in PARTS.items()}}))
"""

#: the parts of an explanation, by the function that does each (cumulative time under cProfile)
PARTS = {
    "problem": ("symback/spec.py", "problem"),
    "graph": ("symback/graph.py", "build_graph"),
    "locals": ("symback/derive.py", "local_derivatives"),
    "symbolic": ("symback/derive.py", "symbolic_gradients"),
    "closed forms": ("symback/derive.py", "closed_form"),
    "tidy": ("symback/tidy.py", "tidy"),
    "check vs diff": ("symback/verify.py", "agrees_with_diff"),
    "identity test": ("symback/identity.py", "identical"),
    "time-bounded": ("symback/timebox.py", "within"),
    "render": ("symback/render/__init__.py", "render"),
}


def valid_cases(count: int, seed: int, folder: str, env: dict) -> list[tuple]:
    """The first ``count`` cases of the corpus that explain without error; the run doubles as warm-up."""
    cases = []
    for case in corpus(seed):
        path = os.path.join(folder, f"case{case.number}.csv")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(case.csv())
        command = symback_command() + case.args(path)
        if run_once(command, env)[2] == 0:
            cases.append((case, command))
        if len(cases) == count:
            return cases
    return cases


def time_cases(cases, rounds: int, env: dict) -> list[dict]:
    """Each case in turn with ``import sympy``, ``rounds`` times; least over least."""
    results = []
    for case, command in cases:
        cpu: dict = {}
        times = interleaved({"sympy": IMPORT_SYMPY, "explain": command}, rounds, env, warmup=0, cpu=cpu)
        results.append({"case": case.label(), "number": case.number, "definitions": case.definitions,
                        "mode": case.mode, "loss": case.loss, "explain_s": min(times["explain"]),
                        "sympy_s": min(times["sympy"]), "ratio": min(times["explain"]) / min(times["sympy"]),
                        "cpu_ratio": min(cpu["explain"]) / min(cpu["sympy"])})
    return results


def profile_case(command: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", PROFILE, json.dumps(PARTS)] + command[len(symback_command()):], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentile(values, q: float) -> float:
    """The q-quantile by linear interpolation between order statistics (as numpy's default)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def existing_figures(quick: bool, env: dict) -> dict:
    """bench_train's goals, measured in this run: train and --help as processes, the training loop."""
    from bench_train import per_update

    commands = {"import sympy": IMPORT_SYMPY, "symback train": symback_command() + ["train"],
                "import click": [sys.executable, "-c", "import click"],
                "symback --help": symback_command() + ["--help"]}
    times = interleaved(commands, 5 if quick else 15, env)
    return {"processes": {name: {"min_s": min(t), "median_s": statistics.median(t)} for name, t in times.items()},
            "per_update": per_update(quick)}


def report(r: dict) -> str:
    ratios = [c["ratio"] for c in r["cases"]]
    cpu = [c["cpu_ratio"] for c in r["cases"]]
    lines = [f"## symback explain / import sympy over {len(ratios)} random models (seed {r['seed']})", "",
             "| | wall-time ratio | goal | CPU-time ratio |", "|---|---|---|---|",
             f"| median | {statistics.median(ratios):.2f} | ≤ 1.6 | {statistics.median(cpu):.2f} |",
             f"| 90th percentile | {percentile(ratios, 0.9):.2f} | ≤ 2.0 | {percentile(cpu, 0.9):.2f} |",
             f"| worst | {max(ratios):.2f} | ≤ 3.0 | {max(cpu):.2f} |", "",
             f"`import sympy`: {statistics.median(c['sympy_s'] for c in r['cases']):.3f} s (median of the least "
             "per model); by number of definitions (median ratio): "
             + ", ".join(f"{d}: {statistics.median(c['ratio'] for c in r['cases'] if c['definitions'] == d):.2f}"
                         for d in sorted({c['definitions'] for c in r['cases']})), "",
             "## The five slowest (seconds under cProfile)", "",
             "| model | ratio | import sympy | import symback | " + " | ".join(PARTS) + " |",
             "|---" * (4 + len(PARTS)) + "|"]
    for c in r["slowest"]:
        p = c["profile"]
        lines.append(f"| `{c['case']}` | {c['ratio']:.2f} | {p['import sympy']:.2f} | {p['import symback']:.2f} | "
                     + " | ".join(f"{p[k]:.2f}" for k in PARTS) + " |")
    if "existing" in r:
        e = r["existing"]["processes"]
        u = r["existing"]["per_update"]
        lines += ["", "## The other figures, same run", "",
                  "| command | min | median | ratio of mins | goal |", "|---|---|---|---|---|"]
        pairs = (("symback train", "import sympy", "≤ 1.3"), ("symback --help", "import click", "≤ 2"))
        for name, base, goal in pairs:
            lines.append(f"| {name} / {base} | {e[name]['min_s']:.3f} s / {e[base]['min_s']:.3f} s | "
                         f"{e[name]['median_s']:.3f} s / {e[base]['median_s']:.3f} s | "
                         f"{e[name]['min_s'] / e[base]['min_s']:.2f} | {goal} |")
        lines.append(f"| training loop / hand-written loop | {u['train_ns']:.0f} ns / {u['hand_train_ns']:.0f} ns "
                     f"per update | | {u['train_ns'] / u['hand_train_ns']:.2f} | ≤ 1.5 |")
        lines.append(f"| compiled step / closure | {u['compiled_step_ns']:.0f} ns / {u['closure_ns']:.0f} ns "
                     f"per update | | {u['compiled_step_ns'] / u['closure_ns']:.2f} | ≤ 1.5 |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 models, 2 rounds, no training figures")
    parser.add_argument("--models", type=int, default=None, help="number of models (default 40)")
    parser.add_argument("--rounds", type=int, default=None, help="runs of each model (default 3)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    count = args.models or (12 if args.quick else 40)
    rounds = args.rounds or (2 if args.quick else 3)
    with process_env() as env, tempfile.TemporaryDirectory(prefix="symback-bench-data-") as folder:
        for _ in range(2):  # warm up: bytecode cache, file cache
            run_once(IMPORT_SYMPY, env)
        cases = valid_cases(count, args.seed, folder, env)
        results = {"python": sys.version.split()[0], "seed": args.seed, "cases": time_cases(cases, rounds, env)}
        by_number = {case.number: command for case, command in cases}
        results["slowest"] = sorted(results["cases"], key=lambda c: -c["ratio"])[:5]
        for c in results["slowest"]:
            c["profile"] = profile_case(by_number[c["number"]], env)
        if not args.quick:
            results["existing"] = existing_figures(False, env)
    publish(report(results), results, args.json)


if __name__ == "__main__":
    main()
