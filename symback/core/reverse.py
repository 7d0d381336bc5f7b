"""The reverse pass, once, for anything it accumulates.

For a graph whose nodes are in topological order, the adjoint of a variable u is

    ā_u = Σ over the edges (v → u)  pull(ā_v, edge)

summed over the nodes v that use u, taken from the top (the loss, ā_L = seed) down.
For scalars ``pull(up, edge) = up · ∂v/∂u``; for a matrix product it is a
vector-Jacobian product (``δ xᵀ``, ``Wᵀ δ``). What an adjoint *is* depends on the
caller: a float (explain), a SymPy expression (the closed form), a line of generated
code (compile), a value with one local derivative changed (check's diagnosis). The
order of the walk and of the terms of each sum is the same for all of them, which
is what makes their results agree digit for digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence


@dataclass
class Adjoints:
    """The result of one reverse pass.

    ``value[u]`` is ā_u for every variable the top reaches; ``terms[u]`` lists its
    contributions in the order they were added, each ``(edge, up, contribution)``.
    """

    value: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)


def backward(order: Sequence[Hashable], below: Mapping[Hashable, Iterable[Any]], top: Hashable, seed: Any,
             pull: Callable[[Any, Any], Any], add: Callable[[list], Any],
             child: Callable[[Any], Hashable] = lambda edge: edge.child) -> Adjoints:
    """Reverse accumulation from ``top`` (adjoint ``seed``) down the edges ``below[node]``.

    ``order`` is the nodes in topological order (operands before their users);
    ``pull(up, edge)`` is the edge's contribution to its child's adjoint, given the
    adjoint ``up`` of the node above; ``add(contributions)`` sums a variable's
    contributions once all of them are in (so a caller may show the sum). Nodes the
    top does not reach get no adjoint.
    """
    out = Adjoints(value={top: seed})
    for node in reversed(order):
        if node != top:
            contributions = out.terms.get(node)
            if not contributions:
                continue  # not below the top, or not yet reached
            out.value[node] = add([c for _, _, c in contributions])
        up = out.value.get(node)
        if up is None:
            continue
        for edge in below.get(node, ()):
            out.terms.setdefault(child(edge), []).append((edge, up, pull(up, edge)))
    for variable, contributions in out.terms.items():
        if variable not in out.value:  # leaves: parameters, inputs
            out.value[variable] = add([c for _, _, c in contributions])
    return out


def group_by_node(edges: Iterable[Any], node: Callable[[Any], Hashable]) -> dict:
    """{node: its edges, in the given order}: the ``below`` of :func:`backward`."""
    out: dict = {}
    for edge in edges:
        out.setdefault(node(edge), []).append(edge)
    return out
