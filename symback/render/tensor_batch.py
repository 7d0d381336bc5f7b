"""The sections of a matrix batch explanation: sample 1 in full, then every sample's gradient and their mean.

    L = (1/n) Σₖ Lₖ          ∂L/∂W = (1/n) Σₖ ∂Lₖ/∂W

written out with the numbers (the first samples, a gap, the last one), then the check of the mean
and the update it gives.
"""

from __future__ import annotations

from ..core.tensor.shown import rounded_array
from .document import Chain, Chains, Document, Num, Para, Section, Seq, Text
from .explanation import phrase, prose
from .matrix import Formula, Mat
from .tensor_explanation import (backward_chains, check_blocks, d_loss, forward_chains, name, problem_section,
                                 rule_chains, update_blocks)


#: terms of a batch mean written out (the first ones and the last one)
MEAN_TERMS = 3


def tensor_batch_document(b, words) -> Document:
    """The Document of a TensorBatch: sample 1 in full, then every sample's gradient and their mean."""
    d = b.first
    first = Para((Text(words("tensor.first_sample", n=len(b.losses))),))
    sections = [
        problem_section(b.first, words, rows=len(b.losses)),
        Section(words("explain.forward"), (first, forward_chains(d)), 1),
        Section(words("tensor.rules"), (Para((Text(words("tensor.rules_lead")),)), rule_chains(d, words)), 2),
        Section(words("tensor.backward"), (Para((Text(words("tensor.backward_lead")),)), backward_chains(d, words)), 3),
        Section(words("explain.batch"), (Para((Text(words("explain.batch_lead")),)), mean_chains(b)), 4),
        Section(words("tensor.check"), check_blocks(b, words), 5),
        batch_update_section(b, words, 6),
    ]
    return Document(words("explain.title_batch"), tuple(sections), words.code)


def _terms(n: int) -> list:
    """Which samples a written-out mean shows: all, or the first few, a gap (None) and the last."""
    if n <= MEAN_TERMS + 1:
        return list(range(n))
    return list(range(MEAN_TERMS)) + [None, n - 1]


def _mean_sum(parts: list, n: int):
    """(1/n) (a + b + … + z) with the numbers."""
    items = tuple(Formula("…", r"\dots") if p is None else p for p in parts)
    return Formula("(1/{n}) {s}", r"\tfrac{{1}}{{{n}}} {s}",
                   (("n", Formula(str(n), str(n))), ("s", Seq("+", items))))


def _term(entries):
    """A term of a sum: a number (in parentheses when negative) or a matrix."""
    import numpy as np

    a = np.asarray(entries, dtype=object)
    return Num(a.item()) if a.ndim == 0 else Mat(a)


def _loss_shown(b, k: int):
    return b.first.loss_shown if k == 0 else rounded_array(b.losses[k]).item()


def mean_chains(b) -> Chains:
    """L = (1/n) Σ_k L_k and ∂L/∂W = (1/n) Σ_k ∂L_k/∂W, written out with the numbers."""
    n, graph = len(b.losses), b.graph
    loss = name(graph.loss)
    losses = [None if k is None else Num(_loss_shown(b, k)) for k in _terms(n)]
    rows = [Chain((loss, Formula("(1/n) Σₖ {L}ₖ", r"\tfrac{{1}}{{n}} \textstyle\sum_k {L}_k", (("L", loss),)),
                   _mean_sum(losses, n), Mat(b.loss_shown)))]
    for p, _ in graph.params:
        per_sample = Formula("(1/n) Σₖ ∂{L}ₖ/∂{p}", r"\tfrac{{1}}{{n}} \textstyle\sum_k \partial {L}_k/\partial {p}",
                             (("L", loss), ("p", name(p))))
        parts = [None if k is None else _term(b.shown_gradients[k][p]) for k in _terms(n)]
        rows.append(Chain((d_loss(b.first, p), per_sample, _mean_sum(parts, n), Mat(b.gradient_shown[p]))))
    return Chains(tuple(rows))


def batch_update_section(b, words, number: int) -> Section:
    """The update by the mean gradient, and the mean loss before and after."""
    after = phrase(words, "explain.loss_after_batch", before=prose(b.loss), after=prose(b.loss_after))
    return update_blocks(b.first, b.gradient_shown, b.update_shown, after, words, number)
