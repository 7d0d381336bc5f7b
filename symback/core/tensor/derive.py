"""TensorProblem -> TensorDerivation: everything a matrix explanation shows, computed once.

For one sample: the graph with shapes, the forward values (float64, and the entries shown, exact
where the arithmetic is), the local steps (each edge's matrix rule), the backward pass (each edge's
vector-Jacobian product and each sum of contributions, shown), the gradient checked against
``sympy.diff`` of the loss written entry by entry and against central finite differences, and the
update ``W ← W − η ∂L/∂W``. Renderers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np

from ...errors import MathError, SpecError, option
from ..reverse import Adjoints
from .kernels import FLOAT
from .graph import Edge, TensorGraph, TNode, build_tensor_graph
from .shown import Pair, typed_array, backward_shown, forward_shown, shown_of
from .values import forward_values, step
from .verify import TensorCheck, check_entrywise, check_finite_differences


@dataclass(frozen=True)
class Local:
    """The edge ``node`` → operand ``child`` (argument ``index``) and, for an elementwise function,
    the shown values of f′ at the operand (``derivative``)."""

    node: TNode
    index: int
    child: str
    derivative: np.ndarray | None = None


@dataclass(frozen=True)
class TensorDerivation:
    """One sample's explanation of a matrix model (see the module docstring)."""

    #: the printers tell a matrix explanation from a scalar one by this, without importing NumPy
    is_tensor = True

    problem: object
    graph: TensorGraph
    sample: dict
    values: dict
    shown: dict
    locals: tuple
    adjoints: Adjoints
    gradient: dict
    params_after: dict
    update_shown: dict
    checks: tuple
    index: int = 0
    entry: object = field(default=None, compare=False)
    #: the loss on the same sample after the update
    loss_after: float = float("nan")

    @property
    def loss(self) -> float:
        return float(self.values[self.graph.loss])

    @property
    def loss_shown(self):
        return np.asarray(self.shown[self.graph.loss]).item()

    def gradient_shown(self, name: str) -> np.ndarray:
        return self.adjoints.value[name].shown

    def __repr__(self) -> str:
        grads = {n: np.round(g, 6).tolist() for n, g in self.gradient.items()}
        return f"TensorDerivation(loss={self.loss!r}, gradient={grads})"


def explain_tensor(problem, sample=0) -> TensorDerivation:
    """The derivation of ``problem`` at sample ``sample`` (an index, or a mapping of values)."""
    if isinstance(sample, Mapping):
        from ...model.tensor_spec import _sample, _values
        row, index = _sample(_values(sample, "sample value"), problem.inputs, 0), 0
    else:
        if not 0 <= int(sample) < len(problem.samples):
            raise SpecError(f"there is no sample {int(sample) + 1}; the data have {len(problem.samples)}")
        row, index = problem.samples[int(sample)], int(sample)
    graph = build_tensor_graph(problem, row)
    _check_label(problem, graph, row)
    params = problem.param_values
    values = forward_values(graph, {**params, **row})
    _check_finite(graph, values)
    shown = forward_shown(graph, values)
    adjoints = backward_shown(graph, values, shown)
    for name, shape in graph.params:  # a parameter L does not reach (it cancels) has gradient 0
        adjoints.value.setdefault(name, Pair(np.zeros(shape), typed_array(np.zeros(shape))))
    gradient = {n: adjoints.value[n].value for n, _ in graph.params}
    after = step(params, gradient, problem.lr)
    update = {n: _update_shown(shown[n], adjoints.value[n], problem.lr, after[n]) for n, _ in graph.params}
    checks = tuple(c for c in (check_entrywise(graph, params, row, gradient),
                               check_finite_differences(graph, params, row, gradient)) if c is not None)
    loss_after = float(forward_values(graph, {**after, **row})[graph.loss])
    return TensorDerivation(problem, graph, row, values, shown, _locals(graph, values, shown), adjoints, gradient,
                            after, update, checks, index, loss_after=loss_after)


def _update_shown(before, grad: Pair, lr: float, after) -> np.ndarray:
    eta = Fraction(repr(float(lr)))
    operands = [(np.asarray(before, dtype=float), before), (grad.value, grad.shown), eta]
    return shown_of(lambda K, w, g, lr_: w - lr_ * g, operands, after)


def _locals(graph: TensorGraph, values, shown) -> tuple:
    out = []
    for node in graph.nodes:
        for edge in node.edges():
            derivative = None
            if node.op == "apply":
                f = node.kw["f"]
                arg = node.args[0]
                computed = FLOAT.derivative(f, values[arg])
                derivative = shown_of(lambda K, a: K.derivative(f, a), [(values[arg], shown[arg])], computed)
            out.append(Local(node, edge.index, edge.child, derivative))
    return tuple(out)


def _check_label(problem, graph: TensorGraph, row) -> None:
    """The class index of ce is a whole number from 0 to (number of classes − 1)."""
    if problem.loss_name != "ce":
        return
    classes = graph.shape(graph.output)[0]
    y = float(np.asarray(row["y"]))
    if not y.is_integer() or not 0 <= y < classes:
        raise SpecError(f"with {option('loss')} ce, y is a class index: a whole number from 0 to {classes - 1}, not {y:g}")


def _check_finite(graph: TensorGraph, values) -> None:
    for node in graph.nodes:
        if not np.isfinite(values[node.name]).all():
            raise MathError(f"{node!r} is not finite at this point; choose other parameter values or data")


__all__ = ["TensorDerivation", "Local", "explain_tensor", "TensorCheck", "Edge"]
