"""The sections of a batch explanation: the shared graph, then every sample, then the mean.

    L = (1/N) Σᵢ Lᵢ          ∂L/∂p = (1/N) Σᵢ ∂Lᵢ/∂p
"""

from __future__ import annotations

import sympy
from sympy import Derivative

from ..core.batch import INDEX, indexed, mean_notation
from ..model.parse import symbol
from .document import Chain, Chains, Document, Math, Num, Para, Section, Seq, Table, Text
from .explanation import (MAX_ROWS, check_text, forward_chains, kink_paragraphs, local_chains, phrase, problem_section,
                          prose, result, update_section)


def batch_document(b, words) -> Document:
    """The Document of a BatchDerivation."""
    return Document(words("explain.title_batch"), batch_sections(b, words), words.code)


def batch_sections(b, words) -> tuple:
    first = b.samples[0]
    return (
        problem_section(b.problem, words),
        Section(words("explain.graph_symbolic"), (forward_chains(first, numbers=False),), 1),
        Section(words("explain.locals"), (Para((Text(words("explain.locals_lead")),)),
                                          local_chains(first, words, numbers=False),
                                          *kink_paragraphs(first, words, numbers=False)), 2),
        Section(words("explain.closed"), (Para((Text(words("explain.closed_lead")),)), _closed(b, words)), 3),
        Section(words("explain.batch"), (Para((Text(words("explain.batch_lead")),)), sample_table(b, words),
                                         mean_chains(b, words)), 4),
        update_section(b, words, phrase(words, "explain.loss_after_batch", before=prose(b.loss),
                                        after=prose(b.loss_after)), 5),
    )


def _per_sample(name: str):
    return sympy.IndexedBase(name)[INDEX]


def _closed(b, words) -> Chains:
    """∂Lᵢ/∂p = closed form in xᵢ, yᵢ, for each parameter."""
    names = b.problem.data.names
    L_i = _per_sample(b.graph.loss.name)
    rows = []
    for g, sg in zip(b.gradients, b.samples[0].gradients):
        sides = [Math(Derivative(L_i, g.param))]
        if g.closed is not None:
            sides.append(Math(indexed(g.closed, names)))
        rows.append(Chain(tuple(sides), note=(Text(check_text(sg.check, words)),)))
    return Chains(tuple(rows))


def _shown_rows(n: int) -> list:
    """Row indices to list: all, or the first and last few with a gap (None)."""
    if n <= MAX_ROWS:
        return list(range(n))
    head = MAX_ROWS - 3
    return list(range(head)) + [None] + list(range(n - 3, n))


def sample_table(b, words) -> Table:
    """i, inputs, y, ŷ, Lᵢ and ∂Lᵢ/∂p for each sample."""
    L_i = _per_sample(b.graph.loss.name)
    header = (Text(words("explain.index")),) + tuple(Math(symbol(n)) for n in b.problem.data.names)
    header += (Math(b.graph.output), Math(L_i)) + tuple(Math(Derivative(L_i, g.param)) for g in b.gradients)
    rows = []
    for i in _shown_rows(len(b.samples)):
        if i is None:
            rows.append((Text("…"),) * len(header))
            continue
        s = b.samples[i]
        cells = (Text(str(i + 1)),) + tuple(Num(v) for v in s.point.values())
        cells += (Num(s.values[b.graph.output]), Num(s.loss)) + tuple(Num(g.value) for g in s.gradients)
        rows.append(cells)
    return Table(header, tuple(rows))


def _sum_of(values) -> Seq:
    """v₁ + v₂ + … (eliding the middle of long sums)."""
    items = [Num(v) for v in values]
    if len(items) > 6:
        items = items[:3] + [Text("…")] + items[-2:]
    return Seq("+", tuple(items))


def mean_chains(b, words) -> Chains:
    """L = (1/N)Σᵢ Lᵢ = (1/N)·(…) = mean; the same for every gradient."""
    n = len(b.samples)
    count = sympy.Integer(n)
    L, L_i = b.graph.loss, _per_sample(b.graph.loss.name)
    rows = [Chain((Math(L), Math(mean_notation(L_i, (), n)), Seq("/", (_sum_of(s.loss for s in b.samples), Math(count))),
                   result(b.loss)), note=phrase(words, "explain.mean", n=Text(str(n))))]
    for g in b.gradients:
        rows.append(Chain((Math(Derivative(L, g.param)), Math(mean_notation(Derivative(L_i, g.param), (), n)),
                           Seq("/", (_sum_of(g.per_sample), Math(count))), result(g.value))))
    return Chains(tuple(rows))
