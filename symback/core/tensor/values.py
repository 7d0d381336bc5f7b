"""Forward and backward numbers of a tensor graph, in float64.

The forward pass runs each node's operation on its operands' values in graph order. The backward
pass is :func:`symback.core.reverse.backward` with ``pull`` the vector-Jacobian product of the
edge's operation (``δ xᵀ`` for W in W @ x, ``Wᵀ δ`` for x, ``δ ⊙ f′(z)`` for f(z), ``Σ δ`` for a
broadcast scalar) and ``add`` the sum of a variable's contributions, in the order the reverse pass
meets them: a node used twice gets two contributions, added here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Mapping

import numpy as np

from ...errors import MathError
from ..reverse import Adjoints, backward
from .graph import Edge, TensorGraph
from .kernels import FLOAT, FloatKernel


@dataclass(frozen=True)
class TensorPass:
    """Values of one forward and backward pass: ``values[name]`` (every leaf and node), the
    ``adjoints`` (∂L/∂name for every variable, with each contribution) and ``gradient[param]``."""

    values: dict
    adjoints: Adjoints
    gradient: dict
    loss_name: str = "L"

    @property
    def loss(self) -> float:
        return float(self.values[self.loss_name])


def operand_value(values: Mapping, ref, K: FloatKernel = FLOAT):
    """The value of an operand: a named array, or a number as a 0-d array of ``K``."""
    return K.const(ref) if isinstance(ref, Fraction) else values[ref]


def forward_values(graph: TensorGraph, point: Mapping, K: FloatKernel = FLOAT) -> dict:
    """{name: array} for every parameter, input and node; ``point`` maps parameters, inputs and y to arrays."""
    values = {name: np.asarray(v, dtype=K.dtype) for name, v in point.items()}
    for node in graph.nodes:
        args = [operand_value(values, a, K) for a in node.args]
        with np.errstate(all="ignore"):
            try:
                out = node.rule.forward(K, *args, **node.kw)
            except (OverflowError, ZeroDivisionError, ValueError, MathError) as err:
                raise MathError(f"the forward pass fails at {node!r}: {err}") from None
        values[node.name] = np.asarray(out, dtype=K.dtype)
    return values


def vjp(graph: TensorGraph, values: Mapping, up, edge: Edge, K: FloatKernel = FLOAT):
    """The contribution of ``edge`` to its child's adjoint: the operation's VJP for that operand."""
    node = graph[edge.node]
    args = [operand_value(values, a, K) for a in node.args]
    with np.errstate(all="ignore"):
        out = node.rule.vjps[edge.index](K, np.asarray(up, dtype=K.dtype), args, values[node.name], **node.kw)
    return np.asarray(out, dtype=K.dtype)


def backward_values(graph: TensorGraph, values: Mapping, K: FloatKernel = FLOAT) -> Adjoints:
    """∂L/∂v for every variable v by one reverse pass from L (∂L/∂L = 1)."""
    return backward(graph.order, graph.below, graph.loss, K.const(1),
                    pull=lambda up, edge: vjp(graph, values, up, edge, K),
                    add=lambda parts: reduce(lambda s, t: s + t, parts))


def tensor_pass(graph: TensorGraph, params: Mapping, sample: Mapping) -> TensorPass:
    """Forward values, adjoints and the gradient of every parameter (zeros where L does not reach)."""
    point = {**{n: np.asarray(v, dtype=float) for n, v in params.items()},
             **{n: np.asarray(v, dtype=float) for n, v in sample.items()}}
    values = forward_values(graph, point)
    adjoints = backward_values(graph, values)
    gradient = {n: np.asarray(adjoints.value.get(n, np.zeros(shape)), dtype=float) for n, shape in graph.params}
    return TensorPass(values, adjoints, gradient, graph.loss)


def step(params: Mapping, gradient: Mapping, lr: float) -> dict:
    """One gradient-descent update, W ← W − η ∂L/∂W, for every parameter."""
    return {n: np.asarray(v, dtype=float) - lr * gradient[n] for n, v in params.items()}
