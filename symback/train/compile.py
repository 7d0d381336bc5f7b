"""Code generation: the loss and its gradient as straight-line code, compiled once.

The graph's forward equations and the reverse pass (as in :mod:`symback.core.derive`)
become the assignments that ``sympy.lambdify`` receives as its common
subexpressions (its ``cse`` argument), so the generated function is

    v_k = (the one operation of node k)              forward, in graph order
    a_u = Σ over nodes v using u of  a_v · ∂v/∂u      reverse, in reverse order
    p'  = p − η · a_p                                  the gradient-descent update

It is linear in the size of the graph, computes every node (the residual r
among them) once and keeps it as one variable, and expands nothing. The local
∂v/∂u is the derivation's, SymPy's diff of v's one operation, with v's value
reused where it reappears (σ' = σ(1 − σ) becomes y_hat·(1 − y_hat)). User names never reach the code:
every symbol is renamed first (parameters p0, p1, …; inputs c0, …; target t).

One rewrite keeps binary cross-entropy finite (see :func:`fuse_log_sigmoid`):
log σ(z) and log(1 − σ(z)) become LogSigmoid(z) and LogSigmoid(−z), the same
numbers computed without forming σ(z), which rounds to 1 for large z.

Batch code (NumPy arrays, one element per sample) sums parameter gradients
in a fixed order (never BLAS: the same bits on every processor), takes the
mean loss and frees each array after its last use (see
:mod:`symback.train.code`): for w*x + b it allocates one column.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from functools import cached_property
from typing import Callable

import sympy

from .code import ETA, Code, tidy
from ..errors import SymbackError
from ..model.ops import OPS, sigmoid
from ..core.graph import Graph, build_graph, local_derivatives
from ..core.reverse import backward, group_by_node

DTYPES = ("float64", "float32")
COUNT = sympy.Symbol("n", positive=True)


class LogSigmoid(sympy.Function):
    """log σ(z) = −log(1 + e^(−z)) = min(z, 0) − log(1 + e^(−|z|));  d/dz = σ(−z)."""

    def fdiff(self, argindex=1):
        return sigmoid(-self.args[0])


class Mean(sympy.Function):
    """Mean(e, n) = (1/n) Σ_i e_i over the n samples of a batch."""


class SumProd(sympy.Function):
    """SumProd(a, b, n) = Σ_i a_i·b_i over the n samples (a or b may be one number)."""


def fuse_log_sigmoid(graph: Graph) -> Graph:
    """Replace log(s) by LogSigmoid(z) and log(1 − s) by LogSigmoid(−z) where s = σ(z).

    Exact: log σ(z) = LogSigmoid(z) and 1 − σ(z) = σ(−z). The fused node's operand
    is z, so the gradient reaches z as σ(−z) (or −σ(z)) and never divides by σ.
    """
    sig = {n.name: n.expr.args[0] for n in graph.nodes if n.expr.func is sigmoid}
    complement = {n.name: -sig[s] for n in graph.nodes for s in sig if n.expr == 1 - s}
    nodes = []
    for node in graph.nodes:
        arg = node.expr.args[0] if node.expr.func is sympy.log else None
        z = sig.get(arg, complement.get(arg)) if arg is not None else None
        if z is not None:
            node = replace(node, expr=LogSigmoid(z), op=OPS["generic"], children=tuple(z.free_symbols), shown=None)
        nodes.append(node)
    return replace(graph, nodes=tuple(nodes))


class Program:
    """The graph renamed to internal symbols, with its forward and reverse lines."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.names = _internal_names(graph)
        self._known = frozenset(self.names.values())
        self.params = tuple(self.names[p] for p in graph.params)
        self.row = tuple(self.names[c] for c in graph.inputs) + (self.names[graph.target],)
        self.inputs = self.row[:-1]
        self.loss = self.names[graph.loss]
        self.output = self.names[graph.output]
        self.forward = tuple((self.names[n.name], self._rename(n.expr)) for n in graph.nodes)
        self.locals = local_derivatives(graph)

    def _rename(self, expr: sympy.Expr) -> sympy.Expr:
        expr = expr.xreplace(self.names)
        stray = expr.free_symbols - self._known
        if stray:  # a bug, not a user error: every symbol must have an internal name
            raise SymbackError(f"internal error: {', '.join(map(str, stray))} has no value in the compiled code")
        return expr

    def reverse(self, batch: bool) -> tuple[list, list]:
        """Adjoint lines a_u = Σ a_v·∂v/∂u (reverse graph order) and one gradient per parameter.

        In a batch every variable holds one value per sample; a parameter's
        gradient is the mean over samples, Σ_i a_v,i·(∂v/∂p)_i / n.
        """
        lines, params = [], set(self.graph.params)

        def pull(up, local):
            d = self._rename(local.expr.xreplace({local.node.expr: local.node.name}))
            return SumProd(up, d, COUNT) if batch and local.child in params else up * d

        def add(terms):  # a node's adjoint: one line of code, its variable standing for it
            lines.append((sympy.Symbol(f"a{len(lines)}", real=True), sympy.Add(*terms)))
            return lines[-1][0]

        terms = backward(self.graph.order, group_by_node(self.locals), self.graph.loss,
                         sympy.Integer(1), pull, add, leaves=False).terms  # a parameter's sum is its gradient's line
        grads = []
        for i, param in enumerate(self.graph.params):
            total = sympy.Add(*terms.get(param, [sympy.Integer(0)]))
            grads.append(sympy.Symbol(f"g{i}", real=True))
            lines.append((grads[-1], total / COUNT if batch else total))
        return lines, grads

    def step(self, batch: bool = False, gradient: bool = True) -> Code:
        """(params, row, lr) -> (updated params, loss[, gradient]); batch: (params, columns, lr, n)."""
        lines, grads = self.reverse(batch)
        updated = tuple(p - ETA * g for p, g in zip(self.params, grads))
        loss = self._mean_loss(lines) if batch else self.loss
        args = (self.params, self.row, ETA) + ((COUNT,) if batch else ())
        result = (updated, loss, tuple(grads)) if gradient else (updated, loss)
        return tidy(args, list(self.forward) + lines, result, batch)

    def gradient(self) -> Code:
        """(params, row) -> (loss, gradient): the forward and reverse lines alone, no update."""
        lines, grads = self.reverse(False)
        return tidy((self.params, self.row), list(self.forward) + lines, (self.loss, tuple(grads)), False)

    def loss_only(self, batch: bool = False) -> Code:
        """(p0, p1, …, c0, …, t) -> loss, flat so that map() can feed it columns;
        batch: (params, columns, n) -> mean loss."""
        loss = self._mean_loss([]) if batch else self.loss
        args = (self.params, self.row, COUNT) if batch else self.params + self.row
        return tidy(args, list(self.forward), loss, batch)

    def predict(self) -> Code:
        """(params, inputs) -> y_hat."""
        return tidy((self.params, self.inputs), list(self.forward), self.output, False)

    def _mean_loss(self, lines) -> sympy.Expr:
        # The loss value itself is rarely reused: then Mean takes its expression
        # (Mean(r**2) prints as a dot product) and L is never stored.
        used = any(self.loss in e.free_symbols for _, e in lines)
        expr = self.loss if used else dict(self.forward)[self.loss]
        return Mean(expr, COUNT)


