"""Big data for benchmarks/bench_scale.py: full-batch epochs, SGD throughput, numba compile times, the CLI.

    python benchmarks/bench_scale_data.py --compile     # numba's compile times in this fresh process
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time

from timing import best_time, has, peak_extra





def line_data(size: int):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal(size)
    return x, 2 * x + 1 + 0.1 * rng.standard_normal(size)


def hand_numpy_step(params, columns, lr, n):
    """The mean-squared-error step of w*x + b, written by hand in NumPy."""
    import numpy as np

    (w, b), (x, y) = params, columns
    r = w * x + b - y
    gw, gb = 2 * np.dot(r, x) / n, 2 * r.sum() / n
    return (w - lr * gw, b - lr * gb), np.dot(r, r) / n, (gw, gb)


def torch_step(x, y):
    """PyTorch autograd on the same full batch: forward, backward (the update of two scalars is free)."""
    import torch

    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)

    def step():
        loss = ((w * xt + b - yt) ** 2).mean()
        return loss, torch.autograd.grad(loss, (w, b))

    return step


def full_batch(sizes) -> list[dict]:
    from symback import problem
    from symback.train.compile import compile_problem

    p = problem("w*x + b", params={"w": 0.5, "b": 0.0})
    numpy_step = compile_problem(p, arrays=True).batch
    kernels = compile_problem(p, backend="numba").kernels if has("numba") else None
    plain_sum = numba_sum() if kernels else None
    rows = []
    for size in sizes:
        x, y = line_data(size)
        args = ((0.5, 0.0), (x, y), 0.01, float(size))
        expected = hand_numpy_step(*args)
        for result in [numpy_step(*args)] + ([kernels.batch(*args)] if kernels else []):
            assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(result[0], expected[0])), (result, expected)
        repeats = max(5, min(50, 10**8 // size))
        row = {"samples": size, "data_bytes": x.nbytes + y.nbytes,
               "numpy_read_s": best_time(lambda: (x.sum(), y.sum()), repeats),
               "hand_s": best_time(lambda: hand_numpy_step(*args), repeats),
               "numpy_s": best_time(lambda: numpy_step(*args), repeats),
               "numpy_peak": peak_extra(lambda: numpy_step(*args)),
               "hand_peak": peak_extra(lambda: hand_numpy_step(*args))}
        if kernels:
            row["numba_s"] = best_time(lambda: kernels.batch(*args), repeats)
            plain_sum(x, y)
            row["numba_read_s"] = best_time(lambda: plain_sum(x, y), repeats)
        # the bandwidth bound: the fastest way we have to read every number once
        row["read_s"] = min(row["numpy_read_s"], row.get("numba_read_s", float("inf")))
        if has("torch"):
            row["torch_s"] = best_time(torch_step(x, y), repeats)
        rows.append(row)
    return rows


def numba_sum():
    """Σ x_i + Σ y_i in one loop, sums reassociated so that LLVM vectorises them: a plain read."""
    import numba

    @numba.njit(fastmath={"reassoc"})
    def total(x, y):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] + y[i]
        return s

    return total


def hand_numba_sgd():
    """The per-sample SGD loop of w*x written by hand for numba: what a kernel at its best looks like."""
    import numba

    @numba.njit
    def epoch(w, x, y, lr):
        last = 0.0
        for i in range(x.shape[0]):
            r = x[i] * w - y[i]
            last = r * r
            w = w - lr * (2 * r * x[i])
        return w, last

    return epoch


def sgd_throughput(size: int) -> dict:
    """Per-sample updates per second on w*x: numba kernel, train() with it, by hand, and the Python step."""
    import numpy as np

    from symback import problem
    from symback.train.compile import compile_problem
    from symback.train.run import Settings, train

    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size)
    y = 2 * x + 0.01 * rng.standard_normal(size)
    out = {"samples": size}
    p = problem(data={"x": x, "y": y})
    step = compile_problem(p).step
    rows = list(zip(x[:200_000].tolist(), y[:200_000].tolist()))

    def python_loop():
        params = (1.0,)
        for row in rows:
            params, _ = step(params, row, 0.01)

    out["python_per_s"] = len(rows) / best_time(python_loop, 3)
    if not has("numba"):
        return out
    kernels = compile_problem(p, backend="numba").kernels
    kernels.sgd_epoch((1.0,), (x, y), 0.01)
    out["kernel_per_s"] = size / best_time(lambda: kernels.sgd_epoch((1.0,), (x, y), 0.01))
    hand = hand_numba_sgd()
    hand(1.0, x, y, 0.01)
    out["hand_numba_per_s"] = size / best_time(lambda: hand(1.0, x, y, 0.01))
    train(p, Settings(epochs=1, backend="numba"))
    # train() compiles first: the difference of two run lengths is the epochs alone (each with its mean loss)
    runs = [best_time(lambda: train(p, Settings(epochs=k, backend="numba")), 3) for k in (2, 6)]
    out["train_per_s"] = 4 * size / (runs[1] - runs[0])
    return out


def compile_worker() -> dict:
    """numba's import and compile times for w*x + b, as a new process pays them."""
    start = time.perf_counter()
    import numba  # noqa: F401
    import numpy as np

    imported = time.perf_counter()
    from symback import problem
    from symback.train.compile import compile_problem

    kernels = compile_problem(problem("w*x + b", params={"w": 0.5, "b": 0.0}), backend="numba").kernels
    columns, out = (np.ones(3), np.ones(3)), {"import_s": imported - start}
    for name, call in (("batch_s", lambda: kernels.batch((0.5, 0.0), columns, 0.1)),
                       ("loss_s", lambda: kernels.loss((0.5, 0.0), columns)),
                       ("sgd_s", lambda: kernels.sgd_epoch((0.5, 0.0), columns, 0.1))):
        start = time.perf_counter()
        call()
        out[name] = time.perf_counter() - start
    return out


