"""How fast is training a matrix model? A 3-layer MLP of width 64, measured in one run, reported as ratios.

    python benchmarks/bench_matrix.py                       # about a minute
    python benchmarks/bench_matrix.py --quick               # 10^4 samples, fewer repeats
    python benchmarks/bench_matrix.py --torch /tmp/torchvenv/bin/python   # PyTorch's time beside it

The model: x ∈ ℝ¹⁶, h1 = f(W1 x + b1) ∈ ℝ⁶⁴, h2 = f(W2 h1 + b2) ∈ ℝ⁶⁴, ŷ = w3·h2 + b3,
loss mse, f = tanh and f = relu.

1. Derive + compile: the tensor graph from the model text and the compiled step
   (goal: under a second; the symbolic work is per layer, never per weight).
2. One epoch of full-batch training on 10⁵ samples (one step: forward, backward,
   update), and one epoch of minibatch training (batches of 1000, with the mean
   loss over all samples after it, as ``symback train`` records): symback's compiled step, with ``--backend blas`` and with the default
   portable backend (fixed-order sums, the C library's tanh: the same digits on
   every machine), against the same forward/backward written by hand in NumPy
   (goal for blas: at most 2x), and PyTorch's CPU time for the same step when a
   Python with torch is given (``--torch``: PyTorch is not a dependency; measure it
   in a throwaway environment).

Times are CPU time (user + system of the process), the least over repeats, with
one thread for BLAS and for PyTorch (``--threads N`` to change it): on a shared
machine one thread's CPU time is much less disturbed by other work than wall time,
and no library gets ahead by using more cores. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from timing import best_time, publish  # noqa: E402

D, WIDTH = 16, 64
MODEL = "h1 = {f}(W1 @ x + b1); h2 = {f}(W2 @ h1 + b2); y_hat = w3 @ h2 + b3"


def best_cpu(f, repeats: int) -> float:
    """The least CPU time of ``repeats`` calls of f()."""
    return best_time(f, repeats, time.process_time)


def data(n: int):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, D))
    y = np.tanh(x[:, 0] - 0.5 * x[:, 1]) + 0.1 * rng.standard_normal(n)
    return x, y


def params():
    import numpy as np

    rng = np.random.default_rng(1)
    return {"W1": rng.standard_normal((WIDTH, D)) / 4, "b1": np.zeros(WIDTH),
            "W2": rng.standard_normal((WIDTH, WIDTH)) / 8, "b2": np.zeros(WIDTH),
            "w3": rng.standard_normal(WIDTH) / 8, "b3": 0.0}


def derive_compile(f: str, backend: str = "blas"):
    """Model text -> TensorProblem -> graph -> compiled step (what ``symback train`` does before its loop)."""
    from symback.core.tensor import build_tensor_graph
    from symback.model.tensor_spec import tensor_problem
    from symback.train.tensor_code import CompiledTensor
    from symback.train.tensor_run import KINDS

    x, y = data(1)
    p = tensor_problem(MODEL.format(f=f), params=params(), samples=[{"x": x[0], "y": y[0]}], lr=0.01)
    return CompiledTensor(build_tensor_graph(p), KINDS[backend])


def by_hand(f: str):
    """The same full-batch step, written by hand in NumPy (BLAS products, NumPy's own tanh)."""
    import numpy as np

    act = np.tanh if f == "tanh" else (lambda z: np.maximum(z, 0.0))

    def step(p, x, y, lr):
        W1, b1, W2, b2, w3, b3 = p
        n = len(y)
        h1 = act(x @ W1.T + b1)
        h2 = act(h1 @ W2.T + b2)
        r = h2 @ w3 + b3 - y
        loss = r @ r / n
        d = 2.0 * r / n
        g_w3, g_b3 = d @ h2, d.sum()
        d2 = np.outer(d, w3) * ((1.0 - h2 * h2) if f == "tanh" else (h2 > 0))
        g_W2, g_b2 = d2.T @ h1, d2.sum(axis=0)
        d1 = (d2 @ W2) * ((1.0 - h1 * h1) if f == "tanh" else (h1 > 0))
        g_W1, g_b1 = d1.T @ x, d1.sum(axis=0)
        grads = (g_W1, g_b1, g_W2, g_b2, g_w3, g_b3)
        return tuple(v - lr * g for v, g in zip(p, grads)), loss, grads
    return step


TORCH = textwrap.dedent("""
    import sys, time, torch
    torch.set_default_dtype(torch.float64)
    n, d, w, f, repeats = int(sys.argv[1]), {D}, {WIDTH}, sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(int(sys.argv[4]))
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(n, d, generator=g), torch.randn(n, generator=g)
    layers = [torch.randn(w, d, generator=g) / 4, torch.zeros(w), torch.randn(w, w, generator=g) / 8, torch.zeros(w),
              torch.randn(w, generator=g) / 8, torch.zeros(())]
    for p in layers:
        p.requires_grad_(True)
    act = torch.tanh if f == "tanh" else torch.relu
    def step():
        W1, b1, W2, b2, w3, b3 = layers
        loss = torch.nn.functional.mse_loss(act(act(x @ W1.T + b1) @ W2.T + b2) @ w3 + b3, y)
        loss.backward()
        with torch.no_grad():
            for p in layers:
                p -= 0.01 * p.grad
                p.grad = None
    best = 1e9
    for _ in range(repeats):
        start = time.process_time(); step(); best = min(best, time.process_time() - start)
    print(best)
""").replace("{D}", str(D)).replace("{WIDTH}", str(WIDTH))


def torch_time(python: str, n: int, f: str, repeats: int) -> float | None:
    try:
        out = subprocess.run([python, "-c", TORCH, str(n), f, str(repeats), os.environ["OPENBLAS_NUM_THREADS"]],
                             capture_output=True, text=True,
                             timeout=600, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return float(out.stdout.strip())


def measure(n: int, repeats: int, torch_python: str | None) -> dict:
    """Each figure the least of its runs; the hand-written step and symback's (blas) run in turns,
    so that other work on the machine slows both alike."""
    import numpy as np

    results = {}
    x, y = data(n)
    start = tuple(np.asarray(v, dtype=float) for v in params().values())
    for f in ("tanh", "relu"):
        compile_s = best_cpu(lambda: derive_compile(f), repeats)
        hand, blas = by_hand(f), derive_compile(f, "blas").step
        pairs = [(best_cpu(lambda: hand(start, x, y, 0.01), 1), best_cpu(lambda: blas(start, (x, y), 0.01), 1))
                 for _ in range(repeats)]
        portable = derive_compile(f, "numpy").step
        row = {"derive_compile_s": compile_s, "hand_numpy_s": min(h for h, _ in pairs),
               "symback_blas_s": min(b for _, b in pairs),
               "blas_over_hand_median": sorted(b / h for h, b in pairs)[len(pairs) // 2],
               "symback_numpy_s": best_cpu(lambda: portable(start, (x, y), 0.01), max(1, repeats // 3))}
        row.update(minibatch_epoch(f, start, x, y, max(1, repeats // 2)))
        if torch_python:
            row["torch_s"] = torch_time(torch_python, n, f, repeats)
        results[f] = row
    return results


def minibatch_epoch(f: str, start, x, y, repeats: int) -> dict:
    """One minibatch epoch (batches of 1000 in a shuffled order) by symback train (blas) and by hand."""
    import random
    from dataclasses import replace

    import numpy as np

    from symback.model.tensor_data import TensorColumns
    from symback.train.history import Settings
    from symback.train.tensor_run import train_tensor

    problem = replace(_problem(f), samples=TensorColumns(("x", "y"), (x, y)))
    settings = Settings(epochs=1, mode="minibatch", batch_size=1000, backend="blas")
    hand = by_hand(f)

    def by_hand_epoch():
        order = list(range(len(y)))
        random.Random(0).shuffle(order)
        params = start
        for s in range(0, len(order), 1000):
            index = np.array(order[s:s + 1000])
            params = hand(params, x[index], y[index], 0.01)[0]
        return hand(params, x, y, 0.0)[1]

    return {"minibatch_hand_s": best_cpu(by_hand_epoch, repeats),
            "minibatch_symback_s": best_cpu(lambda: train_tensor(problem, settings, advise=False), repeats)}


def _problem(f: str):
    from symback.model.tensor_spec import tensor_problem

    x, y = data(1)
    return tensor_problem(MODEL.format(f=f), params=params(), samples=[{"x": x[0], "y": y[0]}], lr=0.01)


def report(n: int, results: dict) -> str:
    lines = [f"3-layer MLP of width 64 (x ∈ ℝ{D}), mse, one full-batch epoch on {n:,} samples; "
             f"CPU seconds, best of repeats, {os.environ['OPENBLAS_NUM_THREADS']} thread(s)", "",
             f"{'f':6} {'derive+compile':>15} {'hand NumPy':>11} {'blas':>8} {'ratio':>6} {'portable':>9} {'ratio':>6} "
             f"{'PyTorch':>8} {'ratio':>6}"]
    for f, r in results.items():
        torch_s = r.get("torch_s")
        hand = r["hand_numpy_s"]
        lines.append(f"{f:6} {r['derive_compile_s']:>14.3f}s {hand:>10.3f}s {r['symback_blas_s']:>7.3f}s "
                     f"{r['symback_blas_s'] / hand:>6.2f} {r['symback_numpy_s']:>8.3f}s {r['symback_numpy_s'] / hand:>6.2f} "
                     + (f"{torch_s:>7.3f}s {torch_s / hand:>6.2f}" if torch_s else f"{'-':>8} {'-':>6}"))
    lines += ["", "minibatch epoch (batches of 1000, blas): " + ", ".join(
        f"{f} {r['minibatch_symback_s']:.3f}s against {r['minibatch_hand_s']:.3f}s by hand "
        f"({r['minibatch_symback_s'] / r['minibatch_hand_s']:.2f})" for f, r in results.items())]
    lines += ["", "ratios: against the hand-written NumPy step (goal for blas: at most 2; derive+compile: under 1 s);",
              "blas/hand, median of the paired runs: " + ", ".join(f"{f} {r['blas_over_hand_median']:.2f}"
                                                                 for f, r in results.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--torch", metavar="PYTHON", help="a Python that has torch (measured in a subprocess)")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--threads", type=int, default=1, help="threads for BLAS and PyTorch (default 1)")
    args = parser.parse_args()
    if "numpy" in sys.modules:
        sys.exit("bench_matrix: set the threads before NumPy is imported")
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # read by OpenBLAS when NumPy loads it
    n, repeats = (10_000, 3) if args.quick else (100_000, 5)
    results = measure(n, repeats, args.torch)
    publish(report(n, results), {"samples": n, "results": results}, args.json)


if __name__ == "__main__":
    main()
