"""The numba backend: loss and gradient fused into one compiled pass over the data.

The kernels are printed from the same straight-line code as the Python and
NumPy functions (:class:`symback.train.compile.Program`: the graph's forward lines,
then its reverse pass), but run once per sample inside a loop, so every
value of a sample lives in a register and the data are read once per pass:

    for i in 1..n:                      c, t = the inputs and target of sample i
        v_k = (node k's operation)      forward
        a_u = Σ_v a_v·∂v/∂u             reverse
        S += L_i;  G_p += ∂L_i/∂p       sums, in float64
    L = S/n,  ∂L/∂p = G_p/n,  p' = p − η·∂L/∂p

- ``batch``: that pass and the update (full batch; a minibatch passes its rows);
- ``loss``: the forward lines only, for the mean loss of an epoch;
- ``sgd_epoch``: p ← p − η·∂L_i/∂p for i = 1..n in order, in the working type
  in the order of the per-sample code (so float32 runs as PyTorch computes);
- ``minibatch_epoch``: batch steps over consecutive slices of a given order.

Reductions may be reassociated (numba's ``fastmath={'reassoc'}``), which lets
LLVM vectorise the sums; nothing assumes finite numbers, so a diverging run
still shows inf or nan. Division by zero gives inf (NumPy's rules), not an
exception. Only internal names (p0, c0, t, v3, …) and printed numbers reach
the generated source, never user text. Each kernel is compiled on first use.
"""

from __future__ import annotations

import math
from functools import cached_property

import sympy
from sympy.printing.pycode import PythonCodePrinter

from .backends import _Hooks
from .code import ETA
from ..errors import MissingExtra, install_hint, option
from ..model.ops import BY_CLASS

#: the table's functions that are not the math module's (sigmoid, relu, sign, …)
_OWN = [op for op in BY_CLASS.values() if op.numba is not None]
#: helpers the printed code calls; F is the working float type
_HELPERS = "".join(op.numba for op in _OWN) + '''
def LogSigmoid(z):
    return (z if z < F(0.0) else F(0.0)) - log1p(exp(-abs(z)))

def heaviside(z, h0):
    return F(1.0) if z > F(0.0) else (F(0.0) if z < F(0.0) else F(h0))

def fpow(a, b):
    return pow(a, b)
'''


def numba_module():
    """numba, or an error that says how to install it."""
    try:
        import numba
    except ImportError:
        raise MissingExtra(f"{option('backend')} numba needs numba: " + install_hint("numba")) from None
    return numba


#: up to this many parameters, the SGD kernel keeps them in variables (registers); more go in an array
SCALARS = 8


class _Printer(_Hooks, PythonCodePrinter):
    """Python code for numba: math functions by their short names, the table's own as helpers (sign())."""

    def _print_helper(self, expr):
        return f"{expr.func.__name__}({self._print(expr.args[0])})"


for _op in _OWN:
    setattr(_Printer, f"_print_{_op.code}", _Printer._print_helper)


class _Float32Printer(_Printer):
    """Every number a float32, F(2.0), so no operation widens to float64."""

    def _number(self, expr):
        return f"F({float(expr)!r})"

    _print_Integer = _print_Rational = _print_Float = _print_NumberSymbol = _print_Pi = _print_Exp1 = _number
    _print_Zero = _print_One = _print_NegativeOne = _print_Half = _number