def compile_times() -> dict:
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--compile"], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL, check=True)
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024]))
"""


def whole_process(size: int) -> dict:
    """``symback train`` on an .npz file as a new process: wall time and peak resident memory, on
    ``size`` samples and on 3 (the same imports and code, so the difference is what the data cost)."""
    import numpy as np

    folder = tempfile.mkdtemp(prefix="symback-bench-")
    files = {}
    for n in (3, size):
        x, y = line_data(n)
        files[n] = os.path.join(folder, f"line{n}.npz")
        np.savez(files[n], x=x, y=y)
    base = [sys.executable, "-c", "from symback.cli import main; main()", "train", "--model", "w*x + b",
            "--param", "w=0", "--param", "b=0", "--lr", "0.5", "--mode", "batch", "--epochs", "10", "--data"]
    out = {"samples": size, "data_bytes": 16 * size}
    for backend in ("numpy", "numba") if has("numba") else ("numpy",):
        for n, path in files.items():
            seconds, rss = [], []
            for _ in range(3):
                # A small Python starts the run and reads its peak memory: a child forked from this
                # (large) process would count our pages until it execs.
                cmd = base + [path, "--backend", backend]
                done = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(cmd)], capture_output=True,
                                      text=True, check=True)
                wall, peak = json.loads(done.stdout)
                seconds.append(wall)
                rss.append(peak)
            out[f"{backend} {n}"] = {"seconds": min(seconds), "max_rss": min(rss)}
    for path in files.values():
        os.remove(path)
    os.rmdir(folder)
    return out


def big_data(quick: bool) -> dict:
    import numpy  # noqa: F401 - the big-data figures need it

    sizes = (10**5, 10**6) if quick else (10**5, 10**6, 10**7)
    out = {"full_batch": full_batch(sizes), "sgd": sgd_throughput(sizes[-1])}
    if has("numba"):
        out["compile"] = compile_times()
    out["cli"] = whole_process(sizes[-1])
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["--compile"]:
        print(json.dumps(compile_worker()))
