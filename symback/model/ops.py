"""The table of operations: every operation and function of the model language, in one place.

As micrograd keeps an operation's forward and backward pass side by side, each
:class:`Op` holds everything symback knows about one operation: the names a
user may write, its SymPy form, its derivative f'(z) (the formula of its named
rule), its float value (the same libm calls on every machine), its exact value,
its code for the training backends and the exported programs, its display
names, and the mistakes students make in its derivative. Every other module
reads this table; none keeps its own list of functions.

SymPy has no ``sigmoid``, ``relu`` or ``softplus``; they are defined here so
that they print under their own names and differentiate by the textbook rules:

    σ(z) = 1 / (1 + e^(−z)),        σ'(z) = σ(z)·(1 − σ(z))
    relu(z) = max(0, z),           relu'(z) = H(z)  with H(0) = 0, as PyTorch does
    softplus(z) = ln(1 + e^z),     softplus'(z) = σ(z)

The structural operations (sum, product, power, …) are entries too: a graph
node holds the :class:`Op` it computes. An entry in use, for tanh::

    op = ELEMENTWISE["tanh"]     # or OPS["tanh"], BY_CLASS[sympy.tanh], op_of(expr)
    op.sympy(z), op.derivative(z)      # tanh(z), 1 - tanh(z)**2
    op.evaluate(0.5)                   # math.tanh(0.5)
    core.rules.FunctionRule(op)        # its named rule (the rules live in core)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping

import mpmath
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


class softplus(Function):  # noqa: N801
    """softplus(z) = ln(1 + e^z), a smooth relu (PyTorch's softplus with beta = 1)."""

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


@dataclass(frozen=True, repr=False, eq=False)  # one object per operation: compared and hashed by identity
class Op:
    """One operation: what it is in SymPy, how it differentiates, computes, prints and goes wrong.

    ``key`` names it (and its rule, in ``explain.rule.<key>``); ``kind`` is the
    kind of graph node it makes ("function" for every function); ``doc`` says what
    it is (for a function, its rule in words). For a function
    f of one argument:

    - ``sympy`` the SymPy class; ``derivative(z)`` f'(z) in SymPy; ``definition(z)``
      f in functions SymPy differentiates itself (for the checks against ``sympy.diff``);
    - ``evaluate(x)`` f(x) in float64 for explain; ``python``, ``numpy``, ``numba`` the
      same for the training backends (None: the libm function ``code`` of the backend);
      ``array`` the name of f in the matrix kernels' code (None: ``code``), ``array_derivative``
      f' there, in the operand ``{0}`` and the result ``{out}`` (tanh' = 1 − out²);
    - ``exact(q)`` f at a rational q as a rational where it is one (else None), ``mpmath(x)``
      f in mpmath (None: ``exact`` is always rational);
    - ``domain`` (test, message) for a number a user writes as the argument, ``float_domain``
      the same for a float met while evaluating (log of 0);
    - ``torch``, ``numpy_name`` and ``numpy_helper`` its spelling in the exported programs;
    - ``unicode`` (also MathML) and ``latex`` its printed name (None: SymPy's own);
      ``rule_name`` its rule's name by language;
    - ``wrong(f_u)`` tempting wrong derivatives, given f(u) (for check's diagnosis); ``nonlinear``:
      a node whose local derivative a student may get by a wrong rule; ``singular`` what is
      infinite where its derivative is not finite; ``parity`` odd or even (f(−u) = −f(u) or f(u));
      ``kink()`` the value its derivative takes at 0 where it jumps (H(0) = 0), as PyTorch does;
    - ``page``: the interactive page's script (notes/interactive.js) computes it under ``key``
      (else the page computes its ``definition``);
    - ``portable``: the backends run it through the C library value by value (NumPy's own loops
      differ between processors in the last bit).
    """

    key: str
    kind: str = "function"
    names: tuple[str, ...] = ()
    sympy: Callable | None = None
    derivative: Callable | None = None
    definition: Callable | None = None
    evaluate: Callable | None = None
    python: Callable | None = None
    numpy: Callable | None = None
    numba: str | None = None
    array: str | None = None
    array_derivative: str | None = None
    exact: Callable | None = None
    mpmath: Callable | None = None
    torch: str | None = None
    numpy_name: str | None = None
    numpy_helper: tuple[str, ...] = ()
    unicode: str | None = None
    latex: str | None = None
    rule_name: Mapping[str, str] = field(default_factory=dict)
    doc: str = ""
    wrong: Callable | None = None
    parity: str | None = None
    kink: Callable | None = None
    nonlinear: bool = True
    domain: tuple[Callable, str] | None = None
    float_domain: tuple[Callable, str] | None = None
    portable: bool = False
    singular: str = ""
    page: bool = False

    def __repr__(self) -> str:
        return f"Op({self.key})"

    @property
    def code(self) -> str:
        """The name the generated code calls (the SymPy class's name)."""
        return self.sympy.__name__

    @property
    def kernel(self) -> str:
        """The name of f in the matrix kernels' code: absolute, tanh."""
        return self.array or self.code

    @property
    def display(self) -> str:
        """The name printed in Unicode and MathML: σ, ln, tanh."""
        return self.unicode or self.code


# -- float values (explain): the same libm calls on every machine --------------------------------


def _sigmoid(z: float) -> float:
    # Two branches so that exp never overflows: σ(z) = 1/(1+e^−z) = e^z/(1+e^z).
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _exp(z: float) -> float:
    try:
        return math.exp(z)
    except OverflowError:
        return math.inf


def _sign(z: float) -> float:
    return (z > 0) - (z < 0) + 0.0


def _numpy_sigmoid(np, dtype, lib):
    one = dtype(1)

    def sigmoid(z):
        e = lib["exp"](-np.abs(z))
        return np.where(z >= 0, one / (one + e), e / (one + e))
    return sigmoid


_NUMBA_SIGMOID = '''
def sigmoid(z):
    if z >= F(0.0):
        return F(1.0) / (F(1.0) + exp(-z))
    e = exp(z)
    return e / (F(1.0) + e)
'''


def _softplus(z: float) -> float:
    # As PyTorch computes it (beta 1, threshold 20): z itself above 20, where e^z would only
    # add less than 2e-9; below, ln(1 + e^z) by log1p, which never overflows there.
    return z if z > 20.0 else math.log1p(math.exp(z))


def _numpy_softplus(np, dtype, lib):
    def softplus(z):
        return np.where(z > dtype(20), z, lib["log1p"](lib["exp"](np.minimum(z, dtype(20)))))
    return softplus


_NUMBA_SOFTPLUS = '''
def softplus(z):
    return z if z > F(20.0) else log1p(exp(z))
'''


def _at(point, value):
    """An exact value known at one rational point (exp 0 = 1, tanh 0 = 0), else None."""
    return lambda q: value if q == point else None


def _log_exact(q):
    if q <= 0:
        raise ValueError("log of a number that is not positive")
    return Fraction(0) if q == 1 else None


def _function(key, sympy_class, derivative, doc, names=None, **fields) -> Op:
    fields.setdefault("portable", True)
    fields.setdefault("page", True)
    fields.setdefault("singular", "the derivative of {f} is not finite at {value}")
    return Op(key, "function", names if names is not None else (key,), sympy_class, derivative, doc=doc, **fields)


FUNCTION_OPS = (
    _function("exp", exp, exp, "d(eᵘ)/du = eᵘ.",
              evaluate=_exp, exact=_at(0, Fraction(1)), mpmath=mpmath.exp,
              array_derivative="{out}", torch="torch.exp", numpy_name="np.exp",
              rule_name={"en": "exponential rule", "zh": "指数函数法则"}),
    _function("log", log, lambda z: 1 / z, "d(ln u)/du = 1/u.", names=("log", "ln"),
              evaluate=math.log, exact=_log_exact, mpmath=mpmath.log,
              domain=(lambda a: not a.is_positive, "log({arg}) is undefined; log needs a positive argument"),
              float_domain=(lambda x: x <= 0, "log({x}) is undefined: log needs a positive argument"),
              array_derivative="(1.0 / {0})", torch="torch.log", numpy_name="np.log",
              unicode="ln", rule_name={"en": "logarithm rule", "zh": "对数法则"}),
    _function("sin", sympy.sin, sympy.cos, "d(sin u)/du = cos u.",
              evaluate=math.sin, exact=_at(0, Fraction(0)), mpmath=mpmath.sin, parity="odd",
              array_derivative="cos({0})", torch="torch.sin", numpy_name="np.sin",
              rule_name={"en": "sine rule", "zh": "正弦法则"}, wrong=lambda s: (-s, -sympy.cos(s.args[0]))),
    _function("cos", sympy.cos, lambda z: -sympy.sin(z), "d(cos u)/du = −sin u.",
              evaluate=math.cos, exact=_at(0, Fraction(1)), mpmath=mpmath.cos, parity="even",
              array_derivative="(-sin({0}))", torch="torch.cos", numpy_name="np.cos",
              rule_name={"en": "cosine rule", "zh": "余弦法则"}, wrong=lambda c: (sympy.sin(c.args[0]), -c)),
    _function("tan", sympy.tan, lambda z: 1 + sympy.tan(z) ** 2, "d(tan u)/du = 1 + tan²u.",
              evaluate=math.tan, exact=_at(0, Fraction(0)), mpmath=mpmath.tan, parity="odd",
              array_derivative="(1.0 + {out} * {out})", torch="torch.tan", numpy_name="np.tan",
              rule_name={"en": "tangent rule", "zh": "正切法则"}),
    _function("tanh", sympy.tanh, lambda z: 1 - sympy.tanh(z) ** 2, "d(tanh u)/du = 1 − tanh²u.",
              evaluate=math.tanh, exact=_at(0, Fraction(0)), mpmath=mpmath.tanh, parity="odd",
              array_derivative="(1.0 - {out} * {out})", torch="torch.tanh", numpy_name="np.tanh",
              rule_name={"en": "tanh rule", "zh": "双曲正切法则"}, wrong=lambda t: (t**2, 1 + t**2)),
    _function("sigmoid", sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)), "dσ(u)/du = σ(u)·(1 − σ(u)).",
              definition=lambda z: 1 / (1 + exp(-z)),
              evaluate=_sigmoid, exact=_at(0, Fraction(1, 2)), mpmath=lambda x: 1 / (1 + mpmath.exp(-x)),
              python=_sigmoid, numpy=_numpy_sigmoid, numba=_NUMBA_SIGMOID, portable=False,
              array_derivative="({out} * (1.0 - {out}))", torch="torch.sigmoid", numpy_name="sigmoid",
              numpy_helper=("def sigmoid(z):", "    return 1 / (1 + np.exp(-z))"),
              unicode="σ", latex=r"\sigma", rule_name={"en": "sigmoid rule", "zh": "sigmoid 法则"},
              wrong=lambda s: (s, 1 - s, s * (1 + s))),
    _function("relu", relu, lambda z: sympy.Heaviside(z, 0), "d relu(u)/du = H(u) (0 for u ≤ 0).",
              definition=lambda z: Max(0, z),
              evaluate=lambda z: max(0.0, z), exact=lambda q: q if q > 0 else Fraction(0),
              python=lambda z: 0.0 if z < 0 else z, numpy=lambda np, dtype, lib: (lambda z: np.maximum(z, 0)),
              numba="\ndef relu(z):\n    return F(0.0) if z < F(0.0) else z\n", portable=False,
              array_derivative="({0} > 0.0)",  # a boolean array, which multiplies as 0 and 1
              torch="torch.relu", numpy_name="relu", numpy_helper=("def relu(z):", "    return np.maximum(z, 0 * z)"),
              latex=r"\operatorname{relu}", rule_name={"en": "ReLU rule", "zh": "ReLU 法则"},
              kink=lambda: sympy.Eq(sympy.Heaviside(0, 0, evaluate=False), 0, evaluate=False)),
    _function("softplus", softplus, sigmoid, "d softplus(u)/du = σ(u).",
              definition=lambda z: log(1 + exp(z)),
              evaluate=_softplus, mpmath=lambda x: mpmath.log1p(mpmath.exp(x)),
              python=_softplus, numpy=_numpy_softplus, numba=_NUMBA_SOFTPLUS, portable=False, page=False,
              array_derivative="sigmoid({0})", torch="torch.nn.functional.softplus", numpy_name="softplus",
              numpy_helper=("def softplus(z):", "    return np.logaddexp(0, z)"),
              latex=r"\operatorname{softplus}", rule_name={"en": "softplus rule", "zh": "softplus 法则"},
              wrong=lambda s: (sigmoid(-s.args[0]), exp(s.args[0]))),
    _function("abs", Abs, sympy.sign, "d|u|/du = sign(u).", names=("Abs", "abs"),
              evaluate=abs, exact=abs, parity="even", portable=False,
              array="absolute", array_derivative="sign({0})", torch="torch.abs", numpy_name="np.abs",
              rule_name={"en": "absolute-value rule", "zh": "绝对值法则"}, wrong=lambda a: (a.args[0],),
              kink=lambda: sympy.Eq(sympy.sign(0, evaluate=False), 0, evaluate=False)),
)

