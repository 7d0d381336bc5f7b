"""Printers and run-time functions for the code :mod:`symback.train.compile` generates.

Three kinds of numbers: Python floats (float64, no NumPy needed), NumPy
float32 scalars (every operation rounded to float32, as PyTorch's float32
tensors do) and NumPy arrays with one element per sample. The printers are
SymPy's own code printers with a few hooks:

- ``r**2`` prints as ``(r*r)``: one rounding, as PyTorch's pow(r, 2), and fast;
  ``u**-1`` as ``(1/u)``, other integer powers as ``**``, anything else as a
  power function that fails (or gives nan) instead of a complex number;
- in float32 code every constant is a float32, so no operation widens;
- batch reductions print as sums in a fixed order (Σ_i a_i·b_i, Σ_i r_i²),
  and transcendental functions run through the C library: the same bits on
  every processor.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable, NamedTuple

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

from ..errors import MissingExtra, install_hint, option
from ..model.ops import BY_CLASS


class _Hooks:
    """Printing hooks shared by every backend."""

    def _print_Add(self, expr, order=None):
        # Positive terms first, then subtractions: v - t rather than -t + v
        # (one operation fewer, and PyTorch's order for p - lr*g).
        terms = sorted(expr.args, key=lambda term: term.could_extract_minus_sign())
        level = PRECEDENCE["Add"]
        first = terms[0]
        text = self.parenthesize(first, level) if not first.could_extract_minus_sign() else self._print(first)
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                text += " - " + self.parenthesize(-term, level, strict=True)
            else:
                text += " + " + self.parenthesize(term, level)
        return text

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.args
        one = self._print(sympy.S.One)
        if exp == 2 and base.is_Symbol:
            return f"({self._print(base)}*{self._print(base)})"
        if exp == -1:
            return f"({one}/{self.parenthesize(base, PRECEDENCE['Mul'], strict=True)})"
        if abs(exp) == sympy.S.Half:
            root = f"sqrt({self._print(base)})"
            return root if exp > 0 else f"({one}/{root})"
        if exp.is_Integer:
            return f"{self.parenthesize(base, PRECEDENCE['Pow'], strict=True)}**({int(exp)})"
        return f"fpow({self._print(base)}, {self._print(exp)})"

    def _print_Heaviside(self, expr):
        # relu'(z) = H(z) with H(0) given by the second argument (0, as PyTorch)
        h0 = expr.args[1] if len(expr.args) > 1 else sympy.S.Half
        return f"heaviside({self._print(expr.args[0])}, {self._print(h0)})"

    def _print_Mean(self, expr):
        e, n = expr.args
        if e.is_Pow and e.exp == 2 and e.base.is_Symbol:
            return f"mean_square({self._print(e.base)}, {self._print(n)})"
        return f"mean({self._print(e)}, {self._print(n)})"

    def _print_SumProd(self, expr):
        # Σ_i (c·a_i)(d·b_i) = c·d·Σ_i a_i·b_i: the numbers stay out of the arrays
        (ca, a), (cb, b), n = expr.args[0].as_coeff_Mul(), expr.args[1].as_coeff_Mul(), expr.args[2]
        total = f"sumprod({self._print(a)}, {self._print(b)}, {self._print(n)})"
        coeff = ca * cb
        if coeff == 1 or coeff == -1:
            return total if coeff == 1 else f"-{total}"
        return f"{self.parenthesize(coeff, PRECEDENCE['Mul'])}*{total}"


class _PythonPrinter(_Hooks, PythonCodePrinter):
    pass


@lru_cache(maxsize=None)
def _numpy_printers() -> tuple[type, type]:
    """(float64 printer, float32 printer) for NumPy code; made on first use (a slow import)."""
    from sympy.printing.numpy import NumPyPrinter

    class _NumPyPrinter(_Hooks, NumPyPrinter):
        pass

    class _Float32Printer(_NumPyPrinter):
        """Every number a float32: f(x) = float32(2)*x, never a float64 2.0."""

        def _number(self, expr):
            return f"float32({float(expr)!r})"

        _print_Integer = _print_Rational = _print_Float = _print_NumberSymbol = _print_Pi = _print_Exp1 = _number
        _print_Zero = _print_One = _print_NegativeOne = _print_Half = _number

    return _NumPyPrinter, _Float32Printer


class Backend(NamedTuple):
    """What lambdify needs for one kind of number, and how to make such a number."""

    printer_class: type
    modules: list
    number: Callable

    def printer(self):
        """A printer as lambdify makes its own: short names, unknown functions by name."""
        names = {k: k for k in self.modules[0]}
        return self.printer_class({"fully_qualified_modules": False, "inline": True,
                                   "allow_unknown_functions": True, "user_functions": names})


def _python_functions() -> dict:
    log1p, exp = math.log1p, math.exp

    def log_sigmoid(z):
        # log σ(z) = min(z, 0) − log(1 + e^−|z|)
        return (z if z < 0 else 0.0) - log1p(exp(-abs(z)))

    def heaviside(z, h0=0.5):
        return 1.0 if z > 0 else (0.0 if z < 0 else float(h0))

    # the table's own float functions; the others are the math module's (exp, tanh, …)
    own = {op.code: op.python for op in BY_CLASS.values() if op.python is not None}
    return {**own, "LogSigmoid": log_sigmoid, "heaviside": heaviside, "fpow": math.pow}


# Functions whose NumPy loops are picked by the processor (SVML on AVX-512, other
# kernels on AVX2 or ARM) and so differ in the last bit between machines. Shown
# numbers must not, so these run through the C library, value by value, exactly
# as the float64 per-sample code does; +, −, ×, ÷, sqrt and abs are IEEE-exact and
# stay vectorised.
_TRANSCENDENTAL = (*(op.code for op in BY_CLASS.values() if op.portable), "log1p", "expm1")


def _ieee(name: str) -> Callable[[float], float]:
    """``math.<name>`` with IEEE results in place of Python's exceptions (exp(1000) = inf, log(−1) = nan)."""
    f = getattr(math, name)

    def safe(v: float) -> float:
        try:
            return f(v)
        except OverflowError:
            return math.inf
        except ValueError:
            if name in ("log", "log1p") and v == (0.0 if name == "log" else -1.0):
                return -math.inf
            return math.nan

    return safe