def _internal_names(graph: Graph) -> dict:
    names = {}
    for prefix, symbols in (("p", graph.params), ("c", graph.inputs), ("v", graph.order)):
        names.update({s: sympy.Symbol(f"{prefix}{i}", real=True) for i, s in enumerate(symbols)})
    names[graph.target] = sympy.Symbol("t", real=True)
    return names


BACKENDS = ("numpy", "numba")


def compile_problem(problem, dtype: str = "float64", arrays: bool = False, backend: str = "numpy") -> "Compiled":
    """Compile a Problem's loss, gradient, update and prediction (each function on first use).

    float64 per-sample code runs on Python floats (no NumPy needed); float32
    rounds every operation to float32 with NumPy scalars; ``arrays`` allows
    the batch code, on NumPy arrays of ``dtype``. ``backend="numba"`` makes the
    batch code, and whole epochs of per-sample updates, numba kernels that
    read the data once per pass (:mod:`symback.train.numba_backend`).
    """
    if dtype not in DTYPES:
        raise SymbackError(f"unknown dtype {dtype!r}; choose float64 or float32")
    if backend not in BACKENDS:
        raise SymbackError(f"unknown backend {backend!r}; choose {' or '.join(BACKENDS)}")
    return Compiled(problem, dtype, arrays or backend == "numba", backend)


