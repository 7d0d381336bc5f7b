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

from ..timebox import within

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
    treats each as one factor. Those parts stand aside, each as its own
    symbol, while the rest is factored: the closed forms of all parameters
    share them (the residual, the activations), so each is factored once,
    and the forms with the parts put back are built once too. (exp(u) stays,
    since factor_terms pulls e^u out of e^(2u); so does a base with a number
    to pull out, which factor_terms would move between factors.)
    """
    skeleton = _skeleton(expr)
    if skeleton is expr:
        return sympy.factor_terms(expr)
    return _restored(sympy.factor_terms(skeleton))


class _Part(sympy.Dummy):
    """A symbol standing for a part that is factored on its own (``part`` holds it, factored)."""

    __slots__ = ("part",)


@lru_cache(maxsize=8192)
def _stand_in(part: sympy.Expr) -> _Part:
    symbol = _Part()
    symbol.part = part
    return symbol


@lru_cache(maxsize=8192)
def _skeleton(expr: sympy.Expr) -> sympy.Expr:
    """expr with each outermost part that factor_terms factors on its own replaced by its stand-in."""
    if expr.is_Function and not isinstance(expr, sympy.exp):
        return _stand_in(_factored_part(expr))
    if expr.is_Pow and _plain_sum(_factored_part(expr.base)):
        return expr.func(_stand_in(_factored_part(expr.base)), _skeleton(expr.exp))
    args = tuple(_skeleton(a) for a in expr.args)
    return expr if args == expr.args else expr.func(*args)


def _plain_sum(expr: sympy.Expr) -> bool:
    """A sum with no number to pull out (a + b/2 has 1/2: factor_terms would move it)."""
    return expr.is_Add and expr.as_content_primitive()[0] == 1


@lru_cache(maxsize=4096)
def _factored_part(part: sympy.Expr) -> sympy.Expr:
    if part.is_Function:
        return part.func(*[factor_terms(arg) for arg in part.args])
    return factor_terms(part)


@lru_cache(maxsize=8192)
def _restored(expr: sympy.Expr) -> sympy.Expr:
    """expr with the parts put back, keeping factor_terms' 2·(a + b) (xreplace would give 2a + 2b)."""
    if isinstance(expr, _Part):
        return expr.part
    args = tuple(_restored(a) for a in expr.args)
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
