"""Lecture notes for a matrix model: a MatrixLesson -> a Document.

    MatrixLesson = TensorProblem + TensorDerivation (the first sample, in full) + History + predictions

The order follows the scalar notes: the question and its data; the model and the loss; the
computational graph with the shape of every box (a figure); the forward pass in matrix notation
with the numbers; the matrix rules, one row per edge with its entry-by-entry form; the backward
pass as vector-Jacobian products with the numbers (``bmatrix`` in LaTeX); the checks against
SymPy and finite differences; the first update; training (the epochs, the loss curve); what was
learned. The sections of one sample are :mod:`symback.render.tensor_explanation`'s; every number
comes from the derivation or the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from ..render.document import Chain, Chains, Document, Para, Section, Text, phrase
from ..render.explanation import prose
from ..render.matrix import Formula, Mat
from ..render import tensor_explanation as sections
from ..render.tensor_batch import batch_update_section
from .blocks import Figure, Grid
from .matrix_figure import graph_picture
from .results import curve_section, shown_epochs

#: the question's data table lists at most this many rows (the first and the last ones)
MAX_DATA_ROWS = 8


@dataclass(frozen=True)
class MatrixLesson:
    """The values behind the notes of a matrix model; ``texts`` holds the teacher's own words."""

    problem: object
    derivation: object
    history: object
    predictions: tuple
    texts: Mapping[str, str] = field(default_factory=dict)
    #: full-batch training: every sample's gradient and their mean (a TensorBatch), for the first update
    batch: object = None

    #: the notes tell a matrix lesson from a scalar one by this
    is_tensor = True

    def __repr__(self) -> str:
        return f"MatrixLesson({self.problem!r}, {self.history!r})"


def build_matrix_lesson(problem, settings=None, points=(), texts: Mapping[str, str] | None = None) -> MatrixLesson:
    """Explain the first sample of ``problem``, train it with ``settings``, predict at ``points``."""
    from ..core.tensor.derive import explain_tensor
    from ..train.history import predictions
    from ..train.tensor_run import tensor_settings, train_tensor

    from ..core.tensor.batch import MAX_SAMPLES, explain_tensor_batch

    settings = settings or tensor_settings(problem)
    batch = explain_tensor_batch(problem) if settings.mode == "batch" and len(problem.samples) <= MAX_SAMPLES else None
    derivation = batch.first if batch is not None else explain_tensor(problem, 0)
    history = train_tensor(problem, settings, log_all=False)
    return MatrixLesson(problem, derivation, history, predictions(history, list(points)), dict(texts or {}), batch)


def matrix_notes_document(lesson: MatrixLesson, words) -> Document:
    """The whole lesson as one Document; the sections after the question are numbered."""
    d = lesson.derivation
    body = [model_section(d, words), graph_section(d, words),
            Section(words("notes.forward"), (Para((Text(words("tensor.forward_lead")),)), sections.forward_chains(d))),
            rules_section(d, words),
            Section(words("tensor.backward"), (Para((Text(words("tensor.backward_lead")),)),
                                               sections.backward_chains(d, words))),
            *update_sections(lesson, words),
            training_section(lesson, words), curve_section(lesson, words), learned_section(lesson, words)]
    body = [replace(s, number=i) for i, s in enumerate((s for s in body if s is not None), start=1)]
    from .content import number_figures

    intro = (Para((Text(lesson.texts["description"]),)),) if lesson.texts.get("description") else ()
    head = Section("", intro + (Para((Text(words("notes.matrix.intro")),)),))
    title = lesson.texts.get("title") or words("notes.matrix.title")
    return Document(title, (head, question_section(lesson, words), *number_figures(body, words)), words.code)


def update_sections(lesson, words) -> tuple:
    """The checks and the first update: of the sample, or (full-batch training) of the mean over every sample."""
    b = lesson.batch
    if b is None:
        d = lesson.derivation
        return Section(words("tensor.check"), sections.check_blocks(d, words)), sections.update_section(d, words, 0)
    mean = Section(words("explain.batch"), (Para((Text(words("explain.batch_lead")),)), mean_chains(b)))
    return mean, Section(words("tensor.check"), sections.check_blocks(b, words)), batch_update_section(b, words, 0)


def mean_chains(b) -> Chains:
    """L = (1/n) Σₖ Lₖ and ∂L/∂W = (1/n) Σₖ ∂Lₖ/∂W with their values; the terms are not written out
    (matrices side by side would run off a page; sample 1's are above)."""
    loss = sections.name(b.graph.loss)
    rows = [Chain((loss, Formula("(1/{n}) Σₖ {L}ₖ", r"\tfrac{{1}}{{{n}}} \textstyle\sum_k {L}_k", parts(b, loss)),
                   Mat(b.loss_shown)))]
    for p, _ in b.graph.params:
        mean = Formula("(1/{n}) Σₖ ∂{L}ₖ/∂{p}", r"\tfrac{{1}}{{{n}}} \textstyle\sum_k \partial {L}_k/\partial {p}",
                       parts(b, loss) + (("p", sections.name(p)),))
        rows.append(Chain((sections.d_loss(b.first, p), mean, Mat(b.gradient_shown[p]))))
    return Chains(tuple(rows))


