"""Why a matrix-form gradient is wrong: common mistakes, each a changed backward pass or a reshaped truth.

A mistake is a computation students do instead of the true one: the backward pass with one
edge's vector-Jacobian product changed (an elementwise derivative f′(z) left out, the activation
f(z) itself in its place, tanh′ written 1 − z² in the pre-activation z, the logits where
softmax(ŷ) belongs), or the truth changed as a whole (its transpose, its negative, a constant
multiple), or the gradient of another variable (the upstream δ alone, another parameter's).
An answer is explained by the mistakes it equals at every point compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import reduce

import numpy as np

from ..core.reverse import backward
from ..core.tensor.kernels import FLOAT
from ..core.tensor.values import operand_value, vjp
from .matrix_answer import adjoint_name, as_number, close, column

#: the tempting wrong derivative of f written in f's input a: tanh′ = 1 − a², σ′ = a(1 − a)
_IN_INPUT = {"tanh": lambda a: 1 - a * a, "sigmoid": lambda a: a * (1 - a)}
#: a constant factor is named when it is a fraction with a denominator at most this
_MAX_DENOMINATOR = 16


@dataclass(frozen=True)
class Mistake:
    """A way to get ∂L/∂wrt wrong: ``kind`` is a wording key (check.matrix.kind.*); ``fields``
    plain data the sentence shows (names, shapes, the function, the factor)."""

    kind: str
    fields: dict = field(default_factory=dict)


def shape_mistake(err) -> Mistake:
    """Operands of the answer whose shapes do not fit."""
    return Mistake("shape_mismatch", {"part": err.part, "shapes": tuple(err.shapes), "op": err.op})


def diagnose(graph, wrt, consumer, states, given, wrong_shape: bool = False) -> list:
    """The mistakes that explain ``given`` (the answer at each state's point), most specific first."""
    truths = [t for _, t, _ in states]
    flipped = [g.T for g in given]
    shapes = {"yours": given[0].shape, "expected": truths[0].shape}
    if _all_close(flipped, truths):
        return [Mistake("transposed", shapes)]
    found = [m for m, values in _candidates(graph, wrt, consumer, states) if _all_close(given, values)]
    if found:
        return found[:1] + [m for m in found[1:] if m.kind != found[0].kind][:1]
    factor = _factor(given, truths)
    if factor is not None:
        return [Mistake("sign" if factor == -1 else "constant", {"k": factor})]
    if not wrong_shape:
        return []
    if given[0].shape == truths[0].T.shape:
        also = [m for m, values in _candidates(graph, wrt, consumer, states) if _all_close(flipped, values)]
        return [Mistake("transposed_shape", shapes)] + also[:1]
    return [Mistake("wrong_shape", {**shapes, "inner": given[0].shape == () and truths[0].ndim == 2})]


def _all_close(values, references) -> bool:
    return all(close(v, r) for v, r in zip(values, references))


def _candidates(graph, wrt, consumer, states):
    """(Mistake, its value at each state) in the order they are tried; computed as they are asked for."""
    for node in graph.nodes:
        for kind, pull in _edge_changes(node):
            values = [_changed(graph, env, wrt, node.name, pull) for env, _, _ in states]
            if not _all_close(values, [t for _, t, _ in states]):
                yield Mistake(kind, {"node": node.name, "arg": str(node.args[0]), "f": node.kw.get("f")}), values
    variables = ([consumer] if consumer else []) + [n.name for n in reversed(graph.nodes) if n.children]
    params = [n for n, _ in graph.params]
    for name in dict.fromkeys(variables + params):
        if name != wrt:
            kind = "other_gradient" if name in params else "upstream"
            yield Mistake(kind, {"node": name, "consumer": consumer}), [env[adjoint_name(name)]
                                                                         for env, _, _ in states]


def _edge_changes(node):
    """(kind, the changed VJP up -> contribution given (values, node)) for the edge into ``node``'s operand."""
    if node.op == "apply" and node.children:
        f = node.kw["f"]
        yield "missing_derivative", lambda up, values, n: up
        yield "activation_for_derivative", lambda up, values, n: up * values[n.name]
        if f in _IN_INPUT:
            yield "derivative_in_input", lambda up, values, n: up * _IN_INPUT[f](operand_value(values, n.args[0]))
    if node.op == "cross_entropy" and node.children:
        def logits(up, values, n):
            z = operand_value(values, n.args[0])
            return up * (z - FLOAT.onehot(operand_value(values, n.args[1]), z.shape))
        yield "logits_for_softmax", logits


def _changed(graph, env, wrt, node_name, change):
    """∂L/∂wrt by the backward pass with the VJP of ``node_name``'s first operand replaced by ``change``."""
    values = env["_values"]

    def pull(up, edge):
        if edge.node == node_name and edge.index == 0:
            return np.asarray(change(up, values, graph[edge.node]), dtype=float)
        return vjp(graph, values, up, edge)

    with np.errstate(all="ignore"):
        adjoints = backward(graph.order, graph.below, graph.loss, FLOAT.const(1), pull=pull,
                            add=lambda parts: reduce(lambda s, t: s + t, parts))
    value = adjoints.value.get(wrt)
    return as_number(column(value if value is not None else np.zeros(graph.shape(wrt))))


def _factor(given, truths):
    """k when the answer is k × the gradient at every point for one simple fraction k ≠ 1, else None."""
    ratios = []
    for g, t in zip(given, truths):
        if g.shape != t.shape or not np.all(np.isfinite(g)):
            return None
        big = np.abs(t) > 1e-9
        if not big.any():
            continue
        ratios.append(np.asarray(g, dtype=float)[big] / np.asarray(t, dtype=float)[big])
    if not ratios:
        return None
    k = Fraction(float(ratios[0].reshape(-1)[0])).limit_denominator(_MAX_DENOMINATOR)
    if k in (0, 1) or not all(np.allclose(r, float(k), rtol=1e-9, atol=0) for r in ratios):
        return None
    return k
