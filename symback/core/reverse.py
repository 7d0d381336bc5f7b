"""The reverse pass, once, for anything it accumulates.

For a graph whose nodes are in topological order, the adjoint of a variable u is

    ā_u = Σ over the edges (v → u)  pull(ā_v, edge)

summed over the nodes v that use u, taken from the top (the loss, ā_L = seed) down.
For scalars ``pull(up, edge) = up · ∂v/∂u``; for a matrix product it is a
vector-Jacobian product (``δ xᵀ``, ``Wᵀ δ``). What an adjoint *is* depends on the
caller: a float (check's numbers), a shown exact number with its contributions
(explain), a SymPy expression (the closed form), a variable of generated code
(compile), a product kept as a chain of factors (check's symbolic form). The
order of the walk and of the terms of each sum is the same for all of them, which
is what makes their results agree digit for digit.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence


@dataclass
class Adjoints:
    """The result of one reverse pass.

    ``value[u]`` is ā_u for every variable the top reaches (leaves only if the walk
    summed them); ``terms[u]`` lists the contributions to ā_u (the results of
    ``pull``) in the order they were added; :meth:`of` gives the adjoint of any variable.
    """

    add: Callable[[list], Any]
    value: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)

    def of(self, variable: Hashable) -> Any:
        """ā_variable, summed now if the walk did not (a leaf); ``add([])`` where the top does not reach."""
        if variable not in self.value:
            self.value[variable] = self.add(self.terms.get(variable, []))
        return self.value[variable]


def backward(order: Sequence[Hashable], below: Mapping[Hashable, Iterable[Any]], top: Hashable, seed: Any,
             pull: Callable[[Any, Any], Any], add: Callable[[list], Any],
             child: Callable[[Any], Hashable] = lambda edge: edge.child, every: bool = False,
             leaves: bool = True) -> Adjoints:
    """Reverse accumulation from ``top`` (adjoint ``seed``) down the edges ``below[node]``.

    ``order`` is the nodes in topological order (operands before their users);
    ``pull(up, edge)`` is the edge's contribution to its child's adjoint, given the
    adjoint ``up`` of the node above; ``add(contributions)`` sums a node's
    contributions once all of them are in (so a caller may show the sum, or write
    it as a line of code). Leaves (variables not in ``order``: parameters) are
    summed after the walk, or, without ``leaves``, only when asked for by
    :meth:`Adjoints.of` (a caller that writes their sums itself, or needs one).
    Nodes the top does not reach get no adjoint, unless ``every``: then each
    node gets ``add`` of what reaches it, ``add([])`` if nothing does, and passes
    it on (explain shows a node that cancels as 0).
    """
    out = Adjoints(add, {top: seed})
    value, terms = out.value, out.terms
    for node in reversed(order):
        if node != top:
            contributions = terms.get(node)
            if not contributions and not every:
                continue  # not below the top
            value[node] = add(contributions or [])
        up = value[node]
        for edge in below.get(node, ()):
            terms.setdefault(child(edge), []).append(pull(up, edge))
    if leaves:
        for variable, contributions in terms.items():
            if variable not in value:
                value[variable] = add(contributions)
    return out


def added(zero: Any) -> Callable[[list], Any]:
    """The ``add`` that sums ((zero + t₁) + t₂) + …, left to right in the order of the walk
    (floats round the same way every time; SymPy evaluates each addition as it comes)."""
    return lambda terms: functools.reduce(operator.add, terms, zero)


def group_by_node(edges: Iterable[Any], node: Callable[[Any], Hashable] = lambda edge: edge.node.name) -> dict:
    """{node: its edges, in the given order}: the ``below`` of :func:`backward`
    (by default, edges are local derivatives, grouped by their node's name)."""
    out: dict = {}
    for edge in edges:
        out.setdefault(node(edge), []).append(edge)
    return out