#: functions that appear in derivatives only (sign = |u|'); a user cannot call them
HELPER_OPS = (
    Op("sign", "helper", (), sympy.sign, lambda z: sympy.S.Zero, evaluate=_sign,
       exact=lambda q: Fraction((q > 0) - (q < 0)), parity="odd", page=True,
       numba="\ndef sign(z):\n    return F(0.0) if z == F(0.0) else copysign(F(1.0), z)\n",
       torch="torch.sign", numpy_name="np.sign"),
)


def _structural(key, doc, nonlinear=False, **fields) -> Op:
    return Op(key, key, doc=doc, nonlinear=nonlinear, **fields)


#: the operations that are not named functions: graph node kinds, each with its rule(s) in core.rules
STRUCTURAL_OPS = (
    _structural("identity", "a name given to another node"),
    _structural("constant", "a node that depends on no parameter"),
    _structural("sum", "u + v (also u − v, c·u + v)"),
    _structural("scale", "c·u for a constant c"),
    _structural("product", "u·v"),
    _structural("quotient", "u/v"),
    _structural("power", "uⁿ for a constant n", True, singular="the derivative of u**{n} is infinite at u = 0"),
    _structural("sqrt", "√u", True, names=("sqrt",), sympy=sqrt, derivative=lambda z: 1 / (2 * sqrt(z)),
                torch="torch.sqrt", numpy_name="np.sqrt",
                array_derivative="(0.5 / {out})",
                domain=(lambda a: a.is_negative, "sqrt({arg}) is not real"),
                singular="the derivative of sqrt is infinite at 0"),
    _structural("exponential", "aᵘ for a constant a", True),
    _structural("general_power", "uᵛ", True),
    _structural("generic", "any other operation: SymPy's diff"),
)