def _portable(np, dtype, name: str) -> Callable:
    """An elementwise ``math.<name>`` over arrays or scalars of ``dtype``, the same bits on every machine."""
    fast, safe = getattr(math, name), _ieee(name)

    def apply(x):
        values = np.asarray(x, dtype=np.float64)
        flat = values.ravel().tolist()
        # straight into an array, no list of results between (a third faster on 10⁶ values)
        try:
            out = np.fromiter(map(fast, flat), dtype=np.float64, count=len(flat))
        except (OverflowError, ValueError):
            out = np.fromiter(map(safe, flat), dtype=np.float64, count=len(flat))
        result = out.reshape(values.shape).astype(dtype, copy=False)
        return result if result.ndim else dtype(result)

    return apply


def _portable_pow(np, dtype) -> Callable:
    """Elementwise a**b through ``math.pow`` (NumPy's power loop is processor-dependent too)."""
    def one(a: float, b: float) -> float:
        try:
            return math.pow(a, b)
        except OverflowError:
            return math.inf
        except ValueError:  # 0 to a negative power, or a negative base to a fractional one
            return math.inf if a == 0.0 else math.nan

    def apply(a, b):
        a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
        out = np.array(list(map(one, a.ravel().tolist(), b.ravel().tolist())), dtype=np.float64)
        result = out.reshape(a.shape).astype(dtype, copy=False)
        return result if result.ndim else dtype(result)

    return apply


_BLOCK = 1 << 15


def _sum_of_products(np, a, b):
    """Σ_i a_i·b_i in an order fixed by the code alone: pairwise within blocks of 2¹⁵, then over the blocks.

    The products of one block live in a buffer that stays in cache, so this
    reads the data once and allocates no array as long as the data.
    """
    n = a.shape[0]
    if n <= _BLOCK:
        return np.add.reduce(a * b)
    buffer = np.empty(_BLOCK, dtype=np.result_type(a, b))
    partial = np.empty((n + _BLOCK - 1) // _BLOCK, dtype=buffer.dtype)
    for k, start in enumerate(range(0, n, _BLOCK)):
        stop = min(start + _BLOCK, n)
        products = np.multiply(a[start:stop], b[start:stop], out=buffer[:stop - start])
        partial[k] = np.add.reduce(products)
    return np.add.reduce(partial)


def _numpy_functions(np, dtype) -> dict:
    portable = {name: _portable(np, dtype, name) for name in _TRANSCENDENTAL}
    exp, log1p = portable["exp"], portable["log1p"]
    own = {op.code: op.numpy(np, dtype, portable) for op in BY_CLASS.values() if op.numpy is not None}

    def log_sigmoid(z):
        return np.minimum(z, 0) - log1p(exp(-np.abs(z)))

    # Sums in a fixed order: NumPy's pairwise add.reduce, never numpy.dot, whose
    # BLAS kernel (and so its rounding) depends on the processor.
    def mean(e, n):
        # a value the same for every sample is its own mean
        return np.add.reduce(e) / e.size if np.ndim(e) else e

    def mean_square(r, n):
        return _sum_of_products(np, r, r) / n if np.ndim(r) else r * r

    def sumprod(a, b, n):
        if np.ndim(a) and np.ndim(b):
            return _sum_of_products(np, a, b)
        if np.ndim(a) or np.ndim(b):
            return np.add.reduce(a) * b if np.ndim(a) else a * np.add.reduce(b)
        return a * b * n

    return {**portable, **own, "LogSigmoid": log_sigmoid,
            "heaviside": np.heaviside, "fpow": _portable_pow(np, dtype), "float32": np.float32, "mean": mean,
            "mean_square": mean_square, "sumprod": sumprod}


def numpy_module():
    """NumPy, or an error that says how to install it."""
    try:
        import numpy
    except ImportError:
        raise MissingExtra(
            f"this needs NumPy (batch and minibatch modes on large data, {option('dtype')} float32): " + install_hint("fast")
        ) from None
    return numpy


def scalar_backend(dtype: str) -> Backend:
    """Per-sample code: Python floats for float64, NumPy float32 scalars for float32."""
    if dtype == "float64":
        return Backend(_PythonPrinter, [_python_functions(), "math"], float)
    np = numpy_module()
    return Backend(_numpy_printers()[1], [_numpy_functions(np, np.float32), "numpy"], np.float32)


def array_backend(dtype: str) -> Backend:
    """Batch code on NumPy arrays of ``dtype``."""
    np = numpy_module()
    number = np.float32 if dtype == "float32" else np.float64
    printer = _numpy_printers()[dtype == "float32"]
    return Backend(printer, [_numpy_functions(np, number), "numpy"], number)