def parts(b, loss) -> tuple:
    n = str(len(b.losses))
    return ("L", loss), ("n", Formula(n, n))


def question_section(lesson, words) -> Section:
    """The teacher's question (or a plain one), and the first rows of the data."""
    lead = (Text(lesson.texts["question"]),) if lesson.texts.get("question") else phrase(words, "notes.question_fit")
    return Section(words("notes.question"), (Para(lead), data_grid(lesson.problem, words)))


def data_grid(problem, words) -> Grid:
    """One row per sample (a vector input in one cell), the first rows and the last ones."""
    names = tuple(problem.inputs) + ("y",)
    n = len(problem.samples)
    shown = list(range(n)) if n <= MAX_DATA_ROWS else list(range(MAX_DATA_ROWS - 3)) + [None] + list(range(n - 2, n))
    rows = tuple(tuple((Text("…"),) for _ in names) if i is None
                 else tuple((Mat(_row_vector(problem.samples[i][k])),) for k in names) for i in shown)
    header = tuple((sections.name(k),) for k in names)
    return Grid(header, rows, "r" * len(names))


def _row_vector(value):
    """A sample's vector printed across (a table cell), as a 1×n matrix."""
    import numpy as np

    value = np.asarray(value, dtype=float)
    return value.reshape(1, -1) if value.ndim == 1 else value


def model_section(d, words) -> Section:
    lead = Para((Text(words("notes.matrix.model_lead")),))
    return Section(words("notes.model"), (lead,) + sections.problem_section(d, words).blocks)


def graph_section(d, words) -> Section:
    lead = Para((Text(words("notes.matrix.graph_lead")),))
    picture = graph_picture(d)
    if picture is None:
        return Section(words("notes.graph"), (lead, Para((Text(words("notes.graph_too_big", n=len(d.graph.nodes))),))))
    caption = phrase(words, "notes.matrix.graph_caption", vector=Formula("ℝ³", r"\mathbb{R}^{3}"),
                  matrix=Formula("ℝ³ˣ²", r"\mathbb{R}^{3 \times 2}"))
    return Section(words("notes.graph"), (lead, Figure("graph", picture, caption, "graph")))


def rules_section(d, words) -> Section:
    """The matrix rules as a table: node and rule | the gradient it passes down | entry by entry."""
    header = tuple((Text(words(f"notes.matrix.col_{k}")),) for k in ("rule", "vjp", "entries"))
    rows = []
    for chain in sections.rule_chains(d, words).rows:
        gradient = Formula("{a} = {b}", "{a} = {b}", (("a", chain.sides[0]), ("b", chain.sides[1])))
        entries = tuple(x for x in chain.note if not isinstance(x, Text))  # the column says "entry by entry"
        rows.append((tuple(chain.label), (gradient,), entries))
    blocks = (Para((Text(words("tensor.rules_lead")),)), Grid(header, tuple(rows), "wll"))
    return Section(words("tensor.rules"), blocks)


def training_section(lesson, words) -> Section:
    """How training ran, and the mean loss after the first epochs and the last ones."""
    h, s = lesson.history, lesson.history.settings
    mode = Text(words(f"train.mode.{s.mode}", size=s.batch_size, seed=s.seed))
    rate = prose(lesson.problem.lr).text
    lr = Formula("η = " + rate, r"\eta = " + rate)
    lead = phrase(words, "notes.training_lead", mode=mode, epochs=Text(str(s.epochs)), lr=lr)
    header = ((Text(words("train.column.epoch")),), (Text(words("train.column.loss")),))
    rows = [((Text(words("notes.start")),), (Mat(h.initial_loss),))]
    for i in shown_epochs(h.epoch_count):
        e = None if i is None else h.epoch(i)
        rows.append(((Text("…"),), (Text("…"),)) if e is None else ((Text(str(e.epoch)),), (Mat(e.loss),)))
    blocks = [Para(lead), Para((Text(words("notes.matrix.training_table", n=len(lesson.problem.samples))),)),
              Grid(header, tuple(rows), "rr")]
    if h.diverged:
        from ..render.train_report import divergence_text

        blocks.append(Para((Text(words("train.stopped", reason=divergence_text(h, words))),)))
    return Section(words("notes.training"), tuple(blocks))


def learned_section(lesson, words) -> Section:
    """The final parameters as matrices; the predictions before and after training."""
    h = lesson.history
    lead = phrase(words, "notes.learned_lead", epochs=Text(str(h.epoch_count)), loss=Mat(h.final_loss),
               start=Mat(h.initial_loss))
    blocks = [Para(lead), Chains(tuple(Chain((sections.name(n), Mat(v))) for n, v in h.final_params))]
    if lesson.predictions:
        y_hat = sections.name("y_hat")
        header = tuple(phrase(words, f"notes.col_{k}", y_hat=y_hat) for k in ("input", "before", "after"))
        rows = tuple((tuple(x for k, v in p.point for x in (sections.name(k), Text(" = "), Mat(v))),
                      (Mat(p.before),), (Mat(p.after),)) for p in lesson.predictions)
        blocks += [Para((Text(words("notes.predict_lead")),)), Grid(header, rows, "lrr")]
    return Section(words("notes.learned"), tuple(blocks))
