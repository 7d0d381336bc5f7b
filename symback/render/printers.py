"""SymPy printers for symback's formats, all with the same two extras.

* ``values``: a mapping {symbol or subexpression: float}; those parts print as
  numbers, so ``2*r*x`` with r = −1, x = 1 prints ``2·(−1)·1``. Negative
  numbers are parenthesised wherever they stand inside a larger expression.
* Terms print in stored order (``order='none'``): graph nodes keep the order
  the user wrote.

``UnicodePrinter`` writes one-line maths for terminals (ŷ = w·x, r², ∂L/∂w);
``TexPrinter`` writes LaTeX; ``ClaimPrinter`` writes SymPy syntax that
``sympify`` reads back (the JSON claims). ``Derivative(L, r)`` of two symbols
is the gradient notation ∂L/∂r; of an expression, the rule notation d(u²)/du.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import sympy
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter
from sympy.printing.latex import modifier_dict as latex_modifiers
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from ..model.entry_names import split_entry
from ..model.ops import BY_CLASS
from ..core.numeric import format_float
from .numbers import number

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
#: names printed specially: the prediction, and the learning rate η
DISPLAY_NAMES = {"y_hat": ("ŷ", r"\hat{y}"), "eta": ("η", r"\eta")}
#: name endings SymPy's printers read as modifiers (``what`` is ŵ, \hat{w}), longest first
MODIFIERS = sorted(latex_modifiers, key=len, reverse=True)
#: modifiers whose name is printed as written instead: \mathscr needs a font TeX may not have, and
#: |w|, ‖w‖ and ⟨w⟩ would read as operations on w (``wabs`` is a name, not abs(w))
LITERAL_MODIFIERS = frozenset({"scr", "norm", "avg", "abs", "mag"})


@lru_cache(maxsize=1024)
def literal_name(name: str) -> bool:
    """Whether ``name`` (or one of its sub- or superscripts) ends in a modifier printed as written."""
    base, supers, subs = split_super_sub(name)
    return any(_literal_part(part.lower()) for part in [base, *supers, *subs])


def _literal_part(part: str) -> bool:
    # SymPy strips one modifier at a time from the end (``wabshat`` is the hat of ``wabs``).
    while True:
        key = next((k for k in MODIFIERS if part.endswith(k) and len(part) > len(k)), None)
        if key is None:
            return False
        if key in LITERAL_MODIFIERS:
            return True
        part = part[: -len(key)]


@lru_cache(maxsize=1024)
def _unicode_name(name: str) -> str:
    """A symbol's name as printed: ŷ, w₁, or as written where a modifier would misread it."""
    if name in DISPLAY_NAMES:
        return DISPLAY_NAMES[name][0]
    if entry := split_entry(name):  # one entry of a matrix: W₁[0,1]
        return _unicode_name(entry[0]) + "[" + ",".join(entry[1]) + "]"
    if literal_name(name):
        base, supers, subs = split_super_sub(name)
        return base + "".join("^" + s for s in supers) + "".join(_subscript(s) if s.isdigit() else "_" + s
                                                                 for s in subs)
    return pretty_symbol(name)


