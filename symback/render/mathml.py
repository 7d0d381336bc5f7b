"""Presentation MathML from SymPy, matching symback's LaTeX printer.

``MathMLPrinter`` subclasses SymPy's ``MathMLPresentationPrinter`` and adds
what :class:`symback.render.printers.TexPrinter` does: terms and factors in
the stored order (as the user wrote them), parts listed in ``values``
printed as numbers (negative ones parenthesised inside larger expressions),
ŷ and η, ∂L/∂w as a fraction of partials, σ for the sigmoid, ln for log,
and numbers in their shortest round-trip form. The output uses only MathML
Core elements (no <mfenced>), which browsers render natively.
"""

from __future__ import annotations

from typing import Mapping

import sympy
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional

from ..model.entry_names import split_entry
from ..model.ops import BY_CLASS
from ..core.numeric import format_float
from .printers import _Display, is_gradient, function_args, function_name

#: symbols drawn with an accent: name -> (base letter, accent)
ACCENTS = {"y_hat": ("y", "^"), "Kbar": ("K", "¯")}
LETTERS = {"eta": "η", "pi": "π"}


class MathMLPrinter(_Display, MathMLPresentationPrinter):
    """MathML with symback's conventions; ``values`` prints those parts as numbers (a negative
    one in parentheses inside anything larger, a function's argument too)."""

    printmethod = "_symback_mathml"
    halves_of_sums = True

    def __init__(self, values: Mapping | None = None):
        super().__init__({"order": "none", "ln_notation": True})
        self.values = dict(values or {})

    def doprint(self, expr) -> str:
        return self._print(expr).toxml()

    def _operand(self) -> bool:
        return bool(self._parents)

    def _negative(self, value: float, shown) -> bool:
        return value < 0

    def _wrap(self, inner):
        return self._paren(inner)

    # -- building blocks ----------------------------------------------------

    def _el(self, tag: str, *children, text: str | None = None):
        element = self.dom.createElement(tag)
        if text is not None:
            element.appendChild(self.dom.createTextNode(_xml(text)))
        for child in children:
            element.appendChild(child)
        return element

    def _mo(self, text: str):
        return self._el("mo", text=text)

    def _paren(self, inner):
        """(inner); the parentheses stretch only around something tall (browsers space
        stretchy parentheses around plain text too widely)."""
        tall = any(tag in inner.toxml() for tag in ("<mfrac", "<munderover", "<msqrt"))
        left, right = self._mo("("), self._mo(")")
        if not tall:
            left.setAttribute("stretchy", "false")
            right.setAttribute("stretchy", "false")
        return self._el("mrow", left, inner, right)

    def _number(self, value: float):
        text = format_float(value)
        if "e" in text:
            mantissa, exponent = text.split("e")
            power = self._el("msup", self._el("mn", text="10"), self._el("mn", text=str(int(exponent)).replace("-", "−")))
            return self._el("mrow", self._el("mn", text=mantissa.replace("-", "−")), self._mo("·"), power)
        return self._el("mn", text=text.replace("-", "−"))

    def parenthesize(self, item, level, strict=False):
        if item in self.values or is_gradient(item):  # ∂L/∂w is a fraction: no parentheses
            return self._print(item)
        value = precedence_traditional(item)
        if value < level or (not strict and value <= level):
            return self._paren(self._print(item))
        return self._print(item)

    # -- atoms --------------------------------------------------------------

    def _print_Symbol(self, sym, style="plain"):
        if entry := split_entry(sym.name):  # one entry of a matrix: W₁[0,1]
            index = [self._el("mn", text=i) for i in entry[1]]
            index = [part for i in index for part in (self._mo(","), i)][1:]
            return self._el("mrow", self._print_Symbol(sympy.Symbol(entry[0], real=True)), self._mo("["), *index,
                            self._mo("]"))
        if sym.name in ACCENTS:
            base, accent = ACCENTS[sym.name]
            return self._el("mover", self._el("mi", text=base), self._mo(accent), )
        if sym.name in LETTERS:
            return self._el("mi", text=LETTERS[sym.name])
        return super()._print_Symbol(sym, style)

    _print_Dummy = _print_Symbol

    def _print_Integer(self, expr):
        return self._number(float(expr)) if abs(expr.p) < 10**16 else self._el("mn", text=str(expr.p))

    def _print_Float(self, expr):
        return self._number(float(expr))

    def _print_Rational(self, expr):
        fraction = self._el("mfrac", self._el("mn", text=str(abs(expr.p))), self._el("mn", text=str(expr.q)))
        return self._el("mrow", self._mo("−"), fraction) if expr.p < 0 else fraction

    def _print_Pi(self, expr):
        return self._el("mi", text="π")

    # -- operations ---------------------------------------------------------

    def _print_Add(self, expr, order=None):
        row = self._el("mrow")
        for i, term in enumerate(self._as_ordered_terms(expr)):
            negative = term.could_extract_minus_sign() and term not in self.values
            if i or negative:
                row.appendChild(self._mo("−" if negative else "+"))
            shown = -term if negative else term
            row.appendChild(self.parenthesize(shown, PRECEDENCE["Add"], strict=True) if i else self._print(shown))
        return row

    def _print_Mul(self, expr):
        factors = list(expr.args)
        inner = self._unsigned(factors)
        if inner is not None:
            return self._el("mrow", self._mo("−"), self.parenthesize(inner, PRECEDENCE["Mul"]))
        top, bottom = self._fraction(factors)
        numerator = self._product(top) if top else self._el("mn", text="1")
        if not bottom:
            return numerator
        return self._el("mfrac", numerator, self._product(bottom))

    def _product(self, factors):
        if len(factors) == 1:
            return self._print(factors[0])
        row = self._el("mrow")
        for i, factor in enumerate(factors):
            if i:
                numbers = factors[i - 1].is_Number and factor.is_Number
                row.appendChild(self._mo("·" if self.values or numbers else "\u2062"))
            row.appendChild(self.parenthesize(factor, PRECEDENCE["Mul"]))
        return row

    def _print_Pow(self, expr):
        base, exp = expr.args
        if exp == sympy.Rational(1, 2):
            return self._el("msqrt", self._print(base))
        if exp.is_Number and exp.is_negative and exp not in self.values:
            return self._el("mfrac", self._el("mn", text="1"), self._print(base ** -exp))
        if isinstance(base, sympy.Function) and base not in self.values:
            # tanh²(u), as LaTeX writes it
            name = self._function_name(base)
            return self._el("mrow", self._el("msup", name, self._print(exp)), self._arguments(base))
        return self._el("msup", self.parenthesize(base, PRECEDENCE["Pow"], strict=True), self._print(exp))

    def _gradient(self, top, bottom):
        return self._el("mfrac", self._el("mrow", self._mo("∂"), self._print(top)),
                        self._el("mrow", self._mo("∂"), self._print(bottom)))

    def _rate(self, inner, var):
        d = self._el("mfrac", self._el("mi", text="d"), self._el("mrow", self._el("mi", text="d"), self._print(var)))
        return self._el("mrow", d, self._paren(self._print(inner)))

    def _function_name(self, expr):
        return self._el("mi", text=function_name(expr))

    def _arguments(self, expr):
        args = function_args(expr)
        row = self._el("mrow")
        for i, arg in enumerate(args):
            if i:
                row.appendChild(self._mo(","))
            row.appendChild(self._print(arg))
        return self._paren(row)

    def _print_Function(self, expr):
        return self._el("mrow", self._function_name(expr), self._arguments(expr))

    _print_Heaviside = _print_Function

    def _print_exp(self, expr):
        return self._el("msup", self._el("mi", text="e"), self._print(expr.args[0]))

    def _print_Abs(self, expr, exp=None):
        bars = self._mo("|"), self._mo("|")
        for bar in bars:
            bar.setAttribute("stretchy", "false")
        return self._el("mrow", bars[0], self._print(expr.args[0]), bars[1])

    def _print_Relational(self, expr):
        op = {"==": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠"}[expr.rel_op]
        return self._el("mrow", self._print(expr.lhs), self._mo(op), self._print(expr.rhs))

    _print_Equality = _print_StrictLessThan = _print_StrictGreaterThan = _print_Relational

    def _print_Sum(self, expr):
        (index, low, high), = expr.limits
        sigma = self._el("munderover", self._mo("∑"), self._el("mrow", self._print(index), self._mo("="),
                                                              self._print(low)), self._print(high))
        return self._el("mrow", sigma, self.parenthesize(expr.function, PRECEDENCE["Mul"]))

    def _print_Indexed(self, expr):
        return self._el("msub", self._print(expr.base.label), self._print(expr.indices[0]))


for _op in BY_CLASS.values():
    if f"_print_{_op.code}" not in vars(MathMLPrinter):  # eᵘ and |u| have their own
        setattr(MathMLPrinter, f"_print_{_op.code}", MathMLPrinter._print_Function)


def _xml(text: str) -> str:
    """Text for the raw text nodes of SymPy's DOM (which does not escape)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mathml(expr, values=None, display: bool = False) -> str:
    """``expr`` as a <math> element (inline, or a block with ``display``)."""
    inner = MathMLPrinter(values).doprint(expr)
    block = ' display="block"' if display else ""
    return f"<math{block}>{inner}</math>"
