"""The numbers an explanation shows, computed exactly.

A printed "=" is exact. Every number an equation of the explanation shows is a
:class:`Shown`: the float64 value as computed (what the results, training and
PyTorch use) together with the exact number printed for it. Decimals typed by
the user are the rationals they spell (0.1 = 1/10); sums, products, quotients
and integer powers of shown numbers stay exact, so (−1.4)² = 1.96 and
0 − 0.01·(−2.8) = 0.028 hold as printed. A result that is irrational (tanh(1),
e^0.5, ln 2: computed with mpmath to PRECISION digits) or that needs more than
EXACT_DIGITS digits (1/3) is rounded to SIGNIFICANT digits and ``rounded``: its
equation is printed with "≈" and holds to its last digit.

Each step works from the numbers printed for its operands, so every equation
can be checked on its own with the numbers it shows.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from functools import partial
from typing import Mapping

import mpmath
import sympy

from ..model.ops import BY_CLASS

#: significant digits of a rounded result
SIGNIFICANT = 16
#: the most significant digits an exact result is shown with (0.4621171572600098 − 2 = −1.5378828427399902)
EXACT_DIGITS = 17
#: decimal digits mpmath works with for irrational values
PRECISION = 60
#: mpmath numbers beyond 2^±this are not turned into fractions (10^±1200: no float comes near)
MAX_BINARY_EXPONENT = 4000
#: integer powers above this exponent are not computed exactly (the numbers would swell)
MAX_EXACT_EXPONENT = 64
#: an exact value whose numerator or denominator is longer than this many bits is rounded at once
MAX_EXACT_BITS = 4000


class Shown(float):
    """A float64 as computed, printed as the number ``exact`` (a Fraction).

    ``approx``: ``exact`` only approximates the quantity (an operand of the step
    that gave it was approximate, or the step rounded); ``rounded``: that step
    rounded, so its own equation holds only to the printed digits.
    """

    __slots__ = ("exact", "approx", "rounded")

    def __new__(cls, computed: float, exact: Fraction | None, approx: bool = False, rounded: bool = False):
        self = super().__new__(cls, computed)
        self.exact, self.approx, self.rounded = exact, approx, rounded
        return self

    def __reduce__(self):
        return Shown, (float(self), self.exact, self.approx, self.rounded)

    def __repr__(self) -> str:
        return float.__repr__(self)

    def as_result(self) -> "Shown":
        """The value as the right-hand side of its own step: approximate only if that step rounded."""
        return Shown(float(self), self.exact, self.rounded, self.rounded)


def typed(value: float) -> Shown:
    """A number the user gave: exactly the decimal it prints as (0.1 is 1/10)."""
    if isinstance(value, Shown):
        return value
    value = float(value)
    exact = _TYPED.get(value)  # (0.0 and −0.0 share a key, and both are exactly 0)
    if exact is None:
        if not math.isfinite(value):
            return Shown(value, None)
        if len(_TYPED) >= MAX_TYPED:
            _TYPED.clear()
        exact = _TYPED[value] = Fraction(repr(value))
    return Shown(value, exact)


#: float -> the Fraction it prints as: a batch types the same parameters and data again and again
_TYPED: dict = {}
#: the cache is emptied when it grows past this many numbers
MAX_TYPED = 100_000


def exact_of(value) -> Fraction | None:
    """The exact number shown for ``value`` (a float reads as the decimal it prints as)."""
    return typed(value).exact


def result(computed: float, exact, operands=()) -> Shown:
    """The Shown of a step's result: ``exact`` (a Fraction, an mpmath number or None) as printed.

    Rounded to SIGNIFICANT digits unless it is a short terminating decimal;
    without an exact value, the float itself is rounded.
    """
    if exact is None:  # not computed exactly: the float, rounded and marked
        if not math.isfinite(computed):
            return Shown(computed, None, True, True)
        return Shown(computed, round_significant(Fraction(computed), SIGNIFICANT), True, True)
    if type(exact) is not Fraction:  # (type: isinstance of an ABC such as Fraction is slow)
        exact = _fraction(exact)
        if exact is None:
            return Shown(computed, None, True, True)
        return Shown(computed, rounded(exact), True, True)
    if _short(exact) and not _too_long(exact):
        return Shown(computed, exact, any(getattr(o, "approx", True) for o in operands), False)
    return Shown(computed, rounded(exact), True, True)


def _too_long(q: Fraction) -> bool:
    return max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_EXACT_BITS


def _short(q: Fraction) -> bool:
    """Is ``q`` a terminating decimal of at most EXACT_DIGITS significant digits?

    Without writing its digits: for q = n/(2^a·5^b) in lowest terms with a ≠ b or
    b > 0, its digits are those of n·5^(a−b) or n·2^(b−a), which end in no 0."""
    top, bottom = abs(q.numerator), q.denominator
    if bottom == 1:
        return len(str(top).rstrip("0")) <= EXACT_DIGITS
    if top >= 10**EXACT_DIGITS:
        return False  # its digits below are top times an integer
    twos = (bottom & -bottom).bit_length() - 1
    rest, fives = bottom >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return False
    digits = top * 5 ** (twos - fives) if twos >= fives else top << (fives - twos)
    return digits < 10**EXACT_DIGITS


def rounded(q: Fraction) -> Fraction:
    """``q`` to SIGNIFICANT digits; near ±1, the digits of its distance from ±1, as far as they are
    known (σ(60) = 1 − 8.76·10⁻²⁷ is not 1: its 1 − σ must stay positive, and its log finite)."""
    top, bottom = abs(q.numerator), q.denominator
    if top < bottom and (bottom - top) * 10**6 < bottom:  # 0 < 1 − |q| < 10⁻⁶
        gap = 1 - abs(q)
        known = PRECISION - 4 - len(str(gap.denominator // max(gap.numerator, 1)))
        if known >= 3:
            near = 1 - round_significant(gap, min(SIGNIFICANT, known))
            return near if q > 0 else -near
    return round_significant(q, SIGNIFICANT)


def evaluate(expr: sympy.Expr, env: Mapping, computed: float) -> Shown:
    """``expr`` at the exact numbers ``env`` shows (symbol -> Shown), as a Shown of ``computed``."""
    symbols, value_of, irrational = _compiled(expr)
    operands = [env[s] for s in symbols if s in env]
    try:
        if irrational:
            with mpmath.workdps(PRECISION):
                value = value_of(env)
        else:
            value = value_of(env)
    except (ArithmeticError, ValueError, TypeError, KeyError, OverflowError):
        value = None  # outside what is computed exactly: the float, rounded and marked
    return result(computed, value, operands)


#: expression -> (its free symbols, a function of env giving its exact value, whether mpmath may
#: compute part of it); a batch evaluates the same few expressions at every row, so each is turned
#: into nested closures once
_COMPILED: dict = {}
#: the cache is emptied when it grows past this many expressions
MAX_COMPILED = 4096


def _compiled(expr: sympy.Expr):
    entry = _COMPILED.get(expr)
    if entry is None:
        if len(_COMPILED) >= MAX_COMPILED:
            _COMPILED.clear()
        entry = _COMPILED[expr] = (tuple(expr.free_symbols), _closure(expr), _may_be_irrational(expr))
    return entry


#: functions whose value at a rational is rational (at a rational argument)
_RATIONAL_FUNCTIONS = (sympy.Heaviside, *(op.sympy for op in BY_CLASS.values() if op.mpmath is None))


def _may_be_irrational(expr: sympy.Expr) -> bool:
    """Can a part of ``expr`` be computed by mpmath (a function, a constant such as π, a power)?

    Only then is mpmath's precision set: elsewhere Fractions alone are exact."""
    return any(isinstance(e, sympy.Pow) or e.is_NumberSymbol
               or (isinstance(e, sympy.Function) and not isinstance(e, _RATIONAL_FUNCTIONS))
               for e in sympy.preorder_traversal(expr))


