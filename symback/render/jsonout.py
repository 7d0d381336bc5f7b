"""The JSON format: the contract of DESIGN.md, built from the derivation.

Every step has a ``rule`` and a ``claim``: an equation ``lhs = rhs`` in SymPy
syntax that holds on its own (derivatives written ``Derivative(expr, var)``),
with its decimals read as the exact numbers they spell (0.1 is 1/10). A step
whose right-hand side is rounded (an irrational value, or more digits than
are printed) has ``"approx": true`` and holds to the digits printed.
:func:`symback.check.claims.verify` checks every claim. Numbers are plain JSON
numbers (the float64 results, as computed); a non-finite value becomes null.
"""

from __future__ import annotations

import json
import math

import sympy
from sympy import Derivative

from ..core.numeric import format_float
from .explanation import ETA, backward_order
from .printers import claim
from .numbers import json_number as number


def _eq(lhs: str, rhs: str) -> str:
    return f"{lhs} = {rhs}"


def _num(value: float) -> str:
    return format_float(value) if math.isfinite(value) else "nan"


def _claim(step: dict, lhs: str, rhs: float) -> dict:
    """``step`` with the claim lhs = rhs, and ``"approx": true`` when rhs was rounded."""
    step = {**step, "claim": _eq(lhs, _num(rhs))}
    if getattr(rhs, "rounded", False) or not math.isfinite(rhs):
        step["approx"] = True
    return step


def render_json(derivation) -> str:
    from ..core.batch import BatchDerivation

    payload = batch_payload(derivation) if isinstance(derivation, BatchDerivation) else sample_payload(derivation)
    return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False)


def _common(problem, graph) -> dict:
    return {
        "model": "; ".join(f"{n} = {claim(e)}" for n, e in problem.shown_definitions),
        "loss_name": problem.loss_name,
        "loss_expr": claim(problem.loss),
        "lr": problem.lr,
        "params_before": {n: v for n, v in problem.params},
        "graph": [{"name": n.name.name, "expr": claim(n.expr), "rule": n.op.kind} for n in graph.nodes],
    }


def sample_payload(d) -> dict:
    out = {"mode": "sample", **_common(d.problem, d.graph), "sample": dict(d.point)}
    for entry in out["graph"]:
        entry["value"] = number(d.values[sympy.Symbol(entry["name"], real=True)])
    out.update({
        "loss": number(d.loss),
        "gradient": {g.param.name: number(g.value) for g in d.gradients},
        "gradient_expr": {g.param.name: claim(g.closed) if g.closed is not None else None for g in d.gradients},
        "params_after": {g.param.name: number(g.after) for g in d.gradients},
        "loss_after": number(d.loss_after),
        "checks": {g.param.name: {"ok": g.check.ok, "method": g.check.method} for g in d.gradients},
        "steps": forward_steps(d) + local_steps(d.locals, d) + chain_steps(d) + closed_steps(d) + update_steps(d),
    })
    return out


def forward_steps(d) -> list:
    return [_claim({"rule": "forward", "node": n.name.name}, claim(n.shown, d.values), d.values[n.name])
            for n in d.graph.nodes]


def local_steps(locals_, d=None) -> list:
    """∂node/∂child by its rule, symbolically (and with numbers when ``d`` is given)."""
    steps = []
    for local in backward_order(locals_):
        base = {"rule": local.rule.key, "node": local.node.name.name, "wrt": local.child.name}
        formula = local.rule.formula()
        steps.append({**base, "kind": "local", "formula": _eq(claim(formula.lhs), claim(formula.rhs)),
                      "claim": _eq(claim(Derivative(local.node.expr, local.child)), claim(local.expr))})
        if d is not None:
            steps.append(_claim({**base, "kind": "local_value"}, claim(local.expr, d.values), d.local_value(local)))
    return steps


def chain_steps(d) -> list:
    """upstream × local = contribution, per edge; contributions summed where a node fans out."""
    steps = []
    for adjoint in d.adjoints[1:]:
        for c in adjoint.contributions:
            steps.append(_claim({"rule": "chain", "node": c.node.name, "via": c.via.name},
                                _product(c.upstream, c.local), c.value))
        if len(adjoint.contributions) > 1:
            total = " + ".join(_paren(c.value) for c in adjoint.contributions)
            steps.append(_claim({"rule": "accumulate", "node": adjoint.node.name}, total, adjoint.value))
    return steps


def _paren(value: float) -> str:
    text = _num(value)
    return f"({text})" if text.startswith("-") else text


def _product(a: float, b: float) -> str:
    return f"{_paren(a)}*{_paren(b)}"


def closed_steps(d) -> list:
    steps = []
    env = {**{sympy.Symbol(n, real=True): v for n, v in d.problem.params},
           **{sympy.Symbol(n, real=True): v for n, v in d.point.items()}}
    for g in d.gradients:
        if g.closed is None:
            continue
        steps.append({"rule": "closed_form", "param": g.param.name,
                      "claim": _eq(claim(Derivative(d.problem.loss_expr, g.param)), claim(g.closed))})
        steps.append(_claim({"rule": "closed_form_value", "param": g.param.name}, claim(g.closed, env),
                            d.closed_value(g)))
    return steps


def update_steps(d) -> list:
    steps = []
    for g in d.gradients:
        grad = sympy.Symbol("g")
        step = sympy.Add(g.param, sympy.Mul(-1, ETA, grad, evaluate=False), evaluate=False)
        text = claim(step, {g.param: g.before, ETA: d.problem.lr, grad: g.value})
        steps.append(_claim({"rule": "update", "param": g.param.name}, text, g.after))
    return steps


def batch_payload(b) -> dict:
    out = {"mode": "batch", **_common(b.problem, b.graph), "samples": [], "steps": local_steps(b.locals)}
    for s in b.samples:
        out["samples"].append({**s.point, "loss": number(s.loss),
                               "gradient": {g.param.name: number(g.value) for g in s.gradients}})
    n = len(b.samples)
    out["steps"].append(_claim({"rule": "mean"}, _mean([s.loss for s in b.samples]), b.loss))
    for g, first in zip(b.gradients, b.samples[0].gradients):
        if first.closed is not None:
            out["steps"].append({"rule": "closed_form", "param": g.param.name,
                                 "claim": _eq(claim(Derivative(b.problem.loss_expr, g.param)), claim(first.closed))})
        out["steps"].append(_claim({"rule": "mean", "param": g.param.name}, _mean(g.per_sample), g.value))
    out["steps"] += update_steps(b)
    out.update({
        "loss": number(b.loss),
        "gradient": {g.param.name: number(g.value) for g in b.gradients},
        "gradient_expr": {g.param.name: _mean_claim(g.closed, b.problem) for g in b.gradients},
        "params_after": {g.param.name: number(g.after) for g in b.gradients},
        "loss_after": number(b.loss_after),
        "n_samples": n,
    })
    return out


#: above this many rows the batch gradient is not written out as one expression
MAX_EXPR_ROWS = 200


def _mean_claim(closed, problem):
    """(1/N) Σᵢ closed(xᵢ, yᵢ) in the parameters, or None (too many rows, or no closed form)."""
    from ..core.batch import mean_expression

    if closed is None or len(problem.data) > MAX_EXPR_ROWS:
        return None
    return claim(mean_expression(closed, problem))


def _mean(values) -> str:
    return f"({' + '.join(_paren(v) for v in values)})/{len(values)}"
