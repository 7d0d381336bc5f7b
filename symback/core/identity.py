"""Is a = b an identity? An exact randomised test that treats the functions as unknown.

Both sides are evaluated exactly, in modular arithmetic (the field Z/p for a
large prime p, so numbers never grow), at a random point, with every function
(tanh, sin, sign, Heaviside, Max, a power with a symbolic exponent) replaced by
a random function on Z/p. Only relations true of the real functions are kept:
f(−u) = −f(u) for odd f and f(u) for even f; exp(c₁m₁ + c₂m₂ + ...) =
exp(m₁/q₁)^p₁ · exp(m₂/q₂)^p₂ · ... (cᵢ = pᵢ/qᵢ); u^(n + r/q) = uⁿ·(u^(1/q))^r.
So the forms SymPy writes differently for the same value (e^u·e^v = e^(u+v),
√u·√u = u, f(2(a + b)) and f(2a + 2b)) evaluate alike.

If a = b for every choice of these functions, then a = b for the real ones:
an identity. If not, a − b is a nonzero rational function of the point and of
the functions' values, which vanishes at a random point with probability at
most about (its degree + the number of function applications²)/p
(Schwartz–Zippel); with p = 2^61 − 1 and 2^89 − 1 and a point in each, below
10^-30 for any expression symback builds.

The answer is True (an identity) or None (undecided): an identity that needs
more of the functions (sin² + cos² = 1, tanh as exponentials) looks like a
difference here, so the test never answers False; the caller then compares
at real points or simplifies.
"""


from __future__ import annotations

import random
from fractions import Fraction

import sympy

from ..model.ops import BY_CLASS

#: Mersenne primes: the fields the points are drawn from
PRIMES = (2**61 - 1, 2**89 - 1)
#: points per prime whose denominators vanish before the test gives up
RETRIES = 3


#: one-argument functions with f(−u) = −f(u) (odd) or f(u) (even)
_SYMMETRIC = {op.sympy: op.parity for op in BY_CLASS.values() if op.parity}


class _Undecided(Exception):
    """The expression holds something the test cannot evaluate (a complex number, infinity)."""


class _Pole(Exception):
    """A denominator is zero at this point: draw another."""


def identical(a: sympy.Expr, b: sympy.Expr, seed: int = 14) -> bool | None:
    """True if a − b is zero as a rational function of the symbols and atoms; else None."""
    rng = random.Random(seed)
    a, b = (e if isinstance(e, sympy.Basic) else sympy.Integer(e) for e in (a, b))
    try:
        for prime in PRIMES:
            if not _zero_at_a_point(a, b, prime, rng):
                return None
    except (_Undecided, RecursionError):
        return None
    return True


def _zero_at_a_point(a, b, prime: int, rng: random.Random) -> bool:
    for _ in range(RETRIES):
        field = _Field(prime, rng)
        try:
            return field.value(a) == field.value(b)
        except _Pole:
            continue
    raise _Undecided()


class _Field:
    """Exact values of expressions at one random point of Z/p: atoms get random values as met."""

    def __init__(self, prime: int, rng: random.Random):
        self.p, self.rng = prime, rng
        self.variables: dict = {}
        self.memo: dict = {}

    def value(self, expr) -> int:
        # Memoised by expression: closed forms and diff share large subexpressions.
        known = self.memo.get(expr)
        if known is None:
            known = self.memo[expr] = self._value(expr)
        return known

    def variable(self, key) -> int:
        if key not in self.variables:
            self.variables[key] = self.rng.randrange(1, self.p)
        return self.variables[key]

    def power(self, base: int, exponent: int) -> int:
        if exponent < 0:
            if base == 0:
                raise _Pole()
            return pow(pow(base, -1, self.p), -exponent, self.p)
        return pow(base, exponent, self.p)

    def number(self, x) -> int:
        if not (x.is_Rational or x.is_Float) or not x.is_finite:
            raise _Undecided()
        q = Fraction(int(x.p), int(x.q)) if x.is_Rational else Fraction(float(x))
        if q.denominator % self.p == 0:
            raise _Undecided()
        return q.numerator * pow(q.denominator, -1, self.p) % self.p

    def _value(self, expr) -> int:
        p = self.p
        if expr.is_Number:
            return self.number(expr)
        if expr is sympy.E:
            return self._exp(sympy.S.One)
        if expr.is_Symbol or expr.is_NumberSymbol:
            return self.variable(expr)
        if expr.is_Add:
            return sum(self.value(t) for t in expr.args) % p
        if expr.is_Mul:
            out = 1
            for factor in expr.args:
                out = out * self.value(factor) % p
            return out
        if expr.is_Pow:
            return self._pow(expr.base, expr.exp)
        if isinstance(expr, sympy.exp):
            return self._exp(expr.args[0])
        if expr.is_Atom:
            raise _Undecided()  # I, zoo, nan, ...
        return self.function(expr)

    def function(self, expr) -> int:
        """f(u): a random function of u's value, so that f(2*(a + b)) and f(2*a + 2*b) are one variable."""
        if not all(isinstance(arg, sympy.Expr) for arg in expr.args):
            return self.variable(expr)  # Derivative, Piecewise: by their structure
        args = tuple(self.value(arg) for arg in expr.args)
        parity = _SYMMETRIC.get(type(expr))
        if parity and args[0] > self.p // 2:
            # f(−u) = ±f(u) for odd and even f: draw f at the smaller of u and −u only
            value = self.variable((type(expr), (self.p - args[0],)))
            return (self.p - value) % self.p if parity == "odd" else value
        return self.variable((type(expr), args))

    def _pow(self, base, exponent) -> int:
        # u^(c + rest) = u^c · u^rest: u^rest is an atom, u^c is split into whole powers and a root
        constant, rest = exponent.as_coeff_Add()
        if not constant.is_Rational:
            raise _Undecided()
        out = self.variable(("pow", self.value(base), self.value(rest))) if rest != 0 else 1
        whole, part = divmod(int(constant.p), int(constant.q))
        if whole:
            out = out * self.power(self.value(base), whole) % self.p
        if part:
            out = out * self.power(self.variable(("root", self.value(base), int(constant.q))), part) % self.p
        return out

    def _exp(self, argument) -> int:
        out = 1
        for term in sympy.Add.make_args(argument):
            c, m = term.as_coeff_Mul()
            if not c.is_Rational:
                raise _Undecided()
            out = out * self.power(self.variable(("exp", self.value(m), int(c.q))), int(c.p)) % self.p
        return out
