"""The batch: the mean loss over every row of the data, and its gradient.

    L = (1/N) Σᵢ Lᵢ,      ∂L/∂p = (1/N) Σᵢ ∂Lᵢ/∂p

Each row is derived as one sample (the graph, the local derivatives and the
closed forms are shared); the batch gradient is the mean of the per-sample
gradients, and the update uses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from . import exact
from .derive import Derivation, Results, derive, local_derivatives, shown_loss, symbolic_gradients, update
from ..errors import MathError, SpecError, option
from .graph import Graph, build_graph
from ..model.spec import Problem

#: a batch explanation derives every row; more than this is a job for symback train
MAX_ROWS = 10_000

#: the symbol of the sample index in sum notation
INDEX = sympy.Symbol("i", integer=True, positive=True)


@dataclass(frozen=True)
class BatchGradient:
    """∂L/∂param of the mean loss: the per-sample values and their mean."""

    param: sympy.Symbol
    value: float
    per_sample: tuple[float, ...]
    closed: sympy.Expr | None
    before: float
    after: float


@dataclass(frozen=True)
class BatchDerivation(Results):
    """Every sample's derivation, and the mean loss, gradient and update."""

    problem: Problem
    graph: Graph
    samples: tuple[Derivation, ...]
    gradients: tuple[BatchGradient, ...]
    loss: float
    loss_after: float

    def __repr__(self) -> str:
        grads = ", ".join(f"{g.param}: {g.value!r}" for g in self.gradients)
        return f"BatchDerivation(samples={len(self.samples)}, loss={self.loss!r}, gradient={{{grads}}})"

    @property
    def locals(self):
        return self.samples[0].locals


def explain_batch(problem: Problem) -> BatchDerivation:
    """Derive every row, then average: the gradient of the mean loss."""
    if len(problem.data) > MAX_ROWS:
        raise SpecError(f"a batch explanation derives every sample, and the data have {len(problem.data):,} rows "
                        f"(at most {MAX_ROWS:,}); explain one sample instead ({option('sample')}), or train on all of them "
                        "with symback train")
    graph = build_graph(problem)
    locals_ = local_derivatives(graph)
    symbolic = symbolic_gradients(problem, graph, locals_)
    samples = tuple(derive(problem, graph, locals_, problem.sample(i), symbolic, shown_after=False)
                    for i in range(len(problem.data)))
    n = len(samples)
    loss = _mean([s.loss for s in samples])
    gradients = []
    for k, param in enumerate(graph.params):
        per_sample = tuple(s.gradients[k].value for s in samples)
        value = _mean(per_sample)
        before = problem.param_values[param.name]
        after = update(before, problem.lr, value)
        if not math.isfinite(after):
            raise MathError(f"the update of {param} is not finite; try a smaller learning rate")
        gradients.append(BatchGradient(param, value, per_sample, samples[0].gradients[k].closed, before, after))
    new = {g.param.name: g.after for g in gradients}
    loss_after = _mean([shown_loss(graph, {**problem.param_values, **new, **problem.sample(i)}) for i in range(n)])
    return BatchDerivation(problem, graph, samples, tuple(gradients), loss, loss_after)


def _mean(values) -> float:
    """The mean, summed left to right as a loop (and PyTorch's mean) would; shown numbers
    averaged exactly."""
    total = 0.0
    for value in values:
        total += value
    mean = total / len(values)
    if not all(isinstance(v, exact.Shown) and v.exact is not None for v in values):
        return mean
    return exact.result(mean, sum(v.exact for v in values) / len(values), values)


def indexed(expr: sympy.Expr, names) -> sympy.Expr:
    """``expr`` with each data column x written xᵢ, for sum notation."""
    return expr.xreplace({s: sympy.IndexedBase(s.name)[INDEX] for s in expr.free_symbols if s.name in names})


def mean_notation(expr: sympy.Expr, names, n: int) -> sympy.Expr:
    """(1/N) Σᵢ expr(xᵢ, yᵢ), unevaluated, for printing."""
    total = sympy.Sum(indexed(expr, names), (INDEX, 1, n))
    return sympy.Mul(sympy.Rational(1, n), total, evaluate=False)


def mean_expression(expr: sympy.Expr, problem: Problem) -> sympy.Expr:
    """(1/N) Σᵢ expr at row i: an expression in the parameters only."""
    names = list(problem.data.names)
    rows = [dict(zip(names, row)) for row in problem.data.rows]
    terms = [expr.xreplace({sympy.Symbol(k, real=True): _exact(v) for k, v in row.items()}) for row in rows]
    # Unevaluated: collecting thousands of transcendental terms is slow and no clearer.
    return sympy.Mul(sympy.Add(*terms, evaluate=False), sympy.Rational(1, len(rows)), evaluate=False)


def _exact(value: float) -> sympy.Expr:
    return sympy.Integer(int(value)) if float(value).is_integer() else sympy.Float(value)
