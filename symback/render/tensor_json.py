"""A matrix explanation as JSON: the contract of DESIGN.md with nested lists.

``gradient``, ``params_before`` and ``params_after`` map each parameter to a number or a nested
list of its shape. Each step has ``rule`` and a self-contained ``claim`` "lhs = rhs" in SymPy
syntax: the left side is the step's operation written entry by entry with the numbers shown
(``Matrix([[0.1*1 + (-0.2)*2], …])``), the right side the result (``Matrix([[-0.3], …])``; a
vector is a column); ``"approx": true`` where the result was rounded. ``matrix_form`` gives the step
in matrix notation (``δ_u₁ xᵀ``), for reading.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np

from ..core.exact import Shown
from ..core.tensor.shown import edge_step, formulas_of, node_step
from ..model.tensor_ops import OPS, node_marks
from .jsonout import number
from .printers import claim


def render_tensor_json(d) -> str:
    payload = batch_payload(d) if getattr(d, "is_batch", False) else tensor_payload(d)
    return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False)


def nested(values):
    """A number, or nested lists of numbers (None for a non-finite value)."""
    a = np.asarray(values, dtype=float)
    if a.ndim == 0:
        return number(a)
    return [nested(row) for row in a]


def tensor_payload(d) -> dict:
    p = d.problem
    return {
        "model": p.text,
        "loss_name": p.loss_name,
        "lr": p.lr,
        "shapes": {n: list(s) for n, s in d.graph.params + d.graph.inputs},
        "sample": {n: nested(d.sample[n]) for n, _ in d.graph.inputs},
        "params_before": {n: nested(v) for n, v in p.params},
        "loss": number(d.loss),
        "gradient": {n: nested(g) for n, g in d.gradient.items()},
        # no closed form in SymPy syntax for a matrix gradient (it is not expanded): the rule instead
        "gradient_expr": {n: None for n, _ in d.graph.params},
        "gradient_rule": {n: _gradient_formula(d, n) for n, _ in d.graph.params},
        "params_after": {n: nested(v) for n, v in d.params_after.items()},
        "loss_after": number(d.loss_after),
        "graph": [{"name": n.name, "op": n.op, "args": [str(a) for a in n.args], "shape": list(n.shape)}
                  for n in d.graph.nodes],
        "checks": [{"method": c.method, "agrees": c.agrees, "error": number(c.error)} for c in d.checks],
        "steps": forward_steps(d) + backward_steps(d) + update_steps(d),
    }


def matrix(entries) -> str:
    """SymPy syntax: a number, Matrix([[a], [b]]) for a vector (a column), Matrix([[a, b], [c, d]])."""
    a = np.asarray(entries, dtype=object)
    if a.ndim == 0:
        return a.item() if isinstance(a.item(), str) else claim_number(a.item())
    rows = a.reshape(-1, 1) if a.ndim == 1 else a
    return "Matrix([" + ", ".join("[" + ", ".join(_text(v) for v in row) + "]" for row in rows) + "])"


def _text(value) -> str:
    return value if isinstance(value, str) else claim_number(value)


def claim_number(value) -> str:
    from ..core.numeric import format_float

    return format_float(value)


def _step(rule: str, fn, operands, result, formula: str = "") -> dict:
    """A step whose claim is fn's formulas, entry by entry with the operands' numbers, = the result."""
    formulas, env = formulas_of(fn, operands)
    lhs = np.empty(formulas.shape, dtype=object)
    for index in np.ndindex(*formulas.shape):
        lhs[index] = claim(formulas[index], env)
    step = {"rule": rule, "claim": f"{matrix(lhs)} = {matrix(result)}"}
    if formula:
        step["matrix_form"] = formula
    if any(getattr(v, "rounded", False) for v in np.asarray(result, dtype=object).reshape(-1)):
        step["approx"] = True
    return step


def forward_steps(d) -> list:
    steps = []
    for node in d.graph.nodes:
        fn, operands = node_step(node, d.values, d.shown)
        steps.append({"node": node.name, **_step(OPS[node.op].rule, fn, operands, d.shown[node.name], repr(node))})
    return steps


def backward_steps(d) -> list:
    steps = []
    for variable in [n.name for n in reversed(d.graph.nodes)] + [n for n, _ in d.graph.params]:
        terms = d.adjoints.terms.get(variable, ())
        for edge, up, contribution in terms:
            node = d.graph[edge.node]
            fn, operands = edge_step(node, edge.index, up, d.values, d.shown)
            formula = f"dL/d{variable} += " + _display(d, node, edge.index)
            steps.append({"node": variable, "via": node.name,
                          **_step(OPS[node.op].rule, fn, operands, contribution.shown, formula)})
        if len(terms) > 1:
            total = d.adjoints.value[variable]
            parts = [(c.value, c.shown) for _, _, c in terms]
            steps.append({"node": variable, **_step("fan_out_sum", _sum, parts, total.shown)})
    return steps


def _sum(K, *parts):
    out = parts[0]
    for part in parts[1:]:
        out = out + part
    return out


def update_steps(d) -> list:
    eta = Fraction(repr(float(d.problem.lr)))
    steps = []
    for n, _ in d.graph.params:
        g = d.adjoints.value[n]
        operands = [(np.asarray(d.problem.param_values[n], dtype=float), d.shown[n]), (g.value, g.shown), eta]
        steps.append({"node": n, **_step("gradient_descent", lambda K, w, grad, lr: w - lr * grad, operands,
                                         d.update_shown[n], f"{n} <- {n} - eta*dL/d{n}")})
    return steps


def batch_payload(b) -> dict:
    """A batch: the mean loss and gradient, sample 1's steps, one mean step per parameter, the update."""
    from ..core.tensor.batch import MAX_MEAN_TERMS

    first = tensor_payload(b.first)
    n = len(b.losses)
    mean_steps = []
    for p, _ in (b.graph.params if n <= MAX_MEAN_TERMS else ()):
        parts = [(np.asarray(g[p], dtype=float), s[p]) for g, s in zip(b.gradients, b.shown_gradients)]
        mean_steps.append({"node": p, **_step("batch_mean", _mean_of, parts + [Fraction(n)], b.gradient_shown[p],
                                              f"dL/d{p} = (1/n) sum_k dL_k/d{p}")})
    update = []
    eta = Fraction(repr(float(b.problem.lr)))
    for p, _ in b.graph.params:
        operands = [(np.asarray(b.problem.param_values[p], dtype=float), b.first.shown[p]),
                    (b.gradient[p], b.gradient_shown[p]), eta]
        update.append({"node": p, **_step("gradient_descent", lambda K, w, grad, lr: w - lr * grad, operands,
                                          b.update_shown[p], f"{p} <- {p} - eta*dL/d{p}")})
    return {
        **{k: first[k] for k in ("model", "loss_name", "lr", "shapes", "params_before", "gradient_expr", "gradient_rule",
                                      "graph")},
        "n_samples": n,
        "loss": number(b.loss),
        "gradient": {p: nested(g) for p, g in b.gradient.items()},
        "params_after": {p: nested(v) for p, v in b.params_after.items()},
        "loss_after": number(b.loss_after),
        "checks": [{"method": c.method, "agrees": c.agrees, "error": number(c.error)} for c in b.checks],
        "steps": forward_steps(b.first) + backward_steps(b.first) + mean_steps + update,
    }


def _mean_of(K, *args):
    *parts, count = args
    return _sum(K, *parts) / count


def _gradient_formula(d, n: str) -> str:
    """∂L/∂n in matrix notation: the sum of its contributions' rules."""
    terms = d.adjoints.terms.get(n, ())
    parts = []
    for edge, _, _ in terms:
        parts.append(_display(d, d.graph[edge.node], edge.index))
    return " + ".join(parts) if parts else "0"


def _display(d, node, index: int) -> str:
    """The VJP of operand ``index`` of ``node`` in matrix notation, names as written (delta_u1 xᵀ)."""
    marks = node_marks(node.op, node.args, tuple(d.graph.shape(a) for a in node.args))
    return OPS[node.op].display[index].format(*[str(a) for a in node.args], up=f"delta_{node.name}", out=node.name,
                                              df=f"{node.kw.get('f', '')}'({node.args[0]})",
                                              **{k: t for k, (t, _) in marks.items()})


__all__ = ["render_tensor_json", "tensor_payload", "Shown"]
