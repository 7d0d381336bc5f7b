"""Evaluate a SymPy expression in IEEE double precision, operation by operation.

This is how the explanation gets its numbers: each node of the graph is
evaluated from the float values of its operands, the way PyTorch's float64
tensors would, so the printed numbers agree with a PyTorch run.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from typing import Mapping

import sympy

from ..errors import MathError
from .exact import Shown, decimal_text, round_significant
from ..model.ops import BY_CLASS, sigmoid

_sigmoid = BY_CLASS[sigmoid].evaluate


def log_sigmoid(z: float) -> float:
    """log σ(z) = min(z, 0) − log(1 + e^(−|z|)), finite where σ(z) rounds to 0 or 1 (as train computes it)."""
    return min(z, 0.0) - math.log1p(math.exp(-abs(z)))


def sigmoid_complement(expr: sympy.Expr):
    """z if ``expr`` is 1 − σ(z), else None: 1 − σ(z) = σ(−z) is then computed without cancelling."""
    if expr.is_Add and len(expr.args) == 2 and expr.args[0] is sympy.S.One:
        term = expr.args[1]
        if term.is_Mul and len(term.args) == 2 and term.args[0] is sympy.S.NegativeOne and term.args[1].func is sigmoid:
            return term.args[1].args[0]
    return None


def evaluate(expr: sympy.Expr, env: Mapping[sympy.Symbol, float]) -> float:
    """The float value of ``expr`` with the symbols' values taken from ``env``."""
    if expr.is_Symbol:
        try:
            return float(env[expr])
        except KeyError:
            raise MathError(f"no value for {expr}") from None
    if expr.is_Number or expr.is_NumberSymbol:
        return float(expr)
    if expr.is_Mul:
        return _product(expr.args, env)
    z = sigmoid_complement(expr)
    if z is not None:
        return _sigmoid(-evaluate(z, env))
    args = [evaluate(arg, env) for arg in expr.args]
    if expr.is_Add:
        return _fold(args, lambda s, t: s + t)
    if expr.is_Pow:
        return _power(*args)
    if isinstance(expr, sympy.Heaviside):
        at_zero = args[1] if len(args) > 1 else 0.5
        return 1.0 if args[0] > 0 else (0.0 if args[0] < 0 else at_zero)
    op = BY_CLASS.get(expr.func)
    if op is None:
        return float(expr.xreplace({s: sympy.Float(env[s]) for s in expr.free_symbols}).evalf())
    if op.float_domain and op.float_domain[0](args[0]):
        raise MathError(op.float_domain[1].format(x=format_float(args[0])))
    return op.evaluate(*args)


def _fold(values, op):
    total = values[0]
    for value in values[1:]:
        total = op(total, value)
    return total


def _product(factors, env) -> float:
    """Multiply left to right; a factor v**-1 divides (one rounding, as u/v does)."""
    total = None
    for factor in factors:
        if factor.is_Pow and factor.exp == -1:
            total = _divide(1.0 if total is None else total, evaluate(factor.base, env))
        else:
            value = evaluate(factor, env)
            total = value if total is None else total * value
    return total


def _divide(numerator: float, denominator: float) -> float:
    if denominator == 0:
        raise MathError("division by zero")
    return numerator / denominator


def _power(base: float, exponent: float) -> float:
    # Exact special cases first, so r**2 is r*r and u**-1 is 1/u, as in PyTorch.
    if exponent == 2:
        return base * base
    if exponent == -1:
        return _divide(1.0, base)
    if exponent == 0.5 and base >= 0:
        return math.sqrt(base)
    if base == 0 and exponent < 0:
        raise MathError("division by zero: 0 to a negative power")
    if base < 0 and not float(exponent).is_integer():
        raise MathError(f"{format_float(base)} to the power {format_float(exponent)} is not real")
    try:
        return base**exponent
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        raise MathError("division by zero") from None


#: significant digits for printed numbers (None: all, the shortest round-trip form)
_DIGITS: contextvars.ContextVar = contextvars.ContextVar("symback_digits", default=None)
#: where format_float notes that it rounded (a list), while a watch is active
_ROUNDED: contextvars.ContextVar = contextvars.ContextVar("symback_rounded", default=None)


@contextlib.contextmanager
def significant_digits(digits: int | None):
    """Print numbers with ``digits`` significant digits inside this block."""
    token = _DIGITS.set(digits)
    try:
        yield
    finally:
        _DIGITS.reset(token)


def current_digits() -> int | None:
    """The significant digits set by :func:`significant_digits` (None: every digit)."""
    return _DIGITS.get()


@contextlib.contextmanager
def watch_rounding():
    """Yields a list that is non-empty after a number printed in this block was rounded."""
    marks: list = []
    token = _ROUNDED.set(marks)
    try:
        yield marks
    finally:
        _ROUNDED.reset(token)


def format_float(value: float) -> str:
    """Shortest text that reads back as ``value``: 1.02, -2, 7.999998569488525.

    Whole numbers drop the '.0' (they are printed inside maths, where '2' reads
    better than '2.0'); everything else is Python's round-trip repr. Inside
    :func:`significant_digits` the value is first rounded, and the rounding is
    reported to :func:`watch_rounding`, so printers can write ≈ instead of =.
    A :class:`~symback.core.exact.Shown` prints as its exact number (1.96 for the
    float 1.9599999999999997), and reports itself when it is approximate.
    """
    if isinstance(value, Shown) and value.exact is not None:
        return _format_shown(value)
    value = float(value)
    digits = _DIGITS.get()
    if digits and math.isfinite(value):
        rounded = float(f"{value:.{digits}g}")
        marks = _ROUNDED.get()
        if rounded != value and marks is not None:
            marks.append(value)
        value = rounded
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _format_shown(value: Shown) -> str:
    """The exact number of ``value``; rounded inside :func:`significant_digits`; marked when approximate."""
    exact, digits, marks = value.exact, _DIGITS.get(), _ROUNDED.get()
    if digits:
        rounded = round_significant(exact, digits)
        if rounded != exact and marks is not None:
            marks.append(value)
        exact = rounded
    if value.approx and marks is not None:
        marks.append(value)
    return decimal_text(exact)


def rounds_for_display(value: float) -> bool:
    """Does printing ``value`` inside :func:`significant_digits` change it?"""
    with watch_rounding() as marks:
        shown = Shown(float(value), value.exact, False, False) if isinstance(value, Shown) else value
        format_float(shown)
    return bool(marks)
