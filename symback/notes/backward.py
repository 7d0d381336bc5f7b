"""The backward table of the notes: one row per edge of the graph, from L down, and the rules it uses.

Each row is upstream × local = the gradient that edge carries; a node used
twice gets a row that adds its contributions (the multivariable chain rule).
"""

from __future__ import annotations

from sympy import Derivative

from ..render.document import Chain, Chains, Math, Num, Para, Section, Seq, Text
from ..render.explanation import backward_order, result
from .blocks import Equals, Grid


def backward_section(d, words) -> Section:
    """One row per edge, from L down: upstream × local = the gradient; fan-out rows add."""
    header = tuple((Text(words(f"notes.col_{k}")),) for k in ("upstream", "local", "rule", "product"))
    L = d.graph.loss
    rows = [((Text("—"),), (Text("—"),), (Text(words("explain.seed")),), (Equals((Math(Derivative(L, L)), Num(1.0))),))]
    local_of = {(l.node.name, l.child): l for l in d.locals}
    for adjoint in d.adjoints[1:]:
        u = adjoint.node
        for c in adjoint.contributions:
            rows.append(_edge_row(L, u, c, local_of[(c.via, u)], words))
        if len(adjoint.contributions) > 1:
            total = Equals((Math(Derivative(L, u)), Seq("+", tuple(Num(c.value) for c in adjoint.contributions)),
                            result(adjoint.value)))
            rows.append(((), (), (Text(words("notes.sum_row", n=len(adjoint.contributions))),), (total,)))
    blocks = (Para((Text(words("notes.backward_lead")),)), Grid(header, tuple(rows), "wwnw"),
              Para((Text(words("notes.rules_used")),)), rules_chains(d, words))
    return Section(words("notes.backward"), blocks)


def _edge_row(L, u, c, local, words) -> tuple:
    upstream = Equals((Math(Derivative(L, c.via)), Num(c.upstream)))
    sides = [Math(Derivative(c.via, u))] + ([] if local.expr.is_Number else [Math(local.expr)]) + [Num(c.local)]
    gradient = Equals((Math(Derivative(L, u)), Seq("×", (Num(c.upstream), Num(c.local))), result(c.value)))
    return ((upstream,), (Equals(tuple(sides)),), (Text(words("explain.rule." + local.rule.key)),), (gradient,))


def rules_chains(d, words) -> Chains:
    """Each rule the backward table uses, once, with its formula."""
    seen, rows = set(), []
    for local in backward_order(d.locals):
        formula = local.rule.formula()
        if (local.rule.key, formula) in seen:
            continue
        seen.add((local.rule.key, formula))
        rows.append(Chain((Math(formula.lhs), Math(formula.rhs)),
                          label=(Text(words("explain.rule." + local.rule.key)),)))
    return Chains(tuple(rows))
