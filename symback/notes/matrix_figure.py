"""The computational graph of a matrix model as a picture: every box with its shape.

The same :class:`~symback.notes.layout.Picture` as the scalar graph, laid out by
:func:`~symback.notes.layout.arrange`, so the SVG and TikZ drawings are the scalar ones. A box
reads ``u₁ = W₁x`` and ``∈ ℝ³`` (a parameter ``W₁ ∈ ℝ³ˣ²``, an input ``x ∈ ℝ²``): with vectors
and matrices, the shapes say what each edge's rule must produce; the numbers are in the tables.
"""

from __future__ import annotations

from fractions import Fraction

from ..render import matrix
from ..render.matrix import Formula
from ..render import tensor_explanation as sections
from .figures import oriented
from .layout import MAX_NODES, Box, Picture, arrange


def graph_picture(d) -> Picture | None:
    """The picture of a TensorDerivation's graph, or None when it has too many nodes to draw."""
    graph = d.graph
    if len(graph.nodes) > MAX_NODES:
        return None
    data = {n for n, _ in graph.inputs}
    operands = {node.name: tuple(a for a in node.args if a in node.children)
                + tuple(sorted(a for a in node.args if not isinstance(a, Fraction) and a in data))
                for node in graph.nodes}
    layer, slot, edges = arrange(graph, operands)
    labels = {node.name: row.sides[1] for node, row in zip(graph.nodes, sections.forward_chains(d).rows)}
    params = {n for n, _ in graph.params}
    boxes = tuple(Box(key, "param" if key in params else "data" if key in data else "node",
                      _label(key, labels.get(key)), _flat(sections.space(graph.shape(key))), None,
                      layer[key], slot[key]) for key in layer)
    return oriented(Picture(boxes, edges, True, "", ""))


def _label(key: str, formula) -> Formula:
    """``u₁ = W₁x`` for a node, ``W₁`` for a parameter or an input."""
    name = _flat(sections.name(key))
    if formula is None:
        return name
    shown = _flat(formula)
    return Formula(f"{name.text} = {shown.text}", f"{name.latex} = {shown.latex}")


def _flat(x) -> Formula:
    """A Formula with its parts filled in: literal text and LaTeX."""
    if isinstance(x, Formula):
        return Formula(matrix.formula_text(x, lambda p: _flat(p).text),
                       matrix.formula_latex(x, lambda p: _flat(p).latex))
    return Formula(matrix.mat_text(x.entries, True), matrix.mat_latex(x.entries, True))
