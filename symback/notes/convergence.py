"""Why the learning rate converges: one parameter's update as a map.

With a single parameter w, one step of gradient descent is the map

    g(w) = w − η·∂L/∂w,        g'(w) = 1 − η·K,    K = ∂²L/∂w²

(K is the curvature of the loss). An error e = w − w* about a fixed point
w* = g(w*) becomes g'·e after the step: exactly when K does not depend on w
(the map is affine, g(w) = a·w + b, as for every linear model with squared
error), and to first order near w* otherwise. So the step shrinks the error iff

    |1 − η·K| < 1   ⟺   0 < η < 2/K        (for K > 0).

For y_hat = w·x and L = (y_hat − y)² this is w ↦ (1 − 2ηx²)·w + 2ηxy and
η < 1/x². Everything symbolic here is derived by SymPy from the closed-form
gradient of the Derivation (the bound by ``solve_univariate_inequality``);
nothing is typed in. SGD applies one map per sample, so an epoch is their
composition w ↦ A·w + B with A = Π aᵢ; full-batch descent applies one map
whose curvature is the mean of the samples'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from ..core.numeric import evaluate
from ..model.parse import symbol
from ..timebox import within

ETA = symbol("eta")
#: beyond this many samples the per-sample maps are not worked out
MAX_SAMPLES = 5000
#: the time bound of each symbolic step here (expand, solve, simplify)
SECONDS = 1.0


@dataclass(frozen=True)
class SampleMap:
    """One sample's step: curvature K, slope a = 1 − ηK, offset b = g(0), bound 2/K."""

    point: dict
    curvature: float
    slope: float
    offset: float | None
    bound: float | None


@dataclass(frozen=True)
class Convergence:
    """The update map of a one-parameter problem, symbolic and at the numbers.

    ``at`` is the parameter value where K is evaluated when the map is not
    affine (the learned value); ``epoch_slope`` is A (SGD: Π aᵢ in data order;
    batch: 1 − η·mean K); ``fixed_point`` is B/(1 − A) for affine maps.
    """

    param: sympy.Symbol
    mode: str
    step: sympy.Expr
    affine_map: sympy.Expr | None
    slope: sympy.Expr
    curvature: sympy.Expr
    bound: sympy.Expr | None
    at: float | None
    samples: tuple[SampleMap, ...]
    epoch_slope: float | None
    epoch_offset: float | None
    #: False where SymPy could not expand the map (or solve for η) within its bound: the notes say so
    expanded: bool = True
    solved: bool = True

    @property
    def mean_curvature(self) -> float:
        return math.fsum(s.curvature for s in self.samples) / len(self.samples)

    @property
    def batch_bound(self) -> float | None:
        """2/K̄: the largest stable η of full-batch descent (K̄ the mean curvature)."""
        return 2 / self.mean_curvature if self.mean_curvature > 0 else None

    @property
    def affine(self) -> bool:
        return self.affine_map is not None

    @property
    def fixed_point(self) -> float | None:
        """w* = B/(1 − A), where one epoch's map w ↦ A·w + B stays put."""
        if not self.affine or self.epoch_slope is None or self.epoch_slope == 1:
            return None
        return self.epoch_offset / (1 - self.epoch_slope)

    @property
    def smallest_bound(self) -> float | None:
        bounds = [s.bound for s in self.samples if s.bound is not None]
        return min(bounds) if bounds else None


def convergence(derivation, mode: str, learned: float) -> Convergence | None:
    """The analysis for a one-parameter Derivation, or None where it does not apply."""
    problem = derivation.problem
    if len(derivation.gradients) != 1 or len(problem.data) > MAX_SAMPLES:
        return None
    gradient = derivation.gradients[0]
    if gradient.closed is None:
        return None
    w = gradient.param
    step = w - ETA * gradient.closed
    curvature = sympy.diff(gradient.closed, w)
    slope = sympy.diff(step, w)
    affine = w not in curvature.free_symbols
    at = None if affine else learned
    samples = tuple(_sample(problem, row, w, step, curvature, slope, at) for row in _rows(problem))
    if any(not math.isfinite(s.slope) for s in samples):
        return None
    epoch = _compose(samples, mode, problem.lr)
    affine_map, expanded = _affine_map(step, w) if affine else (None, True)
    bound = stability_bound(curvature)
    solved = bound is not None or _eta_bound() is not None  # no bound: K ≤ 0, or SymPy ran out of time
    return Convergence(w, mode, step, affine_map, slope, curvature, bound, at, samples,
                       *epoch, expanded=expanded, solved=solved)