class _Values:
    """Mixin: print the parts listed in ``values`` as numbers."""

    values: Mapping = {}

    def _print(self, expr, **kwargs):
        values = self.values
        if values and not isinstance(expr, (str, int, float)) and hashable(expr) and expr in values:
            shown = self._number(values[expr])
            return self._wrap(shown) if self._negative(values[expr], shown) and self._operand() else shown
        self._parents.append(expr)
        try:
            return super()._print(expr, **kwargs)
        finally:
            self._parents.pop()

    @property
    def _parents(self) -> list:
        if "_stack" not in self.__dict__:
            self.__dict__["_stack"] = []
        return self.__dict__["_stack"]

    def _operand(self) -> bool:
        """Is the number being printed an operand of +, · or a power (where −2 needs brackets)?

        A function's argument (tanh(−1)) and a square root's (√−1 in LaTeX) need none.
        """
        if not self._parents:
            return False
        parent = self._parents[-1]
        if getattr(parent, "is_Pow", False):
            return parent.exp != sympy.Rational(1, 2) or not isinstance(self, TexPrinter)
        return bool(getattr(parent, "is_Add", False) or getattr(parent, "is_Mul", False))

    def _as_ordered_terms(self, expr, order=None):
        """Stored order, but terms that print with a minus after the others (w·x − y)."""
        terms = list(expr.args)
        first = [t for t in terms if t in self.values or not t.could_extract_minus_sign()]
        return first + [t for t in terms if t not in first]

    def _unsigned(self, factors: list):
        """A product led by a negative number (not a shown value): the product with that sign
        dropped, printed after a minus (−2·x as −(2x)); else None."""
        head = factors[0]
        if head.is_Number and head.is_negative and head not in self.values and len(factors) > 1:
            rest = ([-head] if head != -1 else []) + factors[1:]
            return rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
        return None

    #: whether ½·Σ… is written Σ…/2 (a fraction bar reads well over a sum; a slash does not)
    halves_of_sums = False

    def _fraction(self, factors: list) -> tuple[list, list]:
        """(numerator, denominator) factors of a product: negative powers go below the line,
        and a rational coefficient ½·w reads better as w/2."""
        top = [f for f in factors if not _is_reciprocal(f)]
        bottom = [f.base if f.exp == -1 else 1 / f for f in factors if _is_reciprocal(f)]
        if top and top[0].is_Rational and not top[0].is_Integer and top[0] not in self.values \
                and (self.halves_of_sums or not any(isinstance(f, sympy.Sum) for f in top)):
            p, q = top[0].p, top[0].q
            top = ([sympy.Integer(p)] if p != 1 else []) + top[1:]
            bottom = [sympy.Integer(q)] + bottom
        return top, bottom

    def _wrap(self, text: str) -> str:
        return f"({text})"

    def _negative(self, value: float, shown) -> bool:
        return shown.lstrip().startswith(("-", "−"))

    def _number(self, value: float) -> str:
        return format_float(value)


class _Display(_Values):
    """Mixin of the printers for people (Unicode, LaTeX, MathML): their notation for derivatives."""

    def _print_Derivative(self, expr):
        """∂L/∂r of two names (a gradient, ``_gradient``); d(u²)/du of an expression (the rule
        of a local derivative, ``_rate``)."""
        if is_gradient(expr):
            return self._gradient(expr.expr, expr.variable_count[0][0])
        return self._rate(expr.expr, expr.variable_count[0][0])


def is_gradient(expr) -> bool:
    """Is ``expr`` ∂L/∂w, the derivative of one name (or indexed name) by another?"""
    return isinstance(expr, sympy.Derivative) and (expr.expr.is_Symbol or isinstance(expr.expr, sympy.Indexed))


def hashable(expr) -> bool:
    """Can ``expr`` be looked up in a dict (a SymPy matrix cannot)?"""
    try:
        hash(expr)
        return True
    except TypeError:
        return False


class ClaimPrinter(_Values, StrPrinter):
    """SymPy syntax, floats in full: ``2*(1*1 - 2)*1``, ``Derivative(r**2, r)``."""

    def __init__(self, values: Mapping | None = None):
        super().__init__({"order": "none"})
        self.values = dict(values or {})

    def _print_Float(self, expr):
        return format_float(float(expr))


