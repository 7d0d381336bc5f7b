"""The two kernels the matrix operations are written against: float64 arrays and SymPy entries.

Each entry of :data:`symback.model.tensor_ops.OPS` computes with ``K.matmul``, ``K.apply``, …
and NumPy's arithmetic; :data:`FLOAT` runs it on float64 arrays (the numbers), :data:`SYMBOLIC`
on arrays of SymPy expressions (each entry's formula: for the exact numbers shown, the
entry-by-entry check against ``sympy.diff`` and the "why this rule" lines). One code, two uses.

The numbers shown must be the same on every machine, so no reduction goes through BLAS:
a product ``A @ B`` is ``Σ_j A_ij B_jk`` summed by ``numpy.add.reduce`` in a fixed order, and an
elementwise function is the scalar engine's float function (libm), entry by entry.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy

from ...model import ops
from ..numeric import evaluate

_U = sympy.Dummy("u", real=True)


@lru_cache(maxsize=None)
def scalar_function(name: str):
    """The scalar language's function ``name`` from the Op table, as (SymPy callable, f′(u) in the dummy u),
    both the table's (``op.sympy``, ``op.derivative``): a function added to the table is elementwise in
    matrix models with nothing else to write."""
    op = ops.ELEMENTWISE[name]
    return op.sympy, op.derivative(_U)


def _map(fn, a, dtype):
    a = np.asarray(a)
    return np.asarray(np.frompyfunc(fn, 1, 1)(a), dtype=dtype).reshape(a.shape)


class FloatKernel:
    """float64 arrays; fixed-order sums."""

    dtype = float

    def const(self, q):
        return np.asarray(float(q))

    def matmul(self, a, b):
        """a @ b as Σ_j a_ij b_jk by numpy.add.reduce (not BLAS: the same digits everywhere)."""
        a, b = np.asarray(a), np.asarray(b)
        if a.ndim == 1 and b.ndim == 1:
            return np.asarray(np.add.reduce(a * b))
        if a.ndim == 2 and b.ndim == 1:
            return np.add.reduce(a * b[None, :], axis=1)
        if a.ndim == 1 and b.ndim == 2:
            return np.add.reduce(np.ascontiguousarray((a[:, None] * b).T), axis=1)
        return np.add.reduce(a[:, None, :] * np.ascontiguousarray(b.T)[None, :, :], axis=2)

    def outer(self, a, b):
        return np.asarray(a)[:, None] * np.asarray(b)[None, :]

    def T(self, a):  # noqa: N802 - the transpose, as NumPy spells it
        return np.asarray(a).T

    def total(self, a):
        return np.asarray(np.add.reduce(np.asarray(a).reshape(-1)))

    def size(self, a):
        return self.const(np.asarray(a).size)

    def broadcast(self, a, shape):
        return np.full(shape, np.asarray(a).item(), dtype=self.dtype)

    def power(self, a, c):
        return np.asarray(a) ** np.asarray(c)

    def apply(self, name: str, a):
        value = scalar_function(name)[0](_U)
        return _map(lambda v: evaluate(value, {_U: float(v)}), a, float)

    def derivative(self, name: str, a, out=None):
        derivative = scalar_function(name)[1]
        return _map(lambda v: evaluate(derivative, {_U: float(v)}), a, float)

    def softmax(self, z):
        """e^(z − max z) / Σ e^(z − max z): the same value as e^z / Σ e^z, without overflow."""
        e = self.apply("exp", np.asarray(z) - np.max(z))
        return e / self.total(e)

    def logsumexp(self, z):
        m = np.max(z)
        return np.asarray(m + self.apply("log", self.total(self.apply("exp", np.asarray(z) - m))))

    def log_softmax(self, z):
        return np.asarray(z) - self.logsumexp(z)

    def cross_entropy(self, z, y):
        """−log softmax(z)_y = logsumexp(z) − z_y."""
        return np.asarray(self.logsumexp(z) - np.asarray(z)[_label(y)])

    def onehot(self, y, shape):
        out = np.zeros(shape, dtype=self.dtype)
        out[_label(y)] = 1
        return out


class SymbolicKernel(FloatKernel):
    """Arrays of SymPy expressions: every entry's formula in the entries of the operands."""

    dtype = object

    def const(self, q):
        # strict: a number or SymPy object converts, text is refused (user text is never parsed by SymPy)
        return np.asarray(sympy.Rational(q.numerator, q.denominator) if isinstance(q, Fraction) else sympy.sympify(q, strict=True),
                          dtype=object)

    def matmul(self, a, b):
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        if a.ndim == 1 and b.ndim == 1:
            return np.asarray(sympy.Add(*(a * b)), dtype=object)
        if a.ndim == 2 and b.ndim == 1:
            return _objects([sympy.Add(*(a[i] * b)) for i in range(a.shape[0])])
        if a.ndim == 1 and b.ndim == 2:
            return _objects([sympy.Add(*(a * b[:, k])) for k in range(b.shape[1])])
        return _objects([[sympy.Add(*(a[i] * b[:, k])) for k in range(b.shape[1])] for i in range(a.shape[0])])

    def total(self, a):
        return np.asarray(sympy.Add(*np.asarray(a, dtype=object).reshape(-1)), dtype=object)

    def size(self, a):
        return np.asarray(sympy.Integer(np.asarray(a).size), dtype=object)

    def broadcast(self, a, shape):
        out = np.empty(shape, dtype=object)
        out.fill(np.asarray(a, dtype=object).item())
        return out

    def power(self, a, c):
        c = np.asarray(c, dtype=object).item()
        return _map(lambda v: v**c, a, object)

    def apply(self, name: str, a):
        return _map(scalar_function(name)[0], a, object)

    def derivative(self, name: str, a, out=None):
        derivative = scalar_function(name)[1]
        return _map(lambda v: derivative.xreplace({_U: v}), a, object)

    def softmax(self, z):
        e = self.apply("exp", z)
        return e / self.total(e)

    def logsumexp(self, z):
        return np.asarray(sympy.log(self.total(self.apply("exp", z)).item()), dtype=object)

    def cross_entropy(self, z, y):
        return np.asarray(self.logsumexp(z).item() - np.asarray(z, dtype=object)[_label(y)], dtype=object)

    def onehot(self, y, shape):
        out = np.empty(shape, dtype=object)
        out.fill(sympy.S.Zero)
        out[_label(y)] = sympy.S.One
        return out


def _objects(rows):
    out = np.empty((len(rows),) + ((len(rows[0]),) if rows and isinstance(rows[0], list) else ()), dtype=object)
    for i, row in enumerate(rows):
        out[i] = np.asarray(row, dtype=object) if isinstance(row, list) else row
    return out


def _label(y) -> int:
    """A class index given as a number (float or SymPy integer)."""
    return int(np.asarray(y).item())


FLOAT = FloatKernel()
SYMBOLIC = SymbolicKernel()