class Compiled:
    """The compiled functions of one problem; each is made once, when first used.

    - ``step(params, row, lr) -> (params', loss)``: one update on one sample;
    - ``step_gradient(params, row, lr) -> (params', loss, gradient)``: the same, with ∂L/∂p;
    - ``loss(*params, *row) -> loss`` and ``predict(params, inputs) -> y_hat``;
    - ``batch(params, columns, lr, n) -> (params', mean loss, mean gradient)`` and
      ``batch_loss(params, columns, n)`` on arrays (only with ``arrays=True``);
    - ``kernels``: with the numba backend, the :class:`~symback.train.numba_backend.NumbaKernels`
      (``batch`` and ``batch_loss`` are theirs, and whole epochs run in one call).

    ``params``, ``row`` and ``inputs`` are tuples in the order of the problem's
    parameters and inputs (then y); ``number`` makes a Python float the working type.
    """

    def __init__(self, problem, dtype: str, arrays: bool, backend: str = "numpy"):
        from .backends import array_backend, scalar_backend

        self.params, self.inputs, self.dtype, self.backend = problem.param_names, problem.inputs, dtype, backend
        self.kernels = None
        if backend == "numba":  # first, so that a missing numba is reported before any work
            from .numba_backend import numba_module

            numba_module()
        self.program = Program(fuse_log_sigmoid(build_graph(problem)))
        self.scalar = scalar_backend(dtype)
        self.arrays = array_backend(dtype) if arrays else None
        self.number = self.scalar.number
        if backend == "numba":
            from .numba_backend import NumbaKernels

            self.kernels = NumbaKernels(self.program, dtype)

    def __repr__(self) -> str:
        backend = f", backend={self.backend!r}" if self.backend != "numpy" else ""
        return f"Compiled(params={self.params}, inputs={self.inputs}, dtype={self.dtype!r}{backend})"

    @cached_property
    def step(self) -> Callable:
        return self.program.step(gradient=False).function(self.scalar)

    @cached_property
    def step_gradient(self) -> Callable:
        return self.program.step().function(self.scalar)

    @cached_property
    def loss(self) -> Callable:
        return self.program.loss_only().function(self.scalar)

    @cached_property
    def predict(self) -> Callable:
        return self.program.predict().function(self.scalar)

    @cached_property
    def batch(self) -> Callable:
        if self.kernels is not None:
            return self.kernels.batch
        return self.program.step(batch=True).function(self._array_backend())

    @cached_property
    def batch_loss(self) -> Callable:
        if self.kernels is not None:
            return self.kernels.loss
        return self.program.loss_only(batch=True).function(self._array_backend())

    def _array_backend(self):
        if self.arrays is None:
            raise SymbackError("internal error: batch code needs compile_problem(..., arrays=True)")
        return self.arrays

    def source(self, name: str = "step") -> str:
        """The generated Python source of one function, to read."""
        return inspect.getsource(getattr(self, name))
