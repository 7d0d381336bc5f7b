"""How fast is symback train? Everything measured in one run, reported as ratios.

    python benchmarks/bench_train.py             # about two minutes
    python benchmarks/bench_train.py --quick     # smaller sizes, fewer repeats
    python benchmarks/bench_train.py --json out.json

1. Per update: symback's compiled per-sample step, and its whole training loop,
   against a hand-written Python closure of the same gradient doing the same
   work (goal: at most 1.5x), and against a PyTorch eager loop of the original
   program when torch is installed.
2. Whole process: ``symback train`` (the original example, output discarded)
   against ``python -c "import sympy"`` (goal: at most 1.3x) and against the
   original PyTorch program (benchmarks/original_program.py).
3. Full-batch epochs of w*x + b on 10^5, 10^6, 10^7 samples: the compiled
   batch step against a hand-written NumPy step (goal: at most 2x), and the
   extra peak memory of one step against the size of the data (goal: at most 1x).

Times are the minimum over repeats (the least disturbed run); whole-process
times are interleaved and also give the median. Nothing here is a test: the
figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
from itertools import repeat

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from timing import best_time, interleaved, peak_extra, process_env, publish, symback_command  # noqa: E402



def has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


# 1. per update -----------------------------------------------------------------------------------

def _rows(n: int):
    rng = random.Random(0)
    return [(x, 2.0 * x + rng.gauss(0, 0.1)) for x in (rng.uniform(-1, 1) for _ in range(n))]


def per_update(quick: bool) -> dict:
    from symback import problem
    from symback.model.data import from_rows
    from symback.train.run import Settings, train

    rows, lr = _rows(2000), 0.01
    epochs, repeats = (10, 3) if quick else (40, 5)
    updates = epochs * len(rows)
    p = problem(data=from_rows(("x", "y"), rows), lr=lr)
    step = train(p, Settings(epochs=1)).compiled.step

    def compiled_loop():
        params = (1.0,)
        for _ in range(epochs):
            for row in rows:
                params, loss = step(params, row, lr)

    def closure_loop():
        def grad(w, x, y):
            r = x * w - y
            return r * r, 2 * r * x

        w = 1.0
        for _ in range(epochs):
            for x, y in rows:
                loss, g = grad(w, x, y)
                w = w - lr * g

    # train() compiles first: the difference of two run lengths is the loop alone
    def symback_train(k):
        return lambda: train(p, Settings(epochs=k))

    def hand_train(k):
        def grad(w, x, y):
            r = x * w - y
            return r * r, 2 * r * x

        def loss(w, x, y):
            r = x * w - y
            return r * r

        xs, ys = [x for x, _ in rows], [y for _, y in rows]

        def run():
            w, history = 1.0, []
            for epoch in range(k):
                for x, y in rows:
                    last, g = grad(w, x, y)
                    w = w - lr * g
                history.append((epoch, math.fsum(map(loss, repeat(w, len(xs)), xs, ys)) / len(xs), w, last))
            return history

        return run

    out = {
        "updates": updates,
        "compiled_step_ns": best_time(compiled_loop, repeats) / updates * 1e9,
        "closure_ns": best_time(closure_loop, repeats) / updates * 1e9,
        "train_ns": (best_time(symback_train(2 * epochs), repeats) - best_time(symback_train(epochs), repeats))
        / updates * 1e9,
        "hand_train_ns": (best_time(hand_train(2 * epochs), repeats) - best_time(hand_train(epochs), repeats))
        / updates * 1e9,
    }
    if has_torch():
        out["torch_eager_ns"] = torch_per_update(rows[:500], 2 if quick else 6, repeats)
    return out


def torch_per_update(rows, epochs: int, repeats: int) -> float:
    """The original program's loop (without its prints): forward, backward, update, zero_grad."""
    import torch

    def run():
        w = torch.tensor([1.0], requires_grad=True)
        for _ in range(epochs):
            for x, y in rows:
                loss = (x * w - y) ** 2
                loss.backward()
                w.data = w.data - 0.01 * w.grad.data
                w.grad.data.zero_()

    return best_time(run, repeats) / (epochs * len(rows)) * 1e9


# 2. whole process --------------------------------------------------------------------------------

