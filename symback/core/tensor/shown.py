"""The numbers a matrix explanation shows, exact where the scalar engine is exact.

Every entry shown is a :class:`~symback.core.exact.Shown`: the float64 value computed (what the
results use) and the exact number printed for it. An operation's entries are computed from the
numbers shown for its operands: the operation runs once on the symbolic kernel, with a symbol per
operand entry, and each entry's formula (``W[0, 0]·x[0] + W[0, 1]·x[1]``) is evaluated exactly by
:func:`symback.core.exact.evaluate` (sums and products of typed decimals stay exact; tanh, e^z are
rounded and marked). So a printed ``=`` holds exactly, and ``≈`` marks a rounded entry.

The backward pass is :func:`symback.core.reverse.backward` once more, accumulating
:class:`Pair` (the float64 adjoint and its shown entries) instead of floats; each contribution is
a :class:`Term` (edge, the adjoint above, the contribution), so the printers can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Callable, Mapping, NamedTuple

import numpy as np

from .. import exact
from ..reverse import Adjoints, backward
from .graph import Edge, TensorGraph
from .kernels import FLOAT, SYMBOLIC
from .values import operand_value
from .verify import entry_symbols

#: nodes with more entries than this are shown rounded from their floats (exact entry formulas would swell)
MAX_EXACT_ENTRIES = 400


class Term(NamedTuple):
    """One contribution of the reverse pass: the edge, the adjoint above it, and what it adds below."""

    edge: Edge
    up: "Pair"
    contribution: "Pair"


@dataclass(frozen=True)
class Pair:
    """An adjoint: its float64 value and the entries shown for it."""

    value: np.ndarray
    shown: np.ndarray


def typed_array(values) -> np.ndarray:
    """User-typed numbers: each the decimal it prints as, exactly (0.1 is 1/10)."""
    values = np.asarray(values, dtype=float)
    out = np.empty(values.shape, dtype=object)
    for index in np.ndindex(*values.shape):
        out[index] = exact.typed(float(values[index]))
    return out


def rounded_array(values) -> np.ndarray:
    """Entries not computed exactly: the floats, rounded and marked approximate."""
    values = np.asarray(values, dtype=float)
    out = np.empty(values.shape, dtype=object)
    for index in np.ndindex(*values.shape):
        out[index] = exact.result(float(values[index]), None)
    return out


def shown_of(fn: Callable, operands: list, computed, sizes_ok: bool = True) -> np.ndarray:
    """The entries of ``fn(K, *operands)`` computed from the operands' shown entries.

    ``operands`` are (float array, shown array) pairs, or numbers (Fraction) and constant arrays
    (shown None) passed to the symbolic kernel as they are.
    """
    computed = np.asarray(computed, dtype=float)
    if not sizes_ok or computed.size > MAX_EXACT_ENTRIES:
        return rounded_array(computed)
    formulas, env = formulas_of(fn, operands)
    out = np.empty(computed.shape, dtype=object)
    for index in np.ndindex(*computed.shape):
        out[index] = exact.evaluate(formulas[index], env, float(computed[index])).as_result()
    return out


def formulas_of(fn: Callable, operands: list) -> tuple:
    """(each entry of ``fn(K, *operands)`` as a SymPy formula in symbols of the operands' entries,
    {symbol: the shown entry it stands for}); operands as for :func:`shown_of`."""
    symbolic, env = [], {}
    for i, operand in enumerate(operands):
        if isinstance(operand, Fraction):
            symbolic.append(SYMBOLIC.const(operand))
            continue
        value, shown = operand
        if shown is None:
            symbolic.append(np.asarray(value, dtype=float).astype(object))
            continue
        symbols = entry_symbols(f"a{i}", np.shape(value))
        env.update(zip(symbols.reshape(-1), np.asarray(shown, dtype=object).reshape(-1)))
        symbolic.append(symbols)
    return np.asarray(fn(SYMBOLIC, *symbolic), dtype=object), env


def forward_shown(graph: TensorGraph, values: Mapping) -> dict:
    """{name: shown entries} for every parameter, input and node."""
    small = all(int(np.prod(n.shape)) <= MAX_EXACT_ENTRIES for n in graph.nodes)
    shown = {name: typed_array(values[name]) for name, _ in graph.params + graph.inputs}
    for node in graph.nodes:
        fn, operands = node_step(node, values, shown)
        shown[node.name] = shown_of(fn, operands, values[node.name], small)
    return shown


def node_step(node, values, shown) -> tuple:
    """(the node's forward as a function of the kernel and its operands, the operands for :func:`shown_of`)."""
    operands = [_operand(values, shown, a, i in node.rule.constant_args) for i, a in enumerate(node.args)]
    return (lambda K, *args: node.rule.forward(K, *args, **node.kw)), operands


def edge_step(node, index: int, up: Pair, values, shown) -> tuple:
    """(the VJP of operand ``index`` as a function of the kernel, upstream, output and operands; those operands)."""
    operands = [_operand(values, shown, a, i in node.rule.constant_args) for i, a in enumerate(node.args)]
    rule = node.rule.vjps[index]

    def vjp(K, up_, out, *args):
        return rule(K, up_, list(args), out, **node.kw)
    return vjp, [(up.value, up.shown), (values[node.name], shown[node.name])] + operands


def _operand(values, shown, ref, constant: bool):
    if isinstance(ref, Fraction):
        return ref
    return (values[ref], None if constant else shown[ref])


def backward_shown(graph: TensorGraph, values: Mapping, shown: Mapping) -> Adjoints:
    """The reverse pass with :class:`Pair` adjoints: ∂L/∂L = 1, then each edge's VJP and each sum, shown."""
    small = all(int(np.prod(n.shape)) <= MAX_EXACT_ENTRIES for n in graph.nodes)

    def pull(up: Pair, edge: Edge) -> Term:
        node = graph[edge.node]
        args = [operand_value(values, a, FLOAT) for a in node.args]
        with np.errstate(all="ignore"):
            value = np.asarray(node.rule.vjps[edge.index](FLOAT, up.value, args, values[node.name], **node.kw),
                               dtype=float)
        fn, operands = edge_step(node, edge.index, up, values, shown)
        return Term(edge, up, Pair(value, shown_of(fn, operands, value, small)))

    def add(terms: list) -> Pair:
        parts = [t.contribution for t in terms]
        if len(parts) == 1:
            return parts[0]
        value = reduce(lambda s, t: s + t, [p.value for p in parts])
        entries = shown_of(lambda K, *xs: reduce(lambda s, t: s + t, xs), [(p.value, p.shown) for p in parts],
                           value, small)
        return Pair(value, entries)

    one = np.asarray(1.0)
    return backward(graph.order, graph.below, graph.loss, Pair(one, typed_array(one)), pull, add)
