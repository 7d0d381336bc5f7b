"""One gradient entry in full, by the scalar engine: ``--entries W1[0,1]``.

The matrix rule ``∂L/∂W₁ = δ_u₁ xᵀ`` is the scalar chain rule applied to every entry at once.
To show that bridge, the loss is written out entry by entry along the graph: each entry of a
node that depends on the chosen parameter entry becomes a scalar definition
(``u1__0 = W1__0_0*x__0 + W1__0_1*x__1``, from the operation run on the symbolic kernel); every other
entry (other parameter entries, inputs, nodes the chosen entry does not reach) is a number of the
sample. The result is an ordinary scalar :class:`~symback.model.spec.Problem` with one parameter,
derived by :func:`symback.core.derive.explain` as any scalar lesson is: its graph, local
derivatives and backward pass. Its last definition is the loss (written ŷ, the scalar engine's
name for the model's value), and its loss is ŷ itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
import sympy

from ...errors import SpecError, option
from ...model import entry_names
from ...model.parse import symbol
from ...model.spec import OUTPUT, Y, Y_HAT
from .kernels import SYMBOLIC

_ENTRY = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\])?\s*\Z")
#: the most scalar definitions an entry's derivation may have
MAX_DEFINITIONS = 200


@dataclass(frozen=True)
class EntryDerivation:
    """The scalar derivation of ∂L/∂``param``[``index``] and the matrix rule's value for it."""

    param: str
    index: tuple
    scalar: object
    matrix_value: float

    @property
    def label(self) -> str:
        return self.param + (f"[{', '.join(map(str, self.index))}]" if self.index else "")


def parse_entry(text: str, graph) -> tuple:
    """``"W1[0,1]"`` -> ("W1", (0, 1)), checked against the parameter's shape."""
    match = _ENTRY.match(text or "")
    shapes = dict(graph.params)
    if not match or match.group(1) not in shapes:
        raise SpecError(f"{option('entries')} '{text}' must name a parameter entry such as "
                        f"{next(iter(shapes))}[0, 0]; the parameters are {', '.join(shapes)}")
    name = match.group(1)
    index = tuple(int(g) for g in match.group(2, 3) if g is not None)
    shape = shapes[name]
    if len(index) != len(shape) or any(i >= n for i, n in zip(index, shape)):
        raise SpecError(f"{option('entries')} {text}: {name} has shape {shape or 'scalar'}; give "
                        f"{len(shape)} index{'es' if len(shape) != 1 else ''} from 0")
    return name, index


def entry_name(name: str, index: tuple) -> str:
    """W1__0_1 for W1[0, 1] (printed W₁[0,1], see :mod:`symback.model.entry_names`); the model's
    output's entry is y_hat__0 (ŷ[0]), a scalar output yhat (y_hat is the scalar engine's last definition)."""
    return entry_names.entry_name("yhat" if name == OUTPUT and not index else name, index)


def explain_entry(derivation, text: str):
    """The derivation with ``entry`` set: the scalar derivation of the chosen entry's gradient."""
    from ..derive import explain

    graph = derivation.graph
    param, index = parse_entry(text, graph)
    problem = entry_problem(derivation, param, index)
    scalar = explain(problem, 0)
    value = float(np.asarray(derivation.gradient[param])[index])
    return replace(derivation, entry=EntryDerivation(param, index, scalar, value))


def entry_problem(derivation, param: str, index: tuple):
    """The scalar Problem of the loss written out entry by entry, with ``param[index]`` its one parameter."""
    from ...model.data import from_rows
    from ...model.spec import Problem

    graph, values = derivation.graph, derivation.values
    chosen = symbol(entry_name(param, index))
    dependent, definitions, constants = {chosen}, [], {}
    for node in graph.nodes:
        formulas = _formulas(node, graph, values)
        for idx in np.ndindex(*node.shape):
            expr = sympy.sympify(formulas[idx], strict=True)  # numbers and SymPy objects only: strict refuses text
            if expr.free_symbols & dependent:
                name = symbol(entry_name(node.name, idx)) if node.name != graph.loss else Y_HAT
                definitions.append((name, expr))
                dependent.add(name)
            else:
                constants[symbol(entry_name(node.name, idx))] = float(np.asarray(values[node.name])[idx])
    if len(definitions) > MAX_DEFINITIONS:
        raise SpecError(f"{option('entries')}: the loss written out entry by entry has {len(definitions)} definitions "
                        f"through {param}{list(index)}; at most {MAX_DEFINITIONS} are shown")
    used = set().union(*(e.free_symbols for _, e in definitions)) - dependent
    point = {}
    for s in sorted(used, key=lambda s: s.name):
        point[s.name] = constants[s] if s in constants else _leaf_value(derivation, s.name)
    target = point.pop("y", 0.0)  # a scalar target keeps its name; else y is unused (the loss is ŷ)
    inputs = tuple(point)
    row = [point[n] for n in inputs] + [target]
    return Problem(definitions=tuple(definitions), loss=Y_HAT, loss_name="custom",
                   params=((chosen.name, float(np.asarray(derivation.problem.param_values[param])[index])),),
                   inputs=inputs, data=from_rows(inputs + ("y",), [row]), lr=derivation.problem.lr)


def _formulas(node, graph, values) -> np.ndarray:
    """Each entry of the node as a formula in its operands' entry symbols (W1__0_1, x__1, …)."""
    operands = []
    for i, arg in enumerate(node.args):
        if isinstance(arg, Fraction):
            operands.append(SYMBOLIC.const(arg))
        elif i in node.rule.constant_args:  # the class label of ce: its number
            operands.append(np.asarray(values[arg]).astype(object))
        else:
            shape = graph.shape(arg)
            out = np.empty(shape, dtype=object)
            for idx in np.ndindex(*shape):
                out[idx] = symbol(entry_name(arg, idx))
            operands.append(out)
    return np.asarray(node.rule.forward(SYMBOLIC, *operands, **node.kw), dtype=object)


def _leaf_value(derivation, name: str) -> float:
    """The value of an entry symbol of a parameter or input (``W1__0_1``, ``x__1``)."""
    for leaf, value in list(derivation.problem.params) + list(derivation.sample.items()):
        array = np.asarray(value, dtype=float)
        for idx in np.ndindex(*array.shape):
            if entry_name(leaf, idx) == name:
                return float(array[idx])
    raise SpecError(f"no value for {name}")


__all__ = ["EntryDerivation", "explain_entry", "entry_problem", "parse_entry", "Y"]