class UnicodePrinter(_Display, StrPrinter):
    """One-line Unicode maths: ŷ = w·x, (ŷ − y)², ∂L/∂w, σ(u), |r|."""

    printmethod = "_symback_unicode"  # objects' own _sympystr would bypass these rules

    def __init__(self, values: Mapping | None = None):
        super().__init__({"order": "none"})
        self.values = dict(values or {})

    def _number(self, value: float) -> str:
        return number(value)

    def _print_Symbol(self, expr):
        return _unicode_name(expr.name)

    _print_Dummy = _print_Symbol

    def _print_Indexed(self, expr):
        base = self._print(expr.base.label)
        return base + "".join(_subscript(str(i)) for i in expr.indices)

    def _print_Integer(self, expr):
        return str(expr.p).replace("-", "−")

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}".replace("-", "−")

    def _print_Float(self, expr):
        return self._number(float(expr))

    def _print_Add(self, expr, order=None):
        out = []
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative = i > 0 and term.could_extract_minus_sign() and term not in self.values
            shown = -term if negative else term
            text = self._print(shown)
            if (term.is_Add or shown.is_Add) and i > 0:  # w − (b − b), written unevaluated
                text = f"({text})"
            out.append((" − " if negative else " + ") + text if i else text)
        return "".join(out)

    def _print_Mul(self, expr):
        factors = list(expr.args)
        inner = self._unsigned(factors)
        if inner is not None:
            text = self._print(inner)
            return "−" + (f"({text})" if inner.is_Add or text.startswith("−") else text)
        top, bottom = self._fraction(factors)
        text = self._join(top) if top else "1"
        if bottom:
            if len(bottom) > 1:
                den = f"({self._join(bottom)})"
            else:
                den = self.parenthesize(bottom[0], PRECEDENCE["Pow"])
            text += "/" + den
        return text

    def _join(self, factors) -> str:
        parts = [self.parenthesize(f, PRECEDENCE["Mul"]) for f in factors]
        text = parts[0]
        for i, (prev, factor, part) in enumerate(zip(factors, factors[1:], parts[1:])):
            # "2r" and "2x(wx − y)" read as in a textbook: a leading integer coefficient
            # or a name before a bracket; everything else gets a "·".
            # Never between numbers: 2·3², not 23² (a side with numbers always gets "·").
            plain = not (self._shows_number(prev) or self._shows_number(factor))
            named = factor.is_Symbol or factor.is_Add or (factor.is_Pow and factor.base.is_Symbol)
            coefficient = i == 0 and prev.is_Integer and prev != 1 and named
            glue = "" if plain and (coefficient or (prev.is_Symbol and factor.is_Add)) else "·"
            text += glue + part
        return text

    def _shows_number(self, expr) -> bool:
        """Does ``expr`` print with a number from ``values`` in it?"""
        return expr in self.values or any(expr.has(key) for key in self.values if hashable(key))

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.args
        if exp == sympy.Rational(1, 2):
            return "√" + self._paren_unless_atom(base)
        if exp == -1:
            return "1/" + self.parenthesize(base, PRECEDENCE["Pow"])
        b = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        if exp.is_Integer and exp not in self.values:
            return b + str(exp).translate(SUPERSCRIPT)
        return b + "^" + self.parenthesize(exp, PRECEDENCE["Pow"], strict=True)

    def _paren_unless_atom(self, expr):
        text = self._print(expr)
        return text if (expr.is_Atom or expr in self.values) else f"({text})"

    def _gradient(self, top, bottom):
        return f"∂{self._print(top)}/∂{self._print(bottom)}"

    def _rate(self, inner, var):
        return f"d({self._print(inner)})/d{self._print(var)}"

    def _print_Function(self, expr):
        return f"{function_name(expr)}({', '.join(self._print(a) for a in function_args(expr))})"

    _print_Heaviside = _print_Function

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_Sum(self, expr):
        (index, low, high), = expr.limits
        body = self.parenthesize(expr.function, PRECEDENCE["Mul"])
        return f"Σ{_subscript(str(index))} {body}"

    def _print_Equality(self, expr):
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Pi(self, expr):
        return "π"


for _op in BY_CLASS.values():
    if f"_print_{_op.code}" not in vars(UnicodePrinter):  # |u| has its own
        setattr(UnicodePrinter, f"_print_{_op.code}", UnicodePrinter._print_Function)


