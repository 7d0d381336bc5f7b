"""Checks of a matrix gradient: SymPy's diff of the loss written entry by entry, and finite differences.

Entry by entry: the forward pass run on the symbolic kernel, with one SymPy symbol per parameter
entry (``W1[0, 1]``) and the inputs as the exact decimals typed, gives the loss as one scalar
expression; ``sympy.diff`` by each entry, evaluated at the point, must equal the matrix-form
gradient entry (to rounding). Only for small shapes: the expression grows with every entry.

Finite differences: (L(θ + h·e) − L(θ − h·e)) / 2h for every entry e of every parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy

from ..numeric import evaluate
from .graph import TensorGraph
from .kernels import SYMBOLIC
from .values import forward_values

#: parameter entries beyond this many get no entry-by-entry SymPy check
MAX_SYMBOLIC_ENTRIES = 64
#: parameter entries beyond this many are checked by finite differences along random directions
MAX_FD_ENTRIES = 200
#: how many random directions
DIRECTIONS = 3
#: relative agreement asked of both checks
TOLERANCE = 1e-6


@dataclass(frozen=True)
class TensorCheck:
    """How far the matrix-form gradient is from a reference: ``error`` the largest relative difference."""

    method: str
    error: float
    agrees: bool
    reference: dict

    def __repr__(self) -> str:
        return f"TensorCheck({self.method}: {'agrees' if self.agrees else 'DISAGREES'}, error {self.error:.2e})"


def entry_symbols(name: str, shape: tuple) -> np.ndarray:
    """An array of real SymPy symbols ``name[i, j]``, one per entry."""
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        label = f"{name}[{', '.join(map(str, index))}]" if index else name
        out[index] = sympy.Symbol(label, real=True)
    return out


def exact_array(values) -> np.ndarray:
    """float values as arrays of the SymPy rationals they print as (0.1 -> 1/10)."""
    values = np.asarray(values, dtype=float)
    out = np.empty(values.shape, dtype=object)
    for index in np.ndindex(*values.shape):
        out[index] = sympy.Rational(str(Fraction(repr(float(values[index])))))
    return out


def entrywise_loss(graph: TensorGraph, params: Mapping, sample: Mapping):
    """(the loss as one SymPy expression in the parameters' entry symbols, {param: its symbol array})."""
    symbols = {n: entry_symbols(n, shape) for n, shape in graph.params}
    point = {**symbols, **{n: exact_array(v) for n, v in sample.items()}}
    values = forward_values(graph, point, SYMBOLIC)
    return np.asarray(values[graph.loss]).item(), symbols


def check_entrywise(graph: TensorGraph, params: Mapping, sample: Mapping, gradient: Mapping) -> TensorCheck | None:
    """The gradient against ∂L/∂θ_e = sympy.diff(L, θ_e) at the point; None when the shapes are too large."""
    if sum(int(np.prod(shape)) for _, shape in graph.params) > MAX_SYMBOLIC_ENTRIES:
        return None
    loss, symbols = entrywise_loss(graph, params, sample)
    env = {s: float(v) for n, arr in symbols.items() for s, v in zip(arr.reshape(-1), np.ravel(params[n]))}
    reference = {}
    for name, arr in symbols.items():
        flat = [evaluate(sympy.diff(loss, s), env) for s in arr.reshape(-1)]
        reference[name] = np.asarray(flat, dtype=float).reshape(arr.shape)
    return _compare("sympy.diff entry by entry", gradient, reference)


def check_finite_differences(graph: TensorGraph, params: Mapping, sample: Mapping, gradient: Mapping,
                             h: float = 1e-6) -> TensorCheck:
    """The gradient against central differences of the float64 loss, entry by entry (beyond
    MAX_FD_ENTRIES entries: along DIRECTIONS random directions d, (L(θ + h·d) − L(θ − h·d))/2h
    against ∇L·d, which checks every entry at once)."""
    base = {n: np.array(v, dtype=float) for n, v in params.items()}
    if sum(v.size for v in base.values()) > MAX_FD_ENTRIES:
        return directional_check(lambda values: float(forward_values(graph, {**values, **sample})[graph.loss]),
                                 base, gradient, h)
    reference = {}
    for name, value in base.items():
        estimate = np.zeros(value.shape)
        for index in np.ndindex(*value.shape):
            step = h * max(1.0, abs(value[index]))
            estimate[index] = (_loss_at(graph, base, sample, name, index, step)
                               - _loss_at(graph, base, sample, name, index, -step)) / (2 * step)
        reference[name] = estimate
    return _compare("central finite differences", gradient, reference, tolerance=1e-5)


def directional_check(loss, base: Mapping, gradient: Mapping, h: float = 1e-6) -> TensorCheck:
    """Central differences of ``loss`` (a function of {param: array}) along DIRECTIONS fixed random
    directions, against the gradient's directional derivatives."""
    rng = np.random.default_rng(0)
    error = 0.0
    for _ in range(DIRECTIONS):
        d = {n: rng.standard_normal(v.shape) for n, v in base.items()}
        estimate = (loss({n: v + h * d[n] for n, v in base.items()})
                    - loss({n: v - h * d[n] for n, v in base.items()})) / (2 * h)
        exact = float(sum(np.sum(np.asarray(gradient[n], dtype=float) * d[n]) for n in base))
        error = max(error, abs(estimate - exact) / max(1.0, abs(exact)))
    return TensorCheck("central finite differences", error, error <= 1e-5, {})


def _loss_at(graph, params, sample, name, index, delta) -> float:
    moved = dict(params)
    moved[name] = params[name].copy()
    moved[name][index] += delta
    return float(forward_values(graph, {**moved, **sample})[graph.loss])


def _compare(method, gradient, reference, tolerance=TOLERANCE) -> TensorCheck:
    error = 0.0
    for name, ref in reference.items():
        got = np.asarray(gradient[name], dtype=float)
        scale = np.maximum(1.0, np.abs(ref))
        error = max(error, float(np.max(np.abs(got - ref) / scale)) if ref.size else 0.0)
    return TensorCheck(method, error, bool(error <= tolerance), reference)