#: every operation by key
OPS: dict[str, Op] = {op.key: op for op in (*STRUCTURAL_OPS, *FUNCTION_OPS, *HELPER_OPS)}
#: the one-argument functions, by SymPy class (each makes a "function" node with a named rule)
BY_CLASS: dict[type, Op] = {op.sympy: op for op in (*FUNCTION_OPS, *HELPER_OPS)}
#: name a user may write -> the Op of the function it calls (sqrt too; elementwise on a matrix)
ELEMENTWISE = {name: op for op in (*FUNCTION_OPS, *STRUCTURAL_OPS) for name in op.names}
#: name a user may write -> SymPy callable (one argument each)
FUNCTIONS = {name: op.sympy for name, op in ELEMENTWISE.items()}
#: the one-argument functions the graph makes nodes of (each has a named rule in core.rules)
UNARY = frozenset(op.sympy for op in FUNCTION_OPS)
#: names that stand for constants
CONSTANTS = {"pi": sympy.pi}
#: the classes with a definition in functions SymPy knows (rewritten for SymPy's own diff)
DEFINED = tuple(op.sympy for op in FUNCTION_OPS if op.definition is not None)


def op_of(expr) -> Op | None:
    """The function :class:`Op` that ``expr`` applies (None for a sum, a power, a symbol…)."""
    return BY_CLASS.get(expr.func)


def callable_names() -> list[str]:
    """The functions a user may call, each under its first name (aliases such as ln left out)."""
    return sorted({op.names[0] for op in ELEMENTWISE.values()})


def elementary(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite sigmoid, relu (every function with a ``definition``) in functions SymPy differentiates itself."""
    # Innermost first, each application once (replace rebuilds the whole tree per pass: slow on
    # the closed forms of a deep model).
    found = sorted(expr.atoms(*DEFINED), key=sympy.count_ops)
    rewritten: dict = {}
    for f in found:
        rewritten[f] = _definition(type(f), f.args[0].xreplace(rewritten))
    return expr.xreplace(rewritten) if rewritten else expr


@lru_cache(maxsize=1024)
def _definition(kind: type, z: sympy.Expr) -> sympy.Expr:
    # Max(0, z) asks SymPy's assumptions how z compares with 0, slowly: once per z, not once per closed form.
    return BY_CLASS[kind].definition(z)