def function_name(expr) -> str:
    """A function's printed name (Unicode and MathML): σ, ln, H, tanh."""
    op = BY_CLASS.get(expr.func)
    if op is not None:
        return op.display
    return "H" if expr.func is sympy.Heaviside else expr.func.__name__


def function_args(expr) -> tuple:
    """The arguments printed: H(u, 0) shows only u (its value at 0 is said in words)."""
    return expr.args[:1] if expr.func is sympy.Heaviside else expr.args


def _is_reciprocal(factor) -> bool:
    return factor.is_Pow and factor.exp.is_Rational and factor.exp.is_negative


_SUB = str.maketrans("0123456789aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def _subscript(text: str) -> str:
    return text.translate(_SUB)


class TexPrinter(_Display, LatexPrinter):
    """LaTeX with ŷ as \\hat{y}, ∂L/∂r as a fraction of partials, numbers in short form."""

    def __init__(self, values: Mapping | None = None, **settings):
        names = {sympy.Symbol(n, real=True): tex for n, (_u, tex) in DISPLAY_NAMES.items()}
        settings.setdefault("order", "none")
        settings.setdefault("symbol_names", names)
        settings.setdefault("ln_notation", True)
        if values:
            settings.setdefault("mul_symbol", "dot")
        super().__init__(settings)
        self.values = dict(values or {})

    def _wrap(self, text: str) -> str:
        return rf"\left({text}\right)"

    def _print_Symbol(self, expr, style="plain"):
        if entry := split_entry(expr.name):  # one entry of a matrix: W_{1}[0,1]
            return self._print_Symbol(sympy.Symbol(entry[0], real=True), style) + "[" + ",".join(entry[1]) + "]"
        if expr.name not in DISPLAY_NAMES and literal_name(expr.name):
            base, supers, subs = split_super_sub(expr.name)
            return (base + "".join(f"^{{{s}}}" for s in supers)
                    + (f"_{{{' '.join(subs)}}}" if subs else ""))
        return super()._print_Symbol(expr, style)

    _print_Dummy = _print_Symbol

    def _number(self, value: float) -> str:
        return tex_number(value)

    def _print_Float(self, expr):
        return tex_number(float(expr))

    def _gradient(self, top, bottom):
        return rf"\frac{{\partial {self._print(top)}}}{{\partial {self._print(bottom)}}}"

    def _rate(self, inner, var):
        return rf"\frac{{d}}{{d {self._print(var)}}}\left({self._print(inner)}\right)"

    def _print_named(self, expr, exp=None):
        """A function with its own LaTeX name in the table (σ, relu), or H: name(u), name(u)^{n}."""
        name = BY_CLASS[expr.func].latex if expr.func in BY_CLASS else "H"
        text = rf"{name}\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    _print_Heaviside = _print_named


for _op in BY_CLASS.values():
    if _op.latex is not None:
        setattr(TexPrinter, f"_print_{_op.code}", TexPrinter._print_named)


def tex_number(value: float) -> str:
    """A float in LaTeX: 1.02, -2, 1.5 \\cdot 10^{-7}."""
    text = format_float(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
    return text


def unicode(expr, values=None) -> str:
    if values or not isinstance(expr, sympy.Basic) or not hashable(expr) or expr.has(sympy.Float):
        return UnicodePrinter(values).doprint(expr)
    return _unicode_exact(expr)


@lru_cache(maxsize=4096)
def _unicode_exact(expr) -> str:
    # Without values or floats the text depends on the expression alone (no digits, nothing
    # rounded), and an explanation shows most expressions more than once.
    return UnicodePrinter().doprint(expr)


def tex(expr, values=None, **settings) -> str:
    return TexPrinter(values, **settings).doprint(expr)


def claim(expr, values=None) -> str:
    return ClaimPrinter(values).doprint(expr)
