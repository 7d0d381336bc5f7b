"""Closed forms made readable: common factors pulled out, fractions cancelled where they can.

    2·x·(w·x + b − y) + 2·w·(w·x + b − y)   ->  2·(w + x)·(b + w·x − y)     (factor_terms)
    −x·σ·(1 − σ)·(y/σ + (y − 1)/(1 − σ))    ->  x·(σ − y)                   (cancel, factor)

SymPy's factor_terms does the first, cancel and factor the second. Both are
costly on the closed forms of a deep model, so the work is shared and
skipped where it cannot help: the parts factor_terms factors on their own
(function arguments, bases of powers) are factored once per process,
and cancel runs only where a product shares a factor with a denominator in
one of its sums and the polynomials are small.
"""

from __future__ import annotations

import math
from functools import lru_cache

import sympy

from .timebox import within

#: closed forms larger than this are not put through cancel/factor
TIDY_MAX_OPS = 80
#: nor those whose polynomials would expand to more terms than this (cancel expands them: seconds, no gain)
TIDY_MAX_TERMS = 50


def tidy(expr: sympy.Expr, seconds: float = 0.5) -> sympy.Expr:
    """The shorter of: expr with common factors pulled out, and that form with
    fractions cancelled and factored (only when a fraction can cancel, and only
    time-bounded; trigonometric simplification is left out on purpose: it is
    slow and rarely shorter)."""
    plain = _absorb_sign(factor_terms(expr))
    if (seconds <= 0 or not _cancellable(plain) or sympy.count_ops(plain) > TIDY_MAX_OPS
            or _expanded_terms(plain) > TIDY_MAX_TERMS):
        return plain
    cancelled = within(seconds, lambda: _absorb_sign(sympy.factor(sympy.cancel(plain))), plain)
    return min([plain, cancelled], key=sympy.count_ops)


def factor_terms(expr: sympy.Expr) -> sympy.Expr:
    """``sympy.factor_terms(expr)``, with the parts it factors on their own factored once per process.

    factor_terms factors inside f(u) and inside the base of a power, and then
    treats each as one factor.
    Those parts stand aside as dummies while the rest is factored: the
    closed forms of all parameters share them (the residual, the
    activations), so each is factored once. (exp(u) stays, since factor_terms
    pulls e^u out of e^(2u); so does a base with a number to pull out, which
    factor_terms would move between factors.)
    """
    units: dict = {}
    _units(expr, units)
    if not units:
        return sympy.factor_terms(expr)
    dummies = {unit: sympy.Dummy() for unit in set(units.values())}
    out = sympy.factor_terms(_put_back(expr, {part: dummies[unit] for part, unit in units.items()}))
    return _put_back(out, {d: unit for unit, d in dummies.items()})


def _units(expr: sympy.Expr, found: dict) -> None:
    """{part: its factored form} for the outermost parts of expr that factor_terms factors on their own."""
    if expr.is_Function and not isinstance(expr, sympy.exp):
        found[expr] = _factored_part(expr)
        return
    parts = [expr.base] if expr.is_Pow else []
    for arg in expr.args:
        if arg in parts and _plain_sum(_factored_part(arg)):
            found[arg] = _factored_part(arg)
        else:
            _units(arg, found)


def _plain_sum(expr: sympy.Expr) -> bool:
    """A sum with no number to pull out (a + b/2 has 1/2: factor_terms would move it)."""
    return expr.is_Add and expr.as_content_primitive()[0] == 1


@lru_cache(maxsize=4096)
def _factored_part(part: sympy.Expr) -> sympy.Expr:
    if part.is_Function:
        return part.func(*[factor_terms(arg) for arg in part.args])
    return factor_terms(part)


def _put_back(expr: sympy.Expr, values: dict) -> sympy.Expr:
    """expr with the dummies replaced, keeping factor_terms' 2·(a + b) (xreplace would give 2a + 2b)."""
    if expr in values:
        return values[expr]
    args = tuple(_put_back(a, values) for a in expr.args)
    if args == expr.args:
        return expr
    keep = expr.is_Mul and len(args) == 2 and args[0].is_Number and args[1].is_Add
    return sympy.Mul(*args, evaluate=False) if keep else expr.func(*args)


def _cancellable(expr: sympy.Expr) -> bool:
    """Does a product hold a factor whose reciprocal appears in one of its sums (σ·(y/σ + ...))?

    A closed form is a sum of chain-rule products, so what cancels is such a
    shared factor. Without one, cancel and factor find nothing shorter and
    are costly (seconds on forms with many functions), so they are skipped.
    """
    for product in expr.atoms(sympy.Mul):
        up, down = _bases(product.args)
        inner = [f for s in product.args if s.is_Add for t in s.args for f in sympy.Mul.make_args(t)]
        inner_up, inner_down = _bases(inner)
        if up & inner_down or down & inner_up:
            return True
    return False


def _bases(factors) -> tuple[set, set]:
    """The bases of the factors with positive and with negative integer exponents (√u·(a/√u + b)
    is no fraction that cancels)."""
    up, down = set(), set()
    for f in factors:
        base, exp = f.as_base_exp()
        if exp.is_Integer:
            (down if exp.is_negative else up).add(base)
    return up, down


def _expanded_terms(expr: sympy.Expr) -> int:
    """An upper bound on the terms of expr multiplied out: (a + b + c)³ has at most 3³ = 27."""
    if expr.is_Add:
        return sum(_expanded_terms(t) for t in expr.args)
    if expr.is_Mul:
        return math.prod(_expanded_terms(f) for f in expr.args)
    if expr.is_Pow and expr.exp.is_Integer:
        return _expanded_terms(expr.base) ** min(abs(int(expr.exp)), 20)
    return 1


def _absorb_sign(expr: sympy.Expr) -> sympy.Expr:
    """−x·(y − σ) -> x·(σ − y): a leading minus goes into a sum factor."""
    if not (expr.is_Mul and expr.could_extract_minus_sign()):
        return expr
    sums = [f for f in expr.args if f.is_Add]
    if len(sums) != 1:
        return expr
    rest = [f for f in expr.args if f is not sums[0]]
    return sympy.Mul(-sympy.Mul(*rest), -sums[0])
