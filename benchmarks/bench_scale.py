"""How does symback scale? Deep models and big data, measured in one run, reported as ratios.

    python benchmarks/bench_scale.py                    # a few minutes; needs NumPy
    python benchmarks/bench_scale.py --quick            # smaller sizes
    python benchmarks/bench_scale.py --json out.json --plots docs/

1. Depth: the chain z_0 = x, z_i = tanh(w_i*z_(i-1) + b_i), L = (z_n - y)^2, for
   n = 8 … 256. For each n, in a fresh process: parsing the layer-by-layer model,
   compiling the gradient of all 2n parameters (Problem -> callable), the
   operations in that gradient, and one gradient evaluation; against
   sympy.diff of the composed expression + lambdify (in a subprocess with a
   time limit: it swells like n^3 and overflows the stack at n = 64), and
   against PyTorch autograd when torch is installed.
2. Big data: one full-batch epoch of w*x + b on 10^5 … 10^7 samples: symback's
   NumPy code and its numba kernel against a hand-written NumPy step, PyTorch
   autograd and a plain read of the data (x.sum() + y.sum(), the memory-
   bandwidth bound); extra peak memory against the data size; per-sample SGD
   updates per second of the numba kernel on w*x; numba's compile times; and
   ``symback train --data FILE.npz`` as a whole process.

Times are the least of several repeats; ratios compare runs made side by side.
Nothing here is a test: the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_scale_data import big_data  # noqa: E402
from bench_scale_report import plots, report  # noqa: E402
from timing import best_time, has  # noqa: E402




def chain_model(n: int) -> tuple[str, dict]:
    """The tanh chain as layer-by-layer definitions, and its parameters."""
    defs = [f"z{i} = tanh(w{i}*{'x' if i == 1 else f'z{i - 1}'} + b{i})" for i in range(1, n + 1)]
    params = {**{f"w{i}": 0.9 for i in range(1, n + 1)}, **{f"b{i}": 0.1 for i in range(1, n + 1)}}
    return "; ".join(defs + [f"y_hat = z{n}"]), params


SAMPLE = (0.5, -0.3)


# 1. depth: one worker process per n ----------------------------------------------------------------------

def depth_worker(n: int) -> dict:
    """Everything measured at depth n, in this (fresh) process."""
    import numpy as np

    from symback import problem
    from symback.train.compile import compile_problem
    from symback.core.derive import explain

    text, params = chain_model(n)
    start = time.perf_counter()
    p = problem(text, params=params, data=(("x", "y"), [SAMPLE]))
    parsed = time.perf_counter()
    compiled = compile_problem(p)
    gradient = compiled.step_gradient
    done = time.perf_counter()
    values = tuple(params.values())
    out = {"n": n, "parse_s": parsed - start, "compile_s": done - parsed,
           "operations": compiled.program.gradient().operations(), "lines": len(compiled.program.gradient().lines),
           "explain_s": best_time(lambda: explain(p), 1),
           "eval_us": best_time(lambda: [gradient(values, SAMPLE, 0.0) for _ in range(100)]) * 1e4,
           "gradient": list(gradient(values, SAMPLE, 0.0)[2])}
    rng = np.random.default_rng(0)
    columns = (rng.uniform(-1, 1, 10_000), rng.uniform(-1, 1, 10_000))
    batch = compile_problem(p, arrays=True).batch
    out["batch_numpy_ms"] = best_time(lambda: batch(values, columns, 0.0, 1e4)) * 1e3
    if has("numba"):
        kernels = compile_problem(p, backend="numba").kernels
        start = time.perf_counter()
        kernels.batch(values, columns, 0.0)
        out["numba_compile_s"] = time.perf_counter() - start
        out["batch_numba_ms"] = best_time(lambda: kernels.batch(values, columns, 0.0)) * 1e3
    if has("torch"):
        out.update(torch_depth(n, columns))
    return out


def torch_depth(n: int, columns) -> dict:
    """PyTorch autograd on the same chain: one sample (scalar tensors) and a batch of 10^4."""
    import torch

    ws = [torch.tensor(0.9, dtype=torch.float64, requires_grad=True) for _ in range(n)]
    bs = [torch.tensor(0.1, dtype=torch.float64, requires_grad=True) for _ in range(n)]
    leaves = ws + bs

    def gradient(x, y):
        z = x
        for w, b in zip(ws, bs):
            z = torch.tanh(w * z + b)
        loss = ((z - y) ** 2).mean()
        return loss, torch.autograd.grad(loss, leaves)

    one = (torch.tensor(SAMPLE[0], dtype=torch.float64), torch.tensor(SAMPLE[1], dtype=torch.float64))
    many = tuple(torch.from_numpy(c) for c in columns)
    return {"torch_eval_us": best_time(lambda: [gradient(*one) for _ in range(20)]) / 20 * 1e6,
            "torch_batch_ms": best_time(lambda: gradient(*many)) * 1e3,
            "torch_gradient": [float(g) for g in gradient(*one)[1]]}


def sympy_worker(n: int) -> dict:
    """The naive way: compose the whole expression, sympy.diff it for every parameter, lambdify."""
    import sympy

    x, y = sympy.symbols("x y", real=True)
    ws, bs = sympy.symbols(f"w1:{n + 1}", real=True), sympy.symbols(f"b1:{n + 1}", real=True)
    start = time.perf_counter()
    z = x
    for w, b in zip(ws, bs):
        z = sympy.tanh(w * z + b)
    loss = (z - y) ** 2
    try:
        grads = [sympy.diff(loss, p) for p in ws + bs]
        function = sympy.lambdify(list(ws + bs) + [x, y], grads)
    except RecursionError:
        return {"n": n, "error": "RecursionError"}
    seconds = time.perf_counter() - start
    values = [0.9] * n + [0.1] * n + list(SAMPLE)
    return {"n": n, "seconds": seconds, "operations": int(sum(sympy.count_ops(g) for g in grads)),
            "gradient": [float(g) for g in function(*values)]}


def run_worker(kind: str, n: int, timeout: float) -> dict:
    """A worker in a fresh process (no SymPy cache, no compiled code carried over)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", kind, str(n)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"n": n, "error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"n": n, "error": last[:80]}
    return json.loads(done.stdout)


def depth(quick: bool, timeout: float) -> dict:
    sizes = (8, 16, 32, 64) if quick else (8, 16, 32, 64, 128, 256)
    ours = [run_worker("depth", n, 600) for n in sizes]
    baseline = []
    for n in sizes:
        result = run_worker("sympy", n, timeout)
        baseline.append(result)
        if "error" in result:
            break  # deeper is only worse
    for mine, theirs in zip(ours, baseline):
        if "gradient" in theirs:  # the same numbers, or the comparison means nothing
            assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(mine["gradient"], theirs["gradient"]))
        if "torch_gradient" in mine:
            assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(mine["gradient"], mine["torch_gradient"]))
    for row in ours + baseline:
        row.pop("gradient", None)
        row.pop("torch_gradient", None)
    return {"symback": ours, "sympy_diff": baseline}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--plots", metavar="DIR", help="draw scale_depth.svg and scale_data.svg there")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed to the sympy.diff baseline")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, n = args.worker[0], int(args.worker[1])
        print(json.dumps((depth_worker if kind == "depth" else sympy_worker)(n)))
        return
    results = {"python": sys.version.split()[0], "torch": has("torch"), "numba": has("numba"),
               "depth": depth(args.quick, args.timeout), "data": big_data(args.quick)}
    print(report(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    if args.plots:
        for path in plots(results, args.plots):
            print("wrote", path)


if __name__ == "__main__":
    main()