class NumbaKernels:
    """The compiled kernels of one :class:`~symback.train.compile.Program` in ``dtype``."""

    def __init__(self, program, dtype: str):
        import numpy as np

        self.numba, self.np, self.program = numba_module(), np, program
        self.float = np.float32 if dtype == "float32" else np.float64
        printer = _Float32Printer if dtype == "float32" else _Printer
        self.printer = printer({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
        self.namespace = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}
        self.namespace.update(np=np, F=self.float)
        exec(_HELPERS, self.namespace)  # noqa: S102 - our own fixed source, no user text
        for name in (*(op.code for op in _OWN), "LogSigmoid", "heaviside", "fpow"):
            self.namespace[name] = self.numba.njit(self.namespace[name])
        self.columns = [f"col_{s}" for s in program.row]
        self.sources: dict[str, str] = {}

    # -- the Python-facing functions, with the signatures of the NumPy ones --------------------

    def batch(self, params, columns, lr, n=None):
        """(params, columns, lr[, n]) -> (params', mean loss, mean gradient): one fused pass."""
        new, loss, grads = self._batch(self._params(params), *columns, self.float(lr))
        return tuple(new), loss, tuple(grads)

    def loss(self, params, columns, n=None):
        """(params, columns[, n]) -> mean loss."""
        return self._loss(self._params(params), *columns)

    def sgd_epoch(self, params, columns, lr):
        """(params, columns, lr) -> (params after one update per sample in order, last sample's loss)."""
        new, last = self._sgd(self._params(params), *columns, self.float(lr))
        return tuple(new), last

    def minibatch_epoch(self, params, columns, lr, order, size: int):
        """Mean-loss updates on order[0:size], order[size:2·size], … -> (params', last update's loss)."""
        new, last = self._minibatch(self._params(params), *columns, self.float(lr), order, size)
        return tuple(new), last

    def _params(self, params):
        return self.np.array(params, dtype=self.float)

    # -- the kernels -----------------------------------------------------------------------------

    @cached_property
    def _batch(self):
        code = self.program.gradient()
        loss, grads = code.result
        k = len(grads)
        body = self._loop(code.lines, ["total += " + self._print(loss)] + self._sums(grads))
        tail = ([f"mean{j} = F(sum{j} / n)" for j in range(k)] + ["new = np.empty(%d, F)" % k] + self._update()
                + self._array("grads", [f"mean{j}" for j in range(k)]) + ["return new, F(total / n), grads"])
        head = ["total = 0.0"] + [f"sum{j} = 0.0" for j in range(k)]
        return self._compile("batch", ["lr"], head, body, tail, fast=True)

    @cached_property
    def _loss(self):
        code = self.program.loss_only()
        body = self._loop(code.lines, ["total += " + self._print(code.result)])
        return self._compile("loss", [], ["total = 0.0"], body, ["return F(total / n)"], fast=True)

    @cached_property
    def _sgd(self):
        code = self.program.step(gradient=False)
        updated, loss = code.result
        params = self.program.params
        if len(params) <= SCALARS:  # in registers: the chain of updates is the loop's critical path
            update = [", ".join(map(str, params)) + ", = " + ", ".join(map(self._print, updated)) + ","]
            head, load, tail = [], [], self._array("new", params)
        else:  # in an array: one assignment per name (numba's SSA pass is quadratic in reassigned names)
            update = [f"new[{j}] = {self._print(u)}" for j, u in enumerate(updated)]
            head, load, tail = ["new = P.copy()"], [f"{p} = new[{j}]" for j, p in enumerate(params)], []
        body = self._loop(code.lines, ["last = " + self._print(loss)] + update, first=load)
        return self._compile("sgd_epoch", ["lr"], ["last = F(0.0)"] + head, body, tail + ["return new, last"],
                             fast=False, unpack=len(params) <= SCALARS)

    @cached_property
    def _minibatch(self):
        code = self.program.gradient()
        loss, grads = code.result
        k = len(grads)
        load = [f"{p} = new[{j}]" for j, p in enumerate(self.program.params)]
        inner = self._loop(code.lines, ["total += " + self._print(loss)] + self._sums(grads),
                           rows="range(start, stop)", index="order[j]", indent=2)
        body = (["for start in range(0, n, size):", "    stop = min(start + size, n)", "    m = stop - start",
                 "    total = 0.0"] + [f"    sum{j} = 0.0" for j in range(k)] + ["    " + line for line in load]
                + inner + [f"    mean{j} = F(sum{j} / m)" for j in range(k)]
                + ["    " + line for line in self._update()] + ["    last = F(total / m)"])
        return self._compile("minibatch_epoch", ["lr", "order", "size"],
                             ["last = F(0.0)", "n = order.shape[0]", "new = P.copy()"], body, ["return new, last"],
                             fast=True, loop_length=False, unpack=False)

    # -- printing --------------------------------------------------------------------------------

    def _print(self, expr) -> str:
        return self.printer.doprint(expr)

    def _loop(self, lines, after, rows="range(n)", index="i", indent=1, first=()) -> list[str]:
        """The loop over samples: read sample i's inputs and target, then ``lines``, then ``after``."""
        pad = "    " * indent
        out = [pad[4:] + f"for {'j' if index != 'i' else 'i'} in {rows}:"]
        if index != "i":
            out.append(pad + f"i = {index}")
        out += [pad + line for line in first]
        out += [pad + f"{s} = col_{s}[i]" for s in self.program.row]
        out += [pad + f"{var} = {self._print(expr)}" for var, expr in lines if expr is not None]
        return out + [pad + line for line in after]

    def _sums(self, grads) -> list[str]:
        """sum_j += ∂L_i/∂p_j: plain variables, which LLVM keeps in registers (and vectorises)."""
        return [f"sum{j} += {self._print(g)}" for j, g in enumerate(grads)]

    def _update(self) -> list[str]:
        """new_j = p_j − η·mean_j, printed as the per-sample update is (the same rounding in float32)."""
        params = self.program.params
        new = [p - ETA * sympy.Symbol(f"mean{j}", real=True) for j, p in enumerate(params)]
        return [f"new[{j}] = {self._print(e)}" for j, e in enumerate(new)]

    def _array(self, name, values) -> list[str]:
        return ([f"{name} = np.empty({len(values)}, F)"]
                + [f"{name}[{j}] = {v}" for j, v in enumerate(values)])

    def _compile(self, name, extra, head, body, tail, fast: bool, loop_length: bool = True, unpack: bool = True):
        unpack = [f"{p} = P[{j}]" for j, p in enumerate(self.program.params)] if unpack else []
        length = [f"n = {self.columns[-1]}.shape[0]"] if loop_length else []
        lines = unpack + length + head + body + tail
        source = f"def {name}(P, {', '.join(self.columns + extra)}):\n" + "".join(f"    {line}\n" for line in lines)
        self.sources[name] = source
        exec(source, self.namespace)  # noqa: S102 - generated from internal names and numbers only
        options = {"error_model": "numpy", "fastmath": {"reassoc"} if fast else False}
        return self.numba.njit(**options)(self.namespace[name])