def _closure(expr: sympy.Expr):
    """A function of env giving ``expr``'s exact value: a Fraction, or an mpmath number."""
    if expr.is_Symbol:
        return partial(_symbol_value, expr)
    if expr.is_Rational:
        return _constant(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Float:
        return _constant(Fraction(repr(float(expr))))
    if expr.is_NumberSymbol:
        return lambda env: mpmath.mpf(expr.evalf(PRECISION + 5))  # at the precision of the call
    if isinstance(expr, sympy.Heaviside):
        z = _closure(expr.args[0])
        at_zero = _closure(expr.args[1]) if len(expr.args) > 1 else _constant(Fraction(1, 2))

        def heaviside(env):
            value, zero = z(env), at_zero(env)  # both evaluated, as the arguments of any function
            return Fraction(1) if value > 0 else (Fraction(0) if value < 0 else zero)
        return heaviside
    args = tuple(_closure(a) for a in expr.args)
    if expr.is_Add:
        return lambda env: _fold([a(env) for a in args], operator.add)
    if expr.is_Mul:
        return lambda env: _fold([a(env) for a in args], operator.mul)
    if expr.is_Pow:
        base, exponent = args
        return lambda env: _power(base(env), exponent(env))
    function = _FUNCTIONS.get(expr.func)
    if function is None:
        def unknown(env):
            for a in args:
                a(env)
            raise TypeError(f"no exact value for {expr.func}")
        return unknown
    argument = args[0]
    return lambda env: function(argument(env))


def _symbol_value(symbol, env):
    exact = env[symbol].exact
    if exact is None:
        raise ValueError(f"{symbol} has no finite value")
    return exact


def _constant(value):
    return lambda env: value


def _fold(values, op):
    if any(type(v) is not Fraction for v in values):  # (type: isinstance of an ABC is slow)
        values = [_mp(v) for v in values]
    total = values[0]
    for value in values[1:]:
        total = op(total, value)
    return total


def _power(base, exponent):
    whole = exponent.numerator if isinstance(exponent, Fraction) and exponent.denominator == 1 else None
    if isinstance(base, Fraction) and isinstance(exponent, Fraction):
        if whole is not None and abs(whole) <= MAX_EXACT_EXPONENT:
            if max(base.numerator.bit_length(), base.denominator.bit_length()) * abs(whole) <= MAX_EXACT_BITS:
                if base == 0 and whole < 0:
                    raise ZeroDivisionError("0 to a negative power")
                return base ** whole
        root = _exact_root(base, exponent)
        if root is not None:
            return root
    elif whole is not None and isinstance(base, mpmath.mpf) and (base != 0 or whole >= 0):
        return base**whole  # an integer power of an irrational: what mpmath.power does, without converting
    if base < 0 and not (isinstance(exponent, Fraction) and exponent.denominator == 1):
        raise ValueError("a negative number to a fractional power")
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("0 to a negative power")
    return mpmath.power(_mp(base), _mp(exponent))


def _exact_root(base: Fraction, exponent: Fraction):
    """base**(p/q) when the q-th root of base is rational (√2.25 = 1.5), else None."""
    p, q = exponent.numerator, exponent.denominator
    if base < 0 or q > 8 or abs(p) > MAX_EXACT_EXPONENT:
        return None
    top, bottom = _integer_root(base.numerator, q), _integer_root(base.denominator, q)
    if top is None or bottom is None or (p < 0 and top == 0):
        return None
    return Fraction(top, bottom) ** p


def _integer_root(n: int, q: int):
    root = round(n ** (1 / q)) if n < 2**1000 else None
    if root is None:
        return None
    for r in (root - 1, root, root + 1):
        if r >= 0 and r**q == n:
            return r
    return None


def _mp(value):
    if type(value) is Fraction:
        top = mpmath.mpf(value.numerator)
        return top if value.denominator == 1 else top / value.denominator
    return value


def _exact_function(op):
    """The op's exact value: a rational where the table knows one (exp 0 = 1, relu q = q), else mpmath's.

    Remembered for rational arguments at each precision: a node's value and its local derivative
    (tanh(u) and 1 − tanh(u)²) ask for the same one."""
    if op.mpmath is None:
        return op.exact  # rational at every rational (relu, |·|, sign)
    cache = {}

    def value(z):
        known = op.exact(z) if op.exact else None
        if known is not None:
            return known
        if type(z) is not Fraction:
            return op.mpmath(z)
        key = (z, mpmath.mp.prec)
        found = cache.get(key)
        if found is None:
            if len(cache) >= MAX_TYPED:
                cache.clear()
            found = cache[key] = op.mpmath(_mp(z))
        return found
    return value


_FUNCTIONS = {op.sympy: _exact_function(op) for op in BY_CLASS.values()}


def _fraction(value) -> Fraction | None:
    """An mpmath number as the Fraction it is (None if it is not a finite real)."""
    if isinstance(value, mpmath.mpc):
        return None
    if not isinstance(value, mpmath.mpf):  # (mpf() again would round it to the default 15 digits)
        value = mpmath.mpf(value)
    if not mpmath.isfinite(value):
        return None
    sign, mantissa, exponent, _bits = value._mpf_
    if abs(exponent) > MAX_BINARY_EXPONENT:
        return None  # e^(−10⁸⁶): far beyond any float; the float itself is shown, rounded
    number = Fraction(mantissa << exponent) if exponent >= 0 else Fraction(mantissa, 1 << -exponent)
    return -number if sign else number


# -- exact decimals ----------------------------------------------------------


def significant_digits(q: Fraction) -> int | None:
    """How many significant digits ``q`` has as a terminating decimal (None if it does not terminate)."""
    parts = decimal_parts(q)
    return None if parts is None else len(parts[1])


def decimal_parts(q: Fraction) -> tuple[bool, str, int] | None:
    """(negative, digits, exponent) with q = ±digits·10^exponent and no trailing zero; None if q
    does not terminate (its denominator has a prime factor other than 2 and 5)."""
    if q == 0:
        return False, "0", 0
    den = q.denominator
    twos = (den & -den).bit_length() - 1
    den >>= twos
    den, fives = _strip_fives(den)
    if den != 1:
        return None
    shift = max(twos, fives)
    digits = str(abs(q.numerator) * 10**shift // q.denominator)
    stripped = digits.rstrip("0")
    return q < 0, stripped, len(digits) - len(stripped) - shift


def _strip_fives(n: int) -> tuple[int, int]:
    """(m, k) with n = m·5^k and m not divisible by 5. Divides by 5, 25, 625, … (squaring) while it
    can: 0.001**1500 has 4500 fives, and one division by 5 at a time was quadratic (a minute)."""
    k = 0
    while n % 5 == 0:
        power, count = 5, 1
        while n % (power * power) == 0:
            power, count = power * power, 2 * count
        n //= power
        k += count
    return n, k


def round_significant(q: Fraction, digits: int) -> Fraction:
    """``q`` rounded to ``digits`` significant digits (half to even)."""
    if q == 0:
        return q
    top, bottom = abs(q.numerator), q.denominator
    exponent = int((top.bit_length() - bottom.bit_length()) * 0.30102999566398120)  # ≈ log10 |q|, fixed below
    while not _at_least(top, bottom, exponent):
        exponent -= 1
    while _at_least(top, bottom, exponent + 1):
        exponent += 1
    shift = digits - 1 - exponent
    top, bottom = (top * 10**shift, bottom) if shift >= 0 else (top, bottom * 10**-shift)
    whole, rest = divmod(top, bottom)
    if 2 * rest > bottom or (2 * rest == bottom and whole % 2):
        whole += 1  # half to even
    rounded = Fraction(whole * 10**-shift) if shift <= 0 else Fraction(whole, 10**shift)
    return -rounded if q < 0 else rounded


def _at_least(top: int, bottom: int, exponent: int) -> bool:
    """top/bottom ≥ 10^exponent."""
    return top >= bottom * 10**exponent if exponent >= 0 else top * 10**-exponent >= bottom


def decimal_text(q: Fraction) -> str:
    """A terminating decimal as Python writes floats: 1.96, -2, 0.028, 1.5e-07, 1e+16."""
    negative, digits, exponent = decimal_parts(q)
    sign = "-" if negative else ""
    power = len(digits) - 1 + exponent  # the exponent in scientific notation
    if -4 <= power < 16:
        if exponent >= 0:
            return sign + digits + "0" * exponent
        point = len(digits) + exponent
        whole = digits[:point] if point > 0 else "0"
        return f"{sign}{whole}.{'0' * max(0, -point)}{digits[max(point, 0):]}"
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
