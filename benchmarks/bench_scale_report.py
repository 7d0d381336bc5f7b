"""The tables and plots of benchmarks/bench_scale.py, from its figures."""

from __future__ import annotations

import os


def _s(seconds) -> str:
    return "–" if seconds is None else f"{seconds:.3f}" if seconds >= 0.01 else f"{seconds * 1e3:.2f} ms"


def _ms(seconds) -> str:
    return "–" if seconds is None else f"{seconds * 1e3:.3g} ms"


def depth_table(d: dict) -> list[str]:
    base = {row["n"]: row for row in d["sympy_diff"]}
    lines = ["## Depth: the tanh chain, gradient of all 2n parameters", "",
             "| n | parse | compile (Problem → callable) | goal | ops | ops/layer | sympy.diff + lambdify | "
             "its ops | ratio | explain |", "|---|---|---|---|---|---|---|---|---|---|"]
    goals = {32: 0.5, 64: 1.0, 256: 5.0}
    for row in d["symback"]:
        n, other = row["n"], base.get(row["n"], {})
        theirs = other.get("error") or (_s(other["seconds"]) if other else "not run")
        ratio = f"{other['seconds'] / row['compile_s']:.0f}x" if "seconds" in other else "–"
        lines.append(f"| {n} | {_s(row['parse_s'])} | {_s(row['compile_s'])} | "
                     f"{'≤ %g s' % goals[n] if n in goals else ''} | {row['operations']} | "
                     f"{row['operations'] / n:.1f} | {theirs} | {other.get('operations', '–')} | {ratio} | "
                     f"{_s(row['explain_s'])} |")
    lines += ["", "Evaluating the gradient (µs for one sample; ms for a batch of 10⁴):", "",
              "| n | symback, one sample | PyTorch autograd, one sample | ratio | symback NumPy batch | "
              "symback numba batch | PyTorch batch | numba compile |", "|---|---|---|---|---|---|---|---|"]
    for row in d["symback"]:
        torch_one = row.get("torch_eval_us")
        lines.append(f"| {row['n']} | {row['eval_us']:.1f} | {'%.0f' % torch_one if torch_one else '–'} | "
                     f"{'%.0fx' % (torch_one / row['eval_us']) if torch_one else '–'} | "
                     f"{row['batch_numpy_ms']:.2f} | {'%.2f' % row['batch_numba_ms'] if 'batch_numba_ms' in row else '–'} | "
                     f"{'%.2f' % row['torch_batch_ms'] if 'torch_batch_ms' in row else '–'} | "
                     f"{_s(row.get('numba_compile_s'))} |")
    return lines


