"""The functions a model may call, as SymPy objects.

SymPy has no ``sigmoid`` or ``relu``; they are defined here so that they print
under their own names and differentiate by the textbook rules:

    σ(z) = 1 / (1 + e^(−z)),        σ'(z) = σ(z)·(1 − σ(z))
    relu(z) = max(0, z),           relu'(z) = H(z)  with H(0) = 0, as PyTorch does
"""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import Abs, Function, Heaviside, Max, exp, log, sqrt


class sigmoid(Function):  # noqa: N801 - printed name must be lower case
    """The logistic function σ(z) = 1/(1 + e^(−z))."""

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sympy.Rational(1, 2)
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + exp(-z))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


class relu(Function):  # noqa: N801
    """The rectifier relu(z) = max(0, z)."""

    @classmethod
    def eval(cls, z):
        if z.is_number and z.is_real:
            return Max(0, z)
        return None

    def fdiff(self, argindex=1):
        # The subgradient at 0 is taken as 0, as PyTorch does.
        return Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, z, **kwargs):
        return Max(0, z)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_nonnegative(self):
        return self.args[0].is_real


#: name a user may write -> SymPy callable (one argument each)
FUNCTIONS = {
    "exp": exp,
    "log": log,
    "ln": log,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "sqrt": sqrt,
    "sigmoid": sigmoid,
    "relu": relu,
    "Abs": Abs,
    "abs": Abs,
}

#: the one-argument functions the graph makes nodes of (each has a named rule in steps)
UNARY = frozenset({exp, log, sympy.sin, sympy.cos, sympy.tan, sympy.tanh, sigmoid, relu, Abs})

#: names that stand for constants
CONSTANTS = {"pi": sympy.pi}


def elementary(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite sigmoid and relu in terms of exp and Max, for SymPy's own diff."""
    # Innermost first, each application once (replace rebuilds the whole tree per pass: slow on
    # the closed forms of a deep model).
    found = sorted(expr.atoms(sigmoid, relu), key=sympy.count_ops)
    rewritten: dict = {}
    for f in found:
        rewritten[f] = _definition(type(f), f.args[0].xreplace(rewritten))
    return expr.xreplace(rewritten) if rewritten else expr


@lru_cache(maxsize=1024)
def _definition(kind: type, z: sympy.Expr) -> sympy.Expr:
    # Max(0, z) asks SymPy's assumptions how z compares with 0, slowly: once per z, not once per closed form.
    return 1 / (1 + exp(-z)) if kind is sigmoid else Max(0, z)
