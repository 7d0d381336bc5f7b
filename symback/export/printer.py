"""SymPy expressions as Python source for the exported programs.

Expressions come from the Problem and the Derivation (never from user text);
every symbol prints under its program name (a user name, renamed only when it
would hide something the program uses). Functions print from a table per
target: ``torch.tanh`` where the gradient flows through the argument (a
tensor), ``torch.tanh(torch.as_tensor(x))`` where it is a plain number; NumPy's
``np.tanh`` everywhere. Sums print their positive terms first (``w*x - y``).
"""

from __future__ import annotations

import keyword

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

from ..model.ops import BY_CLASS, OPS

#: names the programs use for themselves; a user name equal to one gets a trailing _
RESERVED = frozenset({
    "torch", "np", "math", "random", "F", "data", "lr", "epoch", "forward", "loss", "gradient", "l", "x_", "index",
    "start", "order", "shuffle", "n", "size", "print", "range", "float", "zip", "list", "len",
    "grads", "row", "abs", "max", "min", "sum",
}) | frozenset(op.numpy_name for op in BY_CLASS.values() if op.numpy_helper) | frozenset(keyword.kwlist)

#: SymPy function -> (PyTorch, NumPy) spelling, from the table
FUNCTIONS = {op.sympy: (op.torch, op.numpy_name) for op in BY_CLASS.values()}
SQRT = (OPS["sqrt"].torch, OPS["sqrt"].numpy_name)


def program_name(name: str, taken: set) -> str:
    """``name``, or ``name_`` (``name__``, …) if the program already uses it."""
    while name in RESERVED or name in taken:
        name += "_"
    taken.add(name)
    return name


class ProgramPrinter(PythonCodePrinter):
    """Python source in the program's names.

    ``target`` is "pytorch" or "numpy"; ``tensors`` the symbols that hold
    tensors (PyTorch: what depends on a parameter); ``number`` wraps each
    constant (``F(2)`` in float32 NumPy programs, so that no operation widens);
    ``square`` prints u**2 as ``u * u`` (one rounding, as symback computes).
    """

    def __init__(self, names: dict, target: str, tensors=frozenset(), number: str | None = None,
                 square: bool = False):
        super().__init__({"fully_qualified_modules": False})
        self.names, self.target, self.tensors = names, target, frozenset(tensors)
        self.number, self.square = number, square

    def line(self, expr) -> str:
        """The right-hand side of an assignment (no brackets around a whole square)."""
        text = self.doprint(expr)
        return text[1:-1] if self.square and expr.is_Pow and expr.exp == 2 and expr.base.is_Symbol else text

    def _print_Symbol(self, expr):
        return self.names.get(expr, expr.name)

    def _constant(self, text: str) -> str:
        return f"{self.number}({text})" if self.number else text

    def _print_Integer(self, expr):
        return self._constant(str(expr.p))

    def _print_Rational(self, expr):
        return self._constant(f"{expr.p}/{expr.q}")

    def _print_Float(self, expr):
        return self._constant(repr(float(expr)))

    def _print_Half(self, expr):
        return self._print_Rational(expr)

    def _print_Add(self, expr, order=None):
        terms = sorted(expr.args, key=lambda term: term.could_extract_minus_sign())
        text = self._print(terms[0]) if terms[0].could_extract_minus_sign() else self.parenthesize(terms[0], PRECEDENCE["Add"])
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                text += " - " + self.parenthesize(-term, PRECEDENCE["Add"])
            else:
                text += " + " + self.parenthesize(term, PRECEDENCE["Add"])
        return text

    def _print_Mul(self, expr):
        if expr.args[0] == -1:
            return "-" + self.parenthesize(-expr, PRECEDENCE["Mul"], strict=True)
        factors = list(expr.args)
        if factors[0].is_Rational and not factors[0].is_Integer:  # 1/2 * u / v: the 2 goes under the line
            c = factors.pop(0)
            factors = ([sympy.Integer(c.p)] if c.p != 1 else []) + factors + [sympy.Pow(sympy.Integer(c.q), -1, evaluate=False)]
        below = lambda f: f.is_Pow and f.exp.is_number and f.exp.is_negative  # noqa: E731
        top = sorted((f for f in factors if not below(f)), key=lambda f: not f.is_Number)
        bottom = sorted((sympy.Pow(f.base, -f.exp, evaluate=False) if f.exp != -1 else f.base for f in factors if below(f)),
                        key=lambda f: not f.is_Number)
        text = " * ".join(self.parenthesize(f, PRECEDENCE["Mul"]) for f in top) or self._constant("1")
        if not bottom:
            return text
        if len(bottom) == 1:
            return f"{text} / {self.parenthesize(bottom[0], PRECEDENCE['Mul'])}"
        return f"{text} / ({' * '.join(self.parenthesize(f, PRECEDENCE['Mul']) for f in bottom)})"

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.args
        if exp == sympy.S.Half:
            return self._call(SQRT, (base,))
        if exp == -sympy.S.Half:
            return f"{self._constant('1')} / {self._call(SQRT, (base,))}"
        if exp == -1:
            return f"{self._constant('1')} / {self.parenthesize(base, PRECEDENCE['Mul'])}"
        if exp == 2 and self.square and base.is_Symbol:
            return f"({self._print(base)} * {self._print(base)})"
        # SymPy's strict=False brackets what binds as loosely as the level: (a**b)**c, a**(b*c)
        return f"{self.parenthesize(base, PRECEDENCE['Pow'])} ** {self.parenthesize(exp, PRECEDENCE['Pow'])}"

    def _print_Function(self, expr):
        names = FUNCTIONS.get(expr.func)
        if names is None:
            raise ValueError(f"no {self.target} spelling for {expr.func}")
        return self._call(names, expr.args)

    def _print_Heaviside(self, expr):
        # relu'(z) = H(z) with H(0) = 0, as PyTorch takes it
        z = self._print(expr.args[0])
        return f"np.heaviside({z}, 0.0)" if self.target == "numpy" else f"torch.heaviside({z}, torch.tensor(0.0))"

    def _call(self, names, args) -> str:
        name = names[0] if self.target == "pytorch" else names[1]
        text = ", ".join(self._print(a) for a in args)
        if self.target == "pytorch" and not any(a.free_symbols & self.tensors for a in args):
            text = f"torch.as_tensor({text})"  # a torch function needs a tensor, even of a plain number
        return f"{name}({text})"


for _op in BY_CLASS.values():
    setattr(ProgramPrinter, f"_print_{_op.code}", ProgramPrinter._print_Function)

