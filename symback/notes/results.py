"""The second half of the notes: training, the loss curve, what was learned.

Every number is the History's: the mean loss after each epoch, the
parameters, the last sample's loss (SGD), the predictions.
"""

from __future__ import annotations

from ..model.parse import symbol
from ..model.spec import Y_HAT
from ..render.document import Chain, Chains, Math, Num, Para, Section, Text, phrase
from ..render.train_report import divergence_text
from .blocks import Equals, Figure, Grid, eq, exact, point_items, rounded
from .figures import loss_curve
from .stability import stability_section

ETA = symbol("eta")
#: epochs listed: all of up to this many, else the first FIRST and the last LAST
ALL_EPOCHS, FIRST, LAST = 10, 5, 3
#: tables with more numeric columns than this round their numbers (they would not fit a page)
FULL_COLUMNS = 3
#: the epoch table lists at most this many parameters (the next section lists them all)
MAX_PARAMS = 5


def result_sections(lesson, words) -> list[Section]:
    sections = [training_section(lesson, words), curve_section(lesson, words), learned_section(lesson, words),
                stability_section(lesson, words)]
    return [s for s in sections if s is not None]


def training_section(lesson, words) -> Section:
    h, s = lesson.history, lesson.history.settings
    mode = Text(words(f"train.mode.{s.mode}", size=s.batch_size, seed=s.seed))
    lead = phrase(words, "notes.training_lead", mode=mode, epochs=Text(str(s.epochs)),
               lr=Math(eq(ETA, exact(lesson.problem.lr))))
    if s.dtype == "float32":
        lead += (Text(" " + words("notes.float32")),)
    blocks = [Para(lead), Para((Text(words("notes.training_table", n=len(lesson.problem.data))),)), epoch_grid(h, words)]
    if s.mode == "sgd":
        blocks.append(Para((Text(words("notes.training_last")),)))
    if _columns(h) > FULL_COLUMNS:
        blocks.append(Para((Text(words("notes.rounded")),)))
    if len(h.initial_params) > MAX_PARAMS:
        blocks.append(Para((Text(words("notes.more_params", shown=MAX_PARAMS, n=len(h.initial_params))),)))
    if h.diverged:
        blocks.append(Para((Text(words("train.stopped", reason=divergence_text(h, words))),)))
    return Section(words("notes.training"), tuple(blocks))


def _columns(h) -> int:
    return 1 + len(h.initial_params) + (h.settings.mode == "sgd")


def shown_epochs(count: int) -> list:
    """Indices of the epochs to list; None marks the gap."""
    if count <= ALL_EPOCHS:
        return list(range(count))
    return list(range(FIRST)) + [None] + list(range(count - LAST, count))


def epoch_grid(h, words) -> Grid:
    """epoch | mean loss | parameters | (SGD) the last sample's loss; a first row for the start."""
    sgd = h.settings.mode == "sgd"
    cell = (lambda v: (Num(v),)) if _columns(h) <= FULL_COLUMNS else (lambda v: (rounded(v),))
    header = [(Text(words("train.column.epoch")),), (Text(words("train.column.loss")),)]
    header += [(Math(symbol(n)),) for n, _ in h.initial_params[:MAX_PARAMS]]
    header += [(Text(words("train.column.last")),)] if sgd else []
    rows = [((Text(words("notes.start")),), cell(h.initial_loss))
            + tuple(cell(v) for _, v in h.initial_params[:MAX_PARAMS])
            + (((Text("—"),),) if sgd else ())]
    for i in shown_epochs(h.epoch_count):
        if i is None:
            rows.append(tuple((Text("…"),) for _ in header))
            continue
        e = h.epoch(i)
        rows.append(((Text(str(e.epoch)),), cell(e.loss)) + tuple(cell(v) for _, v in e.params[:MAX_PARAMS])
                    + ((cell(e.last_sample_loss),) if sgd else ()))
    return Grid(tuple(header), tuple(rows), "r" * len(header))


def curve_section(lesson, words) -> Section | None:
    curve = loss_curve(lesson.history, words)
    if curve is None:
        return None
    caption = (Text(words("notes.curve_caption_log" if curve.log else "notes.curve_caption")),)
    return Section(words("notes.curve"), (Figure("curve", curve, caption, "loss"),))


def learned_section(lesson, words) -> Section:
    """The final parameters and loss; the predictions before and after training."""
    h = lesson.history
    lead = phrase(words, "notes.learned_lead", epochs=Text(str(h.epoch_count)), loss=Num(h.final_loss),
               start=Num(h.initial_loss))
    blocks = [Para(lead), Chains(tuple(Chain((Math(symbol(n)), Num(v))) for n, v in h.final_params))]
    if lesson.predictions:
        blocks += [Para((Text(words("notes.predict_lead")),)), prediction_grid(lesson, words)]
        first = lesson.predictions[0]
        value = Equals((Math(Y_HAT), Num(first.after)))
        blocks.append(Para(phrase(words, "notes.answer", point=point_items(first.point), value=value)))
    return Section(words("notes.learned"), tuple(blocks))


def prediction_grid(lesson, words) -> Grid:
    header = tuple(phrase(words, f"notes.col_{k}", y_hat=Math(Y_HAT)) for k in ("input", "before", "after"))
    rows = tuple((point_items(p.point), (Num(p.before),), (Num(p.after),)) for p in lesson.predictions)
    return Grid(header, rows, "lrr")
