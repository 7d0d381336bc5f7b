"""Checks that a derived gradient is right: against SymPy's diff and numerically.

``agrees_with_diff`` compares a closed form with ``sympy.diff`` of the whole
loss (sigmoid and relu rewritten as exp and Max, so SymPy differentiates them
from their definitions, not from our rules). Equality is shown symbolically
when it can be: first by an exact identity test with the functions' values as
indeterminates (:mod:`symback.core.identity`, milliseconds), then, for an identity
that needs a relation between functions (sin² + cos² = 1), by SymPy's
simplify within a time bound. Otherwise the two are compared at random
points, and the check says which was done.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import sympy

from ..errors import MathError
from ..model.ops import DEFINED, elementary
from .identity import identical
from .numeric import evaluate
from ..timebox import within

SIMPLIFY_SECONDS = 2.0
#: differences larger than this are compared at points, not simplified (what the identity test leaves
#: undecided is SymPy's diff of Abs with re/im parts; simplify settles none of it in seconds)
SYMBOLIC_MAX_OPS = 60


@dataclass(frozen=True)
class Check:
    """The outcome of a comparison: ``ok``, and ``method`` ('symbolic', 'numeric')."""

    ok: bool
    method: str
    points: int = 0

    def __bool__(self) -> bool:
        return self.ok


@lru_cache(maxsize=64)  # the loss, once for all its parameters
def _comparable(expr: sympy.Expr) -> sympy.Expr:
    # relu'(0) is 0 for us (as PyTorch), 1/2 for SymPy: they differ only at the kink.
    # 0**u is 0 for u > 0 (derivative 0, as we and PyTorch take it); SymPy's diff gives 0**u·log 0 = nan.
    # Each rewrite walks the whole expression: only those that apply are made.
    kinds = {type(f) for f in expr.atoms(sympy.Function)}
    if kinds & set(DEFINED):
        expr = elementary(expr)
    if any(p.base.is_zero and not p.exp.is_number for p in expr.atoms(sympy.Pow)):
        expr = expr.replace(lambda e: e.is_Pow and e.base.is_zero and not e.exp.is_number,
                            lambda e: sympy.Piecewise((0, e.exp > 0), (1, True)))
    if sympy.Heaviside in kinds:
        expr = expr.replace(lambda e: isinstance(e, sympy.Heaviside), lambda e: sympy.Heaviside(e.args[0]))
    return expr


def agrees_with_diff(closed: sympy.Expr, loss: sympy.Expr, wrt: sympy.Symbol, symbols: Sequence[sympy.Symbol],
                     seconds: float = SIMPLIFY_SECONDS) -> Check:
    """Is ``closed`` equal to d(loss)/d(wrt)? ``symbols`` are all free variables."""
    truth = sympy.diff(_comparable(loss), wrt)
    return equal(_comparable(closed), truth, symbols, seconds)


def equal(a: sympy.Expr, b: sympy.Expr, symbols: Sequence[sympy.Symbol], seconds: float = SIMPLIFY_SECONDS) -> Check:
    """Decide a == b: exactly as an identity in the atoms, else by SymPy within ``seconds``, else at points."""
    delta = a - b
    if delta == 0 or identical(a, b):
        return Check(True, "symbolic")
    if seconds > 0 and sympy.count_ops(delta) <= SYMBOLIC_MAX_OPS and within(
            seconds, lambda: sympy.expand(delta) == 0 or sympy.simplify(delta) == 0, False):
        return Check(True, "symbolic")
    return equal_at_points(a, b, symbols)


def equal_at_points(a, b, symbols, points: int = 6, seed: int = 20240) -> Check:
    """Compare a and b at random points where both are defined."""
    rng = random.Random(seed)
    tried = agreed = 0
    while tried < points * 10 and agreed < points:
        tried += 1
        env = {s: rng.uniform(0.1, 0.9) * rng.choice((1, -1, 2)) for s in symbols}
        try:
            va, vb = evaluate(a, env), evaluate(b, env)
        except (MathError, ValueError, OverflowError, ZeroDivisionError, TypeError):
            continue
        if not (math.isfinite(va) and math.isfinite(vb)):
            continue
        if not math.isclose(va, vb, rel_tol=1e-8, abs_tol=1e-10):
            return Check(False, "numeric", agreed + 1)
        agreed += 1
    return Check(agreed > 0, "numeric", agreed)


def finite_difference(f: Callable[[Mapping[str, float]], float], point: Mapping[str, float], name: str,
                      step: float = 1e-6) -> float:
    """Central difference (f(p + h) − f(p − h)) / 2h in the coordinate ``name``."""
    h = step * max(1.0, abs(point[name]))
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (f(up) - f(down)) / (2 * h)


def directional_difference(f: Callable[[Mapping[str, float]], float], point: Mapping[str, float],
                           direction: Mapping[str, float], step: float = 1e-6) -> float:
    """Central difference of f along ``direction``: (f(p + h·d) − f(p − h·d)) / 2h."""
    scale = max([1.0] + [abs(point[k]) for k in direction])
    h = step * scale
    up = {**point, **{k: point[k] + h * d for k, d in direction.items()}}
    down = {**point, **{k: point[k] - h * d for k, d in direction.items()}}
    return (f(up) - f(down)) / (2 * h)