def _rows(problem):
    return (problem.sample(i) for i in range(len(problem.data)))


def _affine_map(step: sympy.Expr, w: sympy.Symbol) -> tuple[sympy.Expr, bool]:
    """(a·w + b, expanded) with a = ∂g/∂w and b = g(0), unevaluated so it prints in that order.

    a and b are read off the expanded map when SymPy expands it within the
    bound (expanded is True), else taken as they stand (a = ∂g/∂w, b = g(0)):
    equal, only longer.
    """
    parts = within(SECONDS, lambda: sympy.collect(sympy.expand(step), w, evaluate=False), None)
    expanded = parts is not None
    if not expanded:
        parts = {w: sympy.diff(step, w), sympy.Integer(1): step.subs(w, 0)}
    a, b = parts.get(w, sympy.Integer(0)), parts.get(sympy.Integer(1), sympy.Integer(0))
    return sympy.Add(sympy.Mul(a, w, evaluate=False), b, evaluate=False), expanded


def stability_bound(curvature: sympy.Expr, seconds: float = 1.0) -> sympy.Expr | None:
    """The largest stable η, 2/K, found by solving |1 − η·K| < 1 for η > 0.

    SymPy solves the inequality with K a positive symbol (giving η < 2/K),
    then K is replaced by the curvature. None if K is not positive somewhere
    it is known (then no step size helps) or SymPy cannot solve it in time.
    """
    if curvature.is_nonpositive:
        return None
    solved = _eta_bound(seconds)
    if solved is None:
        return None
    plain = solved.subs(_K, curvature)
    simpler = within(seconds, lambda: sympy.simplify(plain), plain)
    return min((plain, simpler), key=sympy.count_ops)


_K = sympy.Symbol("K", positive=True)


def _eta_bound(seconds: float = 1.0) -> sympy.Expr | None:
    """2/K, as SymPy solves |1 − η·K| < 1 for η > 0 with K > 0; None if it cannot within its bound."""
    eta = sympy.Symbol("eta", positive=True)
    solved = within(seconds, lambda: sympy.solve_univariate_inequality(abs(1 - eta * _K) < 1, eta,
                                                                       relational=True), None)
    if not isinstance(solved, sympy.StrictLessThan) or solved.lhs != eta:
        return None
    return solved.rhs


def _sample(problem, row, w, step, curvature, slope, at) -> SampleMap:
    env = {symbol(n): v for n, v in row.items()}
    env[ETA] = problem.lr
    env[w] = at if at is not None else 0.0
    k = _number(curvature, env)
    offset = _number(step, env) if at is None else None  # g(0) = b, for an affine map only
    bound = 2 / k if k > 0 else None
    return SampleMap(dict(row), k, _number(slope, env), offset, bound)


def _number(expr, env) -> float:
    try:
        return evaluate(expr, env)
    except (ArithmeticError, ValueError):
        return math.nan


def _compose(samples, mode: str, lr: float) -> tuple:
    """(A, B) of one epoch's map w ↦ A·w + B; B is None unless every map is affine."""
    affine = all(s.offset is not None for s in samples)
    if mode == "sgd":
        A, B = 1.0, 0.0
        for s in samples:  # w ↦ a·(A·w + B) + b
            A, B = s.slope * A, (s.slope * B + s.offset) if affine else None
        return A, B
    if mode == "batch":
        n = len(samples)
        mean_k = math.fsum(s.curvature for s in samples) / n
        B = math.fsum(s.offset for s in samples) / n if affine else None
        return 1 - lr * mean_k, B
    return None, None  # minibatches are shuffled: no single epoch map