def data_tables(b: dict) -> list[str]:
    lines = ["## Big data: one full-batch epoch of w*x + b", "",
             "| samples | read once: NumPy sum | numba sum | hand NumPy | symback NumPy | ratio (goal ≤ 2) | "
             "symback numba | numba / read (goal ≤ 1.5) | PyTorch | memory NumPy / data (goal ≤ 1) | "
             "hand NumPy memory |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in b["full_batch"]:
        numba = r.get("numba_s")
        lines.append(
            f"| {r['samples']:.0e} | {_ms(r['numpy_read_s'])} | {_ms(r.get('numba_read_s'))} | {_ms(r['hand_s'])} | "
            f"{_ms(r['numpy_s'])} | "
            f"{r['numpy_s'] / r['hand_s']:.2f} | {_ms(numba)} | {'%.2f' % (numba / r['read_s']) if numba else '–'} | "
            f"{_ms(r.get('torch_s'))} | {r['numpy_peak'] / r['data_bytes']:.2f} | {r['hand_peak'] / r['data_bytes']:.2f} |")
    s = b["sgd"]
    lines += ["", f"## Per-sample SGD on w*x ({s['samples']:.0e} samples), updates per second", "",
              "| loop | updates/s |", "|---|---|"]
    for key, label in (("kernel_per_s", "symback numba kernel, one epoch (goal ≥ 10⁸)"),
                       ("train_per_s", "symback train(), numba, with each epoch's mean loss"),
                       ("hand_numba_per_s", "the same loop written by hand for numba"),
                       ("python_per_s", "symback's Python step (default backend)")):
        if key in s:
            lines.append(f"| {label} | {s[key] / 1e6:.1f} million |")
    if "compile" in b:
        c = b["compile"]
        lines += ["", "numba in a new process (seconds): import " + _s(c["import_s"]) + "; first kernel (fused batch, "
                  "includes numba's own start-up) " + _s(c["batch_s"]) + "; mean loss " + _s(c["loss_s"])
                  + "; SGD epoch " + _s(c["sgd_s"]) + f"; compilation in all: {c['batch_s'] + c['loss_s'] + c['sgd_s']:.2f} s"
                  " (goal < 1 s)."]
    cli, n = b["cli"], b["cli"]["samples"]
    lines += ["", f"## `symback train --data line.npz --mode batch --epochs 10`, whole process", "",
              f"{n:.0e} samples ({cli['data_bytes'] / 1e6:.0f} MB of data) against 3 samples with the same options:",
              "", "| backend | wall time, 3 samples | wall time | peak memory, 3 samples | peak memory | "
              "extra memory beyond the data / data (goal ≤ 1) |", "|---|---|---|---|---|---|"]
    for backend in ("numpy", "numba"):
        if f"{backend} 3" in cli:
            small, big = cli[f"{backend} 3"], cli[f"{backend} {n}"]
            extra = (big["max_rss"] - small["max_rss"] - cli["data_bytes"]) / cli["data_bytes"]
            lines.append(f"| {backend} | {small['seconds']:.2f} s | {big['seconds']:.2f} s | "
                         f"{small['max_rss'] / 1e6:.0f} MB | {big['max_rss'] / 1e6:.0f} MB | {extra:.2f} |")
    return lines


def report(results: dict) -> str:
    head = [f"Python {results['python']}; PyTorch {'yes' if results['torch'] else 'not installed'}; "
            f"numba {'yes' if results['numba'] else 'not installed'}", ""]
    return "\n".join(head + depth_table(results["depth"]) + [""] + data_tables(results["data"]))


#: no creation date in the files, so the same figures give the same bytes
_METADATA = {"svg": {"Date": None}, "png": {}}


def plots(results: dict, folder: str, fmt: str = "svg") -> list[str]:
    """scale_depth.svg (cost against depth) and scale_data.svg (cost against data size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "symback"  # the same figures give the same file
    d = results["depth"]
    ours, base = d["symback"], [r for r in d["sympy_diff"] if "seconds" in r]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    ns = [r["n"] for r in ours]
    left.loglog(ns, [r["compile_s"] for r in ours], "o-", label="symback: compile the gradient")
    left.loglog(ns, [r["parse_s"] for r in ours], "s-", label="symback: parse the model")
    left.loglog([r["n"] for r in base], [r["seconds"] for r in base], "^-", label="sympy.diff + lambdify")
    top = max((r["seconds"] for r in base), default=1.0)
    for r in (r for r in d["sympy_diff"] if "error" in r):  # where the baseline stopped, and why
        left.plot([r["n"]], [top], "x", color="C2", markersize=9)
        left.annotate(f"{r['error']} at n = {r['n']}", (r["n"], top), xytext=(-8, -14), textcoords="offset points",
                      ha="right", fontsize=8, color="C2")
    left.set(xlabel="depth n (layers)", ylabel="seconds", title="Time to a compiled gradient")
    right.loglog(ns, [r["operations"] for r in ours], "o-", label="symback (reverse pass on the graph)")
    right.loglog([r["n"] for r in base], [r["operations"] for r in base], "^-", label="sympy.diff of the composition")
    right.set(xlabel="depth n (layers)", ylabel="operations in the gradient", title="Size of the gradient")
    for ax in (left, right):
        ax.set_xticks(ns, [str(n) for n in ns])
        ax.minorticks_off()
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    paths = [os.path.join(folder, f"scale_depth.{fmt}")]
    fig.savefig(paths[0], metadata=_METADATA.get(fmt))
    plt.close(fig)

    rows = results["data"]["full_batch"]
    sizes = [r["samples"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label, style in (("read_s", "read the data once (fastest plain sum)", "k--"),
                              ("hand_s", "hand-written NumPy", "s-"), ("numpy_s", "symback, NumPy", "o-"),
                              ("numba_s", "symback, numba (fused)", "D-"), ("torch_s", "PyTorch autograd", "^-")):
        if all(key in r for r in rows):
            ax.loglog(sizes, [r[key] for r in rows], style, label=label)
    ax.set(xlabel="samples", ylabel="seconds per full-batch epoch", title="One epoch of w*x + b")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(os.path.join(folder, f"scale_data.{fmt}"))
    fig.savefig(paths[1], metadata=_METADATA.get(fmt))
    plt.close(fig)
    return paths
