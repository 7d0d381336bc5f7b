"""The backward pass of one derivation, recomputable with changes, and comparisons at random points.

:class:`Backprop` computes ∂a/∂b for any node a and variable b below it by
reverse accumulation from the graph's local derivatives,

    adj(a) = 1,   adj(u) = Σ over nodes v that use u of adj(v) · ∂v/∂u,   ∂a/∂b = adj(b),

symbolically (in node names) or numerically at a point, optionally with some
local derivatives or node definitions replaced: that is how symback check
computes both the truth and each candidate mistake. Formulas are compared at
random points: one point where two differ proves they differ.
"""

from __future__ import annotations

import math
import random
from typing import Mapping

import sympy

from ..core.derive import Derivation, Local
from ..errors import MathError
from ..core.graph import node_value
from ..core.numeric import evaluate
from ..core.reverse import added, backward, group_by_node, path_counts

#: how many random points decide that two formulas agree
POINTS = 8
FAILURES = (MathError, ValueError, OverflowError, ZeroDivisionError, TypeError, KeyError)


class Backprop:
    """The backward pass of one derivation, recomputable with changes."""

    def __init__(self, derivation: Derivation):
        self.graph = derivation.graph
        self.order = self.graph.order
        self.below: dict[sympy.Symbol, list[Local]] = group_by_node(derivation.locals)

    def edges(self, top, bottom) -> tuple[Local, ...]:
        """The edges on some path from ``top`` down to ``bottom``, from the top down."""
        reaches = self.paths(bottom)
        walk = backward(self.order, self.below, top, True, lambda up, edge: up and edge.child in reaches, any,
                        leaves=False)  # True where the top reaches through variables that reach the bottom
        return tuple(edge for node in reversed(self.order) if walk.value.get(node)
                     for edge in self.below.get(node, ()) if edge.child in reaches)

    def symbolic(self, top, bottom, locals_: Mapping = None) -> sympy.Expr:
        """∂top/∂bottom in node names: the reverse accumulation, symbolically.

        The same expression as :meth:`_accumulate` gives with SymPy values, in time linear in the
        depth: a product is kept as a linked list of its factors and built once, where it is used,
        instead of being rebuilt with each new factor (quadratic in depth).
        """
        if bottom == top:
            return sympy.S.One
        adjoint = lambda terms: terms[0] if len(terms) == 1 else (_sum(terms), None)  # noqa: E731
        terms = backward(self.order, self.below, top, None, lambda up, local: _times(up, _pick(local, locals_)),
                         adjoint, leaves=False).terms.get(bottom)
        return sympy.Integer(0) if terms is None else _sum(terms)

    def numeric(self, env: Mapping, top, bottom, locals_: Mapping = None, values: Mapping = None) -> float:
        """∂top/∂bottom at the point ``env`` (parameters, inputs, y), numerically."""
        point = self.forward(env, values)
        return self._accumulate(top, bottom, lambda local: evaluate(_pick(local, locals_), point), 0.0)

    def forward(self, env: Mapping, values: Mapping = None) -> dict:
        """Every node's value at ``env``, with some definitions replaced by ``values``."""
        point, sigmoid_of = dict(env), {}
        for node in self.graph.nodes:
            if values:
                point[node.name] = evaluate(values.get(node.name, node.expr), point)
            else:  # the stable σ forms of cross-entropy, as the derivation computes them
                point[node.name] = node_value(node, point, sigmoid_of)
        return point

    def base(self, expr: sympy.Expr) -> sympy.Expr:
        """``expr`` with node names replaced by their definitions, down to parameters and inputs."""
        return self.graph.expand(expr)

    def paths(self, bottom) -> dict:
        """{variable: the number of paths from it down to ``bottom``} (variables that reach it)."""
        return path_counts(self.order, self.below, bottom)

    def paths_from(self, top) -> dict:
        """{variable: the number of paths from ``top`` down to it} (variables below it)."""
        walk = backward(self.order, self.below, top, 1, lambda up, local: up, sum)
        return walk.value

    def _accumulate(self, top, bottom, local_value, zero):
        """adj(bottom), each adjoint summed from ``zero`` in the order of the walk."""
        return backward(self.order, self.below, top, 1, lambda up, local: up * local_value(local), added(zero),
                        leaves=False).of(bottom)


def _times(chain, factor):
    """The chain times ``factor``. A lone number and a sum are multiplied at once, as SymPy's
    ``a * b`` distributes a number over a sum: the product built at the end is then the same."""
    if chain is not None and chain[1] is None:
        alone = chain[0]
        if (alone.is_Rational and factor.is_Add) or (alone.is_Add and factor.is_Rational):
            return (alone * factor, None)
    return (factor, chain)


def _product(chain) -> sympy.Expr:
    factors = []
    while chain is not None:
        factors.append(chain[0])
        chain = chain[1]
    return sympy.Mul(*factors)


def _sum(terms) -> sympy.Expr:
    return sympy.Add(*[_product(chain) for chain in terms])


def _pick(local: Local, changed: Mapping | None) -> sympy.Expr:
    return (changed or {}).get((local.node.name, local.child), local.expr)


def random_points(bp: Backprop, top, bottom, symbols, seed: int = 20240) -> list[dict]:
    """Up to POINTS random points (values of ``symbols``) where ∂top/∂bottom is finite.

    Values avoid 0 and ±1, where a missing factor x or x² would go unnoticed.
    """
    rng, points = random.Random(seed), []
    for _ in range(POINTS * 25):
        env = {s: rng.choice((1, -1)) * rng.uniform(0.15, 1.85) for s in symbols}
        try:
            if math.isfinite(bp.numeric(env, top, bottom)):
                points.append(env)
        except FAILURES:
            continue
        if len(points) == POINTS:
            break
    return points


def values_at(compute, points) -> list[float | None]:
    """compute(env) at each point; None where it is undefined or not finite."""
    out = []
    for env in points:
        try:
            number = float(compute(env))
        except FAILURES:
            number = None
        out.append(number if number is not None and math.isfinite(number) else None)
    return out


def agree(mine: list, theirs: list, at_least: int = 3) -> bool:
    """Equal (to rounding) wherever both are defined, at ``at_least`` points or more.

    The tolerance is relative: to each value of ``theirs`` (the truth), and, for values near
    zero, to the largest of them. An absolute tolerance would pass any answer, 0 included,
    for a gradient that is small everywhere (a deep chain of tanh gives 1e-16).
    """
    pairs = [(a, b) for a, b in zip(mine, theirs) if a is not None and b is not None]
    return len(pairs) >= at_least and all(close(a, b, scale_of(t for _, t in pairs)) for a, b in pairs)


def scale_of(truths) -> float:
    """The size of a gradient over several points: its largest magnitude."""
    return max((abs(t) for t in truths), default=0.0)


def close(mine: float, truth: float, scale: float, rel_tol: float = 1e-7) -> bool:
    """``mine`` equals ``truth`` to rounding: within ``rel_tol`` of it, or of ``scale`` (the
    gradient's size, for a value that is near zero only here); exactly 0 as 1e-12 when both are."""
    return math.isclose(mine, truth, rel_tol=rel_tol, abs_tol=rel_tol * 1e-2 * scale if scale else 1e-12)
