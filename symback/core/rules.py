"""The vocabulary of explanation: one frozen dataclass per differentiation rule.

Data only. Each rule's docstring is its formula; :meth:`Rule.formula` returns
the same formula as a SymPy equation in the dummy variables ``u``, ``v``
(differentiated) and ``c``, ``a`` (constants), so every rule a printer shows
is a statement SymPy can check. The ``key`` names the rule in the wording
catalogues (``symback/lang/*.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Derivative, Eq

from ..model.ops import FUNCTION_OPS, OPS, Op

u, v = sympy.Symbol("u", real=True), sympy.Symbol("v", real=True)
c, a = sympy.Symbol("c", real=True), sympy.Symbol("a", positive=True)


def _eq(lhs, rhs):
    return Eq(lhs, rhs, evaluate=False)


@dataclass(frozen=True)
class Rule:
    """A rule of differentiation; subclasses state one formula."""

    key = "rule"

    def formula(self) -> sympy.Eq:
        raise NotImplementedError


@dataclass(frozen=True)
class Identity(Rule):
    """d(u)/du = 1 (a name given to another node)."""

    key = "identity"

    def formula(self):
        return _eq(Derivative(u, u), 1)


@dataclass(frozen=True)
class SumRule(Rule):
    """d(u + v)/du = 1."""

    key = "sum"

    def formula(self):
        return _eq(Derivative(u + v, u), 1)


@dataclass(frozen=True)
class DifferenceRule(Rule):
    """d(u − v)/du = 1 and d(v − u)/du = −1."""

    key = "difference"
    sign: int = 1

    def formula(self):
        return _eq(Derivative(u - v, u), 1) if self.sign > 0 else _eq(Derivative(v - u, u), -1)


@dataclass(frozen=True)
class LinearRule(Rule):
    """d(c·u + v)/du = c (sum rule with a constant multiple)."""

    key = "linear"

    def formula(self):
        return _eq(Derivative(c * u + v, u), c)


@dataclass(frozen=True)
class ConstantMultipleRule(Rule):
    """d(c·u)/du = c."""

    key = "constant_multiple"

    def formula(self):
        return _eq(Derivative(c * u, u), c)


@dataclass(frozen=True)
class ProductRule(Rule):
    """d(u·v)/du = v."""

    key = "product"

    def formula(self):
        return _eq(Derivative(u * v, u), v)


@dataclass(frozen=True)
class QuotientRule(Rule):
    """d(u/v)/du = 1/v and d(u/v)/dv = −u/v²; with a constant numerator d(c/v)/dv = −c/v²."""

    key = "quotient"
    denominator: bool = False
    constant_numerator: bool = False

    def formula(self):
        top = c if self.constant_numerator else u
        if self.denominator:
            return _eq(Derivative(top / v, v), -top / v**2)
        return _eq(Derivative(u / v, u), 1 / v)


@dataclass(frozen=True)
class PowerRule(Rule):
    """d(uⁿ)/du = n·uⁿ⁻¹ for a constant n."""

    key = "power"
    exponent: sympy.Expr = sympy.Integer(2)

    def formula(self):
        n = self.exponent
        return _eq(Derivative(u**n, u), n * u ** (n - 1))


@dataclass(frozen=True)
class SqrtRule(Rule):
    """d(√u)/du = 1/(2√u)."""

    key = "sqrt"

    def formula(self):
        return _eq(Derivative(sympy.sqrt(u), u), OPS["sqrt"].derivative(u))


@dataclass(frozen=True)
class ExponentialRule(Rule):
    """d(aᵘ)/du = aᵘ·ln a for a constant a > 0."""

    key = "exponential"

    def formula(self):
        return _eq(Derivative(a**u, u), a**u * sympy.log(a))


@dataclass(frozen=True)
class ZeroPowerRule(Rule):
    """d(0ᵘ)/du = 0: 0ᵘ = 0 for every u > 0 (PyTorch takes 0 at u = 0 too)."""

    key = "zero_power"

    def formula(self):
        p = sympy.Symbol("u", positive=True)
        return _eq(Derivative(sympy.Pow(0, p, evaluate=False), p), 0)


@dataclass(frozen=True)
class GeneralPowerRule(Rule):
    """d(uᵛ)/du = v·uᵛ⁻¹ and d(uᵛ)/dv = uᵛ·ln u."""

    key = "general_power"
    wrt_exponent: bool = False

    def formula(self):
        base = sympy.Symbol("u", positive=True)
        if self.wrt_exponent:
            return _eq(Derivative(base**v, v), base**v * sympy.log(base))
        return _eq(Derivative(base**v, base), v * base ** (v - 1))


@dataclass(frozen=True)
class FunctionRule(Rule):
    """d f(u)/du = f'(u) for a function f of the operation table (the op's own ``derivative``).

    One rule per function: its ``key`` is the op's (tanh, sigmoid, …), its formula the op's derivative.
    """

    op: Op

    @property
    def key(self) -> str:
        return self.op.key

    def formula(self):
        return _eq(Derivative(self.op.sympy(u), u), self.op.derivative(u))


@dataclass(frozen=True)
class GenericRule(Rule):
    """No named rule applies: the local derivative is SymPy's diff of the node."""

    key = "generic"

    def formula(self):
        f = sympy.Function("f")
        return _eq(Derivative(f(u), u), Derivative(f(u), u))


@dataclass(frozen=True)
class ChainRule(Rule):
    """∂L/∂u = ∂L/∂v · ∂v/∂u: upstream gradient times local derivative."""

    key = "chain"


@dataclass(frozen=True)
class AccumulateRule(Rule):
    """∂L/∂u = Σ over the nodes v that use u of ∂L/∂v · ∂v/∂u (multivariable chain rule)."""

    key = "accumulate"


#: SymPy class of each function -> its rule
FUNCTION_RULES = {op.sympy: FunctionRule(op) for op in FUNCTION_OPS}
