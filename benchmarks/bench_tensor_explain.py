"""How long does explain take on a matrix model? Two-layer tanh networks of growing width, one sample.

    python benchmarks/bench_tensor_explain.py            # widths 4, 16, 64
    python benchmarks/bench_tensor_explain.py --json out.json

The model: x ∈ ℝ⁴, h = tanh(W1 x + b1) ∈ ℝʷ, ŷ = w2·h + b2, loss mse. For each width w the
figures are CPU times (the least over repeats, in a warm process) of:

- derive: the tensor graph, the forward and backward values with the numbers shown (exact where
  the arithmetic is; nodes of more than 400 entries are shown rounded), the checks (SymPy's diff
  entry by entry up to 64 parameter entries, then central finite differences entry by entry up
  to 200 entries, then along 3 random directions) and the update;
- text: printing the explanation (large matrices elided).

"first" is derive's first call in the process (SymPy's and the exact numbers' caches cold),
"derive" the least over the repeats.

The symbolic work is per entry only where the numbers are shown exactly; nothing is ever
differentiated per weight symbolically beyond the 64-entry check. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from timing import publish  # noqa: E402

MODEL = "h = tanh(W1 @ x + b1); y_hat = w2 @ h + b2"


def problem(width: int):
    import numpy as np

    from symback.model.tensor_spec import tensor_problem

    rng = np.random.default_rng(0)
    params = {"W1": (rng.standard_normal((width, 4)) * 0.5).round(2).tolist(), "b1": [0.0] * width,
              "w2": (rng.standard_normal(width) * 0.5).round(2).tolist(), "b2": 0.0}
    return tensor_problem(MODEL, params=params, sample={"x": [0.5, -1.0, 0.25, 2.0], "y": 0.3})


def best_cpu(f, repeats: int) -> tuple[float, float, object]:
    """(CPU time of the first call, the least over ``repeats`` calls, the result)."""
    times, out = [], None
    for _ in range(repeats):
        start = time.process_time()
        out = f()
        times.append(time.process_time() - start)
    return times[0], min(times), out


def measure(width: int, repeats: int) -> dict:
    from symback.core.tensor.derive import explain_tensor
    from symback.render import render

    p = problem(width)
    first, derive, d = best_cpu(lambda: explain_tensor(p), repeats)
    _, text, out = best_cpu(lambda: render(d, "text", columns=100), repeats)
    return {"width": width, "parameters": sum(v.size for _, v in p.params), "derive_first_s": first,
            "derive_s": derive, "text_s": text,
            "lines": out.count("\n"), "checks": [repr(c) for c in d.checks]}


def report(results: list) -> str:
    lines = ["explain on h = tanh(W1 x + b1), ŷ = w2·h + b2, one sample (CPU seconds, least of repeats)",
             f"{'width':>6} {'entries':>8} {'first':>8} {'derive':>8} {'text':>8} {'lines':>6}  checks"]
    for r in results:
        lines.append(f"{r['width']:>6} {r['parameters']:>8} {r['derive_first_s']:>8.3f} {r['derive_s']:>8.3f} "
                     f"{r['text_s']:>8.3f} "
                     f"{r['lines']:>6}  {'; '.join(r['checks'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="4,16,64")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    results = [measure(int(w), args.repeats) for w in args.widths.split(",")]
    publish(report(results), {"results": results}, args.json)


if __name__ == "__main__":
    main()
