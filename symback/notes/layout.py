"""The computational graph as a picture: boxes, arrows and where they go.

Format-independent: :mod:`.svg` and :mod:`.tikz` draw the same
:class:`Picture`. Every box is a parameter, a data value (an input or the
target y) or a node ``name = operation``; it carries its forward value and,
for parameters and nodes, its gradient ∂L/∂box from the backward pass, like
micrograd's drawings and the CS231n circuit diagrams.

Layout (a small Sugiyama scheme): a node's layer is one more than the
deepest layer among its operands; a parameter or data value sits one layer
before its first consumer. Within a layer the boxes keep an order sorted by
the mean position of their neighbours; positions are then relaxed towards
that mean, subject to a gap of at least 1 between neighbours (an isotonic
regression, solved by pool-adjacent-violators), so chains come out straight.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

#: graphs with more nodes than this are not drawn (the tables say it all)
MAX_NODES = 30
SWEEPS = 30


@dataclass(frozen=True)
class Box:
    """One box: ``label`` (a SymPy Eq for nodes, a Symbol for leaves), value, gradient."""

    key: sympy.Symbol
    role: str  # "param", "data" or "node"
    label: object
    value: float
    grad: float | None
    layer: int
    slot: float


@dataclass(frozen=True)
class Edge:
    """An arrow from an operand to the node using it, through ``bends`` (layer, slot)."""

    source: sympy.Symbol
    target: sympy.Symbol
    bends: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Picture:
    """Boxes and arrows (operand -> node); ``across``: layers run left to right, else top to bottom."""

    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    across: bool
    value_word: str
    grad_word: str

    @property
    def layers(self) -> int:
        return 1 + max(b.layer for b in self.boxes)

    @property
    def slots(self) -> float:
        return max(b.slot for b in self.boxes)


def picture(derivation, value_word: str = "value", grad_word: str = "grad") -> Picture | None:
    """The picture of a Derivation's graph at its sample, or None if it is too big."""
    graph = derivation.graph
    if len(graph.nodes) > MAX_NODES:
        return None
    operands = {n.name: _operands(graph, n) for n in graph.nodes}
    layer, slot, edges = arrange(graph, operands)
    grads = {a.node: a.value for a in derivation.adjoints}
    boxes = tuple(_box(derivation, key, layer[key], slot[key], grads) for key in layer)
    return Picture(boxes, edges, True, value_word, grad_word)


def arrange(graph, operands: dict) -> tuple:
    """(layer of each box, its slot, the arrows with their bends) for a graph whose nodes have a
    ``name``, given each node's ``operands`` (the boxes it is computed from)."""
    layer = _layers(graph, operands)
    routes = [_route(u, n, layer) for n, ops in operands.items() for u in ops]
    points = dict(layer)
    points.update({p: p[3] for path in routes for p in path[1:-1]})
    slot = _slots(points, [seg for path in routes for seg in zip(path, path[1:])])
    edges = tuple(Edge(path[0], path[-1], tuple((p[3], slot[p]) for p in path[1:-1])) for path in routes)
    return layer, slot, edges


def _route(u, v, layer) -> list:
    """u, a bend point in every layer the arrow crosses, v (so it can go around boxes)."""
    return [u] + [("bend", u, v, k) for k in range(layer[u] + 1, layer[v])] + [v]


def _operands(graph, node) -> tuple:
    """What the node is computed from: nodes and parameters, then inputs and y."""
    leaves = set(graph.inputs) | {graph.target}
    data = sorted((s for s in node.expr.free_symbols if s in leaves), key=lambda s: s.name)
    return tuple(node.children) + tuple(data)


def _layers(graph, operands) -> dict:
    layer: dict = {}
    for node in graph.nodes:
        layer[node.name] = 1 + max((layer.get(u, 0) for u in operands[node.name]), default=0)
    leaves: dict = {}
    for node in graph.nodes:
        for u in operands[node.name]:
            if u not in layer:
                leaves[u] = min(leaves.get(u, layer[node.name]), layer[node.name])
    for u, first in leaves.items():
        layer[u] = first - 1
    shift = min(layer.values())
    return {k: v - shift for k, v in sorted(layer.items(), key=lambda kv: kv[1])}


def _slots(layer: dict, edges) -> dict:
    """Positions within each layer: barycentre order, then relaxed with gaps >= 1."""
    neighbours: dict = {k: [] for k in layer}
    for u, v in edges:
        neighbours[u].append(v)
        neighbours[v].append(u)
    columns: dict = {}
    for key, lay in layer.items():
        columns.setdefault(lay, []).append(key)
    pos = {k: float(i) for col in columns.values() for i, k in enumerate(col)}
    for _ in range(SWEEPS):
        for col in columns.values():
            wish = {k: _mean([pos[n] for n in neighbours[k]], pos[k]) for k in col}
            col.sort(key=lambda k: (wish[k], pos[k]))
            for k, p in zip(col, _spread([wish[k] for k in col])):
                pos[k] = p
    low = min(pos.values())
    return {k: round(p - low, 3) for k, p in pos.items()}


def _mean(values, default: float) -> float:
    return sum(values) / len(values) if values else default


def _spread(wish: list[float]) -> list[float]:
    """Closest positions to ``wish`` (in order) with gaps of at least 1.

    With q_i = p_i − i the gaps become q non-decreasing: an isotonic
    regression of wish_i − i, by pool-adjacent-violators.
    """
    blocks: list[list[float]] = []  # [mean, count]
    for i, w in enumerate(wish):
        blocks.append([w - i, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    out: list[float] = []
    for mean, count in blocks:
        out += [mean + len(out) + j for j in range(count)]
    return out


def _box(d, key, layer: int, slot: float, grads) -> Box:
    graph = d.graph
    node = next((n for n in graph.nodes if n.name == key), None)
    if node is not None:
        label, role = sympy.Eq(node.name, node.shown, evaluate=False), "node"
    else:
        label, role = key, "param" if key in graph.params else "data"
    grad = grads.get(key) if role != "data" else None
    return Box(key, role, label, d.values[key], grad, layer, slot)
