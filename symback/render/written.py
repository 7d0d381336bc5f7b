"""Expressions in the order the user wrote them, for printing.

SymPy sorts the terms of every sum and product; the parser remembers the
order they were written in (``Problem.orders``). ``as_written`` rebuilds an
expression unevaluated with that order, so ``w*x + b`` prints as written and
not as ``b + w*x``. The value is unchanged: only the order of arguments.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

import sympy


def as_written(expr: sympy.Expr, orders: Mapping) -> sympy.Expr:
    """``expr`` with sums and products in the written order (unevaluated)."""
    if expr.is_Atom or not expr.args:
        return expr
    args = [as_written(a, orders) for a in _ordered_args(expr, orders)]
    if expr.is_Add or expr.is_Mul:
        return expr.func(*args, evaluate=False)
    if expr.is_Pow:
        return sympy.Pow(*args, evaluate=False)
    if isinstance(expr, sympy.Function):
        return expr.func(*args, evaluate=False)  # |ŷ − y| and relu(2.5 − 4) as written, not |y − ŷ| and 0
    return expr.func(*args)


def _ordered_args(expr, orders):
    written = orders.get(expr)
    if written is not None and Counter(written) == Counter(expr.args):
        return list(written)
    return list(expr.args)