def whole_process(quick: bool) -> dict:
    commands = {"import sympy": [sys.executable, "-c", "import sympy"], "symback train": symback_command() + ["train"]}
    if has_torch():
        commands["original PyTorch program"] = [sys.executable, os.path.join(HERE, "original_program.py")]
    with process_env() as env:
        times = interleaved(commands, 5 if quick else 21, env)
    return {name: {"min_s": min(t), "median_s": statistics.median(t)} for name, t in times.items()}


# 3. full-batch epochs ----------------------------------------------------------------------------

def hand_numpy_step(params, columns, lr, n):
    """The mean-squared-error step of w*x + b, written by hand in NumPy."""
    import numpy as np

    (w, b), (x, y) = params, columns
    r = w * x + b - y
    gw, gb = 2 * np.dot(r, x) / n, 2 * r.sum() / n
    return (w - lr * gw, b - lr * gb), np.dot(r, r) / n, (gw, gb)



def full_batch(quick: bool) -> list[dict]:
    import numpy as np

    from symback import problem
    from symback.train.compile import compile_problem

    compiled = compile_problem(problem("w*x + b", params={"w": 0.5, "b": 0.0}), arrays=True)
    results = []
    for size in (10**5, 10**6) if quick else (10**5, 10**6, 10**7):
        rng = np.random.default_rng(0)
        x = rng.standard_normal(size)
        y = 2 * x + 1 + 0.1 * rng.standard_normal(size)
        args = ((0.5, 0.0), (x, y), 0.01, float(size))
        ours, hand = compiled.batch(*args), hand_numpy_step(*args)
        assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(ours[0], hand[0])), (ours, hand)
        repeats = 3 if quick else max(5, 10**7 // size)
        results.append({
            "samples": size,
            "data_bytes": x.nbytes + y.nbytes,
            "symback_s": best_time(lambda: compiled.batch(*args), repeats),
            "numpy_s": best_time(lambda: hand_numpy_step(*args), repeats),
            "symback_peak_bytes": peak_extra(lambda: compiled.batch(*args)),
            "numpy_peak_bytes": peak_extra(lambda: hand_numpy_step(*args)),
        })
    return results


# report ------------------------------------------------------------------------------------------

def report(r: dict) -> str:
    u, w = r["per_update"], r["whole_process"]
    lines = ["## Per update (ns per sample update)", "",
             "| loop | symback | hand-written Python | ratio (goal ≤ 1.5) |", "|---|---|---|---|",
             f"| compiled step vs closure | {u['compiled_step_ns']:.0f} | {u['closure_ns']:.0f} | "
             f"{u['compiled_step_ns'] / u['closure_ns']:.2f} |",
             f"| whole training loop (with per-epoch mean loss) | {u['train_ns']:.0f} | {u['hand_train_ns']:.0f} | "
             f"{u['train_ns'] / u['hand_train_ns']:.2f} |"]
    if "torch_eager_ns" in u:
        lines += ["", f"PyTorch eager loop of the original program: {u['torch_eager_ns']:.0f} ns per update, "
                      f"{u['torch_eager_ns'] / u['compiled_step_ns']:.0f}x symback's compiled step."]
    base = w["import sympy"]
    lines += ["", "## Whole process (seconds; min and median of interleaved runs)", "",
              "| command | min | median | min / import sympy (goal ≤ 1.3) |", "|---|---|---|---|"]
    for name, t in w.items():
        lines.append(f"| {name} | {t['min_s']:.3f} | {t['median_s']:.3f} | {t['min_s'] / base['min_s']:.2f} |")
    lines += ["", "## Full-batch epoch of w*x + b (seconds per epoch; extra peak memory / data size)", "",
              "| samples | symback | hand NumPy | ratio (goal ≤ 2) | symback memory | NumPy memory |",
              "|---|---|---|---|---|---|"]
    for b in r["full_batch"]:
        lines.append(f"| {b['samples']:.0e} | {b['symback_s']:.4f} | {b['numpy_s']:.4f} | "
                     f"{b['symback_s'] / b['numpy_s']:.2f} | {b['symback_peak_bytes'] / b['data_bytes']:.2f} | "
                     f"{b['numpy_peak_bytes'] / b['data_bytes']:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    results = {"python": sys.version.split()[0], "per_update": per_update(args.quick),
               "whole_process": whole_process(args.quick), "full_batch": full_batch(args.quick)}
    publish(report(results), results, args.json)


if __name__ == "__main__":
    main()
