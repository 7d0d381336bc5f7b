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


_child = operator.attrgetter("child")  # the default: edges are local derivatives (in C: the pass is hot)


def backward(order: Sequence[Hashable], below: Mapping[Hashable, Iterable[Any]], top: Hashable, seed: Any,
             pull: Callable[[Any, Any], Any], add: Callable[[list], Any],
             child: Callable[[Any], Hashable] = _child, every: bool = False,
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
        up = value.get(node, value)  # at its turn, only the top has a value (dict lookups: cheap for symbols)
        if up is value:
            contributions = terms.get(node)
            if contributions is None and not every:
                continue  # not below the top
            up = value[node] = add(contributions or [])
        for edge in below.get(node, ()):
            contribution, key = pull(up, edge), child(edge)
            listed = terms.get(key)
            if listed is None:
                terms[key] = [contribution]
            else:
                listed.append(contribution)
    if leaves:
        for variable, contributions in terms.items():
            if variable not in value:
                value[variable] = add(contributions)
    return out


def path_counts(order: Sequence[Hashable], below: Mapping[Hashable, Iterable[Any]], bottom: Hashable,
                child: Callable[[Any], Hashable] = _child) -> dict:
    """{variable: the number of paths from it down to ``bottom``} for the variables that reach it
    (``bottom`` itself 1), counted up the graph in topological order. ∂v/∂bottom is a sum over
    these paths: a node that is not a key is one the reverse pass from v need not pass through."""
    count = {bottom: 1}
    for node in order:
        total = sum(count.get(child(edge), 0) for edge in below.get(node, ()))
        if total:
            count[node] = total
    return count


def paths(order: Sequence[Hashable], below: Mapping[Hashable, Iterable[Any]], top: Hashable, bottom: Hashable,
          limit: int, child: Callable[[Any], Hashable] = _child) -> list | None:
    """Every path from ``top`` down to ``bottom`` as its list of edges, depth first (a node's edges
    in their order); None when there are more than ``limit`` (a DAG can have exponentially many).
    Only edges that lead to ``bottom`` are followed, so each step goes towards a path."""
    reaches = path_counts(order, below, bottom, child)
    found, stack = [], [(top, [])]
    while stack:
        node, path = stack.pop()
        if node == bottom:
            found.append(path)
            if len(found) > limit:
                return None
            continue
        stack += [(child(edge), path + [edge]) for edge in reversed(below.get(node, ())) if child(edge) in reaches]
    return found


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
