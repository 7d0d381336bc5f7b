"""The section "why this learning rate converges" (one-parameter problems).

It prints a :class:`.convergence.Convergence`: the update as a map derived
by SymPy, its slope a = 1 − η·K, the condition |1 − η·K| < 1 solved for η,
each sample's numbers, one epoch's slope A and, for affine maps, its fixed
point; then the verdict for the lesson's learning rate.
"""

from __future__ import annotations

from sympy import Abs, Derivative, Mul, StrictGreaterThan, StrictLessThan

from ..model.parse import symbol
from ..render.document import Chain, Chains, Math, Para, Section, Seq, Text, phrase
from ..render.printers import unicode
from .blocks import Equals, Grid, eq, exact, point_items, rounded

ETA, K, KBAR = symbol("eta"), symbol("K"), symbol("Kbar")
a, A = symbol("a"), symbol("A")
#: a curvature longer than this many characters is not written out
LONG = 60
#: at most this many samples are listed
MAX_ROWS = 12
#: an epoch's slope is written out factor by factor for at most this many samples
MAX_FACTORS = 6


def _abs(x):
    return Abs(x, evaluate=False)


def stability_section(lesson, words) -> Section | None:
    c = lesson.convergence
    if c is None:
        return None
    d = lesson.derivation
    w, L = c.param, d.graph.loss
    grad = d.gradients[0]
    rule = w - ETA * Derivative(L, w)
    one_step = 1 - Mul(ETA, K, evaluate=False)
    sides = [Math(w), Math(rule), Math(c.step)] + ([Math(c.affine_map)] if c.affine else [])
    # a long curvature (a curved map) is left to the numbers of the table
    long = len(unicode(c.curvature)) > LONG
    blocks = [Para(phrase(words, "notes.conv_map", w=Math(w))), Chains((Chain(tuple(sides), arrow=True),))]
    if not c.expanded:  # the bound fell back: the map as it stands, said in a sentence
        blocks.append(Para(phrase(words, "notes.conv_unexpanded", w=Math(w))))
    condition = Math(StrictLessThan(_abs(one_step), 1))
    blocks += [Para(phrase(words, "notes.conv_slope", w=Math(w), a=Math(a), K=Math(K), relation=Math(eq(a, one_step)))),
               Chains((Chain((Math(a), Math(Derivative(rule, w))) + (() if long else (Math(c.slope),))),
                       Chain((Math(K), Math(Derivative(grad.closed, w))) + (() if long else (Math(c.curvature),))))),
               Para(phrase(words, "notes.conv_condition", condition=condition, positive=Math(StrictGreaterThan(ETA, 0)),
                        solved=Math(StrictLessThan(ETA, 2 / K)))
                    if c.solved else phrase(words, "notes.conv_unsolved", condition=condition))]
    if c.bound is not None and not long:
        blocks.append(Para(phrase(words, "notes.conv_bound", K=Math(eq(K, c.curvature)),
                               bound=Math(StrictLessThan(ETA, c.bound)))))
    if not c.affine:
        blocks.append(Para(phrase(words, "notes.conv_local", K=Math(K), w=Math(w), value=rounded(c.at))))
    blocks += [Para(phrase(words, "notes.conv_samples", lr=Math(eq(ETA, exact(lesson.problem.lr))))), sample_grid(c, words)]
    blocks += epoch_blocks(lesson, words)
    title = "notes.stability" if converges(c) else "notes.stability_fails"
    return Section(words(title), tuple(blocks))


def converges(c) -> bool:
    """Whether the map shrinks errors: |A| < 1 for an epoch (every |a| < 1 for minibatches)."""
    if c.epoch_slope is None:
        return all(abs(s.slope) < 1 for s in c.samples)
    return abs(c.epoch_slope) < 1


def sample_grid(c, words) -> Grid:
    """sample | K | a = 1 − ηK | largest stable η = 2/K, numbers rounded for reading."""
    header = ((Text(words("notes.col_sample")),), (Math(K),), (Math(eq(a, 1 - Mul(ETA, K, evaluate=False))),),
              phrase(words, "notes.col_bound", bound=Math(eq(ETA, 2 / K))))
    shown = c.samples if len(c.samples) <= MAX_ROWS else c.samples[:MAX_ROWS - 3] + (None,) + c.samples[-3:]
    rows = []
    for s in shown:
        if s is None:
            rows.append(tuple((Text("…"),) for _ in header))
            continue
        bound = (rounded(s.bound),) if s.bound is not None else (Text("—"),)
        rows.append((point_items(s.point), (rounded(s.curvature),), (rounded(s.slope),), bound))
    return Grid(header, tuple(rows), "lrrr")


def _product(c) -> Equals:
    """A = a₁·a₂·…·aₙ = value, with the factors' numbers when there are few."""
    if len(c.samples) <= MAX_FACTORS:
        factors = Seq("·", tuple(rounded(s.slope) for s in c.samples))
    else:
        n = len(c.samples)
        factors = Seq("·", (Math(symbol("a_1")), Math(symbol("a_2")), Text("…"), Math(symbol(f"a_{n}"))))
    return Equals((Math(A), factors, rounded(c.epoch_slope)))


def epoch_blocks(lesson, words) -> list:
    """One epoch's slope A (and fixed point), then the verdict."""
    c, h = lesson.convergence, lesson.history
    out = []
    if c.mode == "sgd":
        out.append(Para(phrase(words, "notes.conv_epoch_sgd", A=_product(c))))
    elif c.mode == "batch":
        slope = Equals((Math(A), Math(1 - Mul(ETA, KBAR, evaluate=False)), rounded(c.epoch_slope)))
        out.append(Para(phrase(words, "notes.conv_epoch_batch", A=slope, K=Equals((Math(KBAR), rounded(c.mean_curvature))))))
    else:
        out.append(Para((Text(words("notes.conv_minibatch")),)))
    if c.fixed_point is not None and h.epochs and converges(c):
        learned = h.final_params[0][1]
        shrink = abs(c.epoch_slope) ** h.epoch_count
        out.append(Para(phrase(words, "notes.conv_fixed", fixed=Equals((Math(c.param), rounded(c.fixed_point))),
                            A=Math(A), epochs=Text(str(h.epoch_count)), shrink=rounded(shrink, 2),
                            learned=Math(eq(c.param, exact(learned))))))
    out.append(Para(verdict(c, lesson.problem.lr, words)))
    return out


def verdict(c, lr: float, words) -> tuple:
    bound = c.batch_bound if c.mode == "batch" else c.smallest_bound
    every = all(abs(s.slope) < 1 for s in c.samples)
    eta = Math(eq(ETA, exact(lr)))
    if not converges(c):
        if c.epoch_slope is not None:
            size = Equals((Math(_abs(A)), rounded(abs(c.epoch_slope))))
        else:
            size = Equals((Math(_abs(a)), rounded(max(abs(s.slope) for s in c.samples))))
        key = "notes.conv_bad" if bound is not None else "notes.conv_bad_nobound"
        return phrase(words, key, A=size, bound=rounded(bound) if bound is not None else Text(""))
    if c.mode == "batch" or every:
        return phrase(words, "notes.conv_ok", eta=eta, bound=rounded(bound) if bound is not None else Text("∞"))
    return phrase(words, "notes.conv_epoch_ok", eta=eta, a=Math(StrictGreaterThan(_abs(a), 1)),
               A=Math(StrictLessThan(_abs(A), 1)))
