"""A training History as text, JSON and CSV.

Numbers print in their shortest round-trip form, as Python (and the original
PyTorch program, through ``.item()``) prints floats: 1.02, -2.0,
7.999998569488525. JSON numbers are plain numbers; a non-finite value is null.
Epochs are numbered from 0, as the original program's loop numbers them.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Iterator

from ..core.numeric import current_digits, format_float
from ..train.advice import divergence_words, stall_words
from ..train.history import Epoch, History
from ..train.loops import Update
from .document import Document, Para, Remark, Section, Table, Text
from .numbers import json_number as number
from .text import ReportText

#: the table shows every epoch up to this many, then thins
FULL_TABLE = 20
#: at most this many parameter columns in the text table
MAX_COLUMNS = 6


def num(value) -> str:
    """Shortest round-trip text of a float: 1.02, -2.0, 4.0 (rounded inside ``significant_digits``, --digits)."""
    value = float(value)
    digits = current_digits()
    if digits and math.isfinite(value):
        value = float(f"{value:.{digits}g}")
    return repr(value)


#: a vector or matrix in a sentence shows at most this many entries per axis (first ones, …, the last)
SHOWN_ENTRIES = 4


def shown(value) -> str:
    """A number as :func:`num`; a vector or matrix (nested lists) with its middle entries elided:
    [0.1, 0.2, 0.3, …, 0.9] (64)."""
    if not isinstance(value, (list, tuple)):
        return num(value)
    shape = _shape(value)
    text = _elided(value)
    return text if all(n <= SHOWN_ENTRIES for n in shape) else f"{text} ({'×'.join(map(str, shape))})"


def _elided(value) -> str:
    if not isinstance(value, (list, tuple)):
        return num(value)
    items = list(value)
    if len(items) > SHOWN_ENTRIES:
        items = items[:SHOWN_ENTRIES - 1] + ["…"] + items[-1:]
    return "[" + ", ".join(v if v == "…" else _elided(v) for v in items) + "]"


def _shape(value) -> tuple:
    return (len(value),) + _shape(value[0]) if isinstance(value, (list, tuple)) and value else ()


def _params(pairs) -> str:
    """w = 1.5959051959019805, or w ≈ 1.596 when --digits rounded it; a vector or matrix elided."""
    return ", ".join(f"{n} {'=' if _exact(v) else '≈'} {shown(v)}" for n, v in pairs)


def _exact(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(map(_exact, value))
    return num(value) == repr(float(value))


def is_matrix(problem) -> bool:
    """A matrix problem (see :mod:`symback.model.tensor_spec`): its definitions are kept as text."""
    return hasattr(problem, "samples")


def model_and_loss(p, show) -> tuple[str, str]:
    """The model's definitions and the loss, each printed by ``show`` (a matrix model's as written)."""
    if is_matrix(p):
        return p.text, p.loss_name if p.loss_name != "custom" else repr(p.loss)
    return "; ".join(f"{show(n)} = {show(e)}" for n, e in p.definitions), show(p.loss)


def _point(pairs) -> str:
    return ", ".join(f"{n}={shown(v) if isinstance(v, (list, tuple)) else format_float(v)}" for n, v in pairs)


def report_document(history: History, preds, words) -> Document:
    """The whole report (without ``-v``): the problem and the start, the table of epochs, the end."""
    sections = (start_blocks(history, words) + predict_blocks(preds, words, "before"), table_blocks(history, words),
                end_blocks(history, preds, words))
    return Document(words("train.title"), tuple(Section("", blocks) for blocks in sections), words.code)


def text(history: History, preds, words, columns: int | None = None) -> str:
    """The whole default report (without ``-v``), its sentences fitted to ``columns``."""
    return ReportText(columns).doprint(report_document(history, preds, words))


def printed(history: History, preds, words, fmt: str) -> str:
    """The report (without ``-v``) as ``markdown`` or an ``html`` page: its sentences as
    paragraphs, the epochs as a table."""
    from .formats import printer_for  # only when asked: the terminal report needs neither format

    return printer_for(fmt).doprint(report_document(history, preds, words)).rstrip("\n")


def header(history: History, words, columns: int | None = None) -> list[str]:
    """The lines of the problem and settings, and of the state before training (``-v`` streams them)."""
    return ReportText(columns).lines(start_blocks(history, words))


def start_blocks(history: History, words) -> tuple:
    """The problem and settings, and the state before training."""
    from .printers import unicode

    p, s = history.problem, history.settings
    model, loss = model_and_loss(p, unicode)
    mode = words(f"train.mode.{s.mode}", size=s.batch_size, seed=s.seed)
    return _sentences(
        words("train.header", model=model, loss=loss, n=len(p.data), mode=mode, lr=num(p.lr),
              epochs=words("train.epochs.one" if s.epochs == 1 else "train.epochs.many", n=s.epochs),
              dtype=_dtype(s, words)),
        words("train.before", loss=num(history.initial_loss), params=_params(history.initial_params)),
    )


def _sentences(*texts: str) -> tuple:
    return tuple(Para((Text(text),)) for text in texts)


def _dtype(s, words) -> str:
    if s.backend == "numba":
        return words("train.numba", dtype=s.dtype)
    return f"{s.dtype}, BLAS" if s.backend == "blas" else s.dtype


def predict_lines(preds, words, when: str) -> list[str]:
    """ŷ at each point, ``when`` "before" or "after" training."""
    return [words(f"train.predict_{when}", point=_point(p.point), value=shown(getattr(p, when))) for p in preds]


def predict_blocks(preds, words, when: str) -> tuple:
    return _sentences(*predict_lines(preds, words, when))


def update_line(update: Update, names, words) -> str:
    """One update of ``-v``: like the original program's '\\tgrad: x y dL/dw', then the new parameters."""
    gradient = " ".join(shown(g) for g in update.gradient)
    params = _params(zip(names, update.params))
    if update.sample is not None:
        return words("train.update", sample=" ".join(num(v) for v in update.sample), gradient=gradient, params=params)
    return words("train.update_batch", index=update.index, loss=num(update.loss), gradient=gradient, params=params)


def progress_line(entry: Epoch, words) -> str:
    """The end of an epoch in ``-v``: the original program's 'progress: epoch loss'."""
    if entry.last_sample_loss is not None:
        return words("train.progress", epoch=entry.epoch, last=num(entry.last_sample_loss), loss=num(entry.loss))
    return words("train.progress_batch", epoch=entry.epoch, loss=num(entry.loss))


def shown_epochs(count: int) -> tuple[list[int], int]:
    """Which epochs the table shows: all of up to FULL_TABLE; else 0–9, every step-th, the last."""
    if count <= FULL_TABLE:
        return list(range(count)), 1
    step = next(k * 10**e for e in range(12) for k in (1, 2, 5) if count / (k * 10**e) <= 10)
    return [e for e in range(count) if e < 10 or (e + 1) % step == 0 or e == count - 1], step


def table(history: History, words) -> list[str]:
    """The lines of the table of epochs."""
    return ReportText().lines(table_blocks(history, words))


def table_blocks(history: History, words) -> tuple:
    """The per-epoch table: epoch, mean loss, (last-sample loss), parameters; a remark under it
    when epochs are left out, or parameters."""
    # a vector or matrix has no column: the history file (--history) keeps every entry
    names = [n for n, v in history.initial_params if not isinstance(v, (list, tuple))][:MAX_COLUMNS]
    sgd = history.settings.mode == "sgd"
    head = [words("train.column.epoch"), words("train.column.loss")] + ([words("train.column.last")] if sgd else [])
    rows = []
    shown, step = shown_epochs(history.epoch_count)
    for i in shown:
        e = history.epoch(i)
        row = [str(e.epoch), num(e.loss)] + ([num(e.last_sample_loss)] if sgd else [])
        rows.append(tuple(Text(cell) for cell in row + [num(v) for n, v in e.params if n in names]))
    blocks = (Table(tuple(Text(cell) for cell in head + names), tuple(rows)),)
    if step > 1:
        blocks += (Remark((Text(words("train.thinned", step=step)),)),)
    if len(history.initial_params) > len(names):
        blocks += (Remark((Text(words("train.more_params", n=len(history.initial_params) - len(names))),)),)
    return blocks


def footer(history: History, preds, words, columns: int | None = None) -> list[str]:
    """The lines of the end (``-v`` streams them)."""
    return ReportText(columns).lines(end_blocks(history, preds, words))


def end_blocks(history: History, preds, words) -> tuple:
    """Why training stopped (if it did), the final state and the predictions after training."""
    texts = []
    if history.diverged:
        texts.append(words("train.stopped", reason=divergence_text(history, words)))
    if history.stalled:
        texts.append(stall_words(history.stalled, words))
    texts.append(words("train.after", loss=num(history.final_loss), params=_params(history.final_params)))
    return _sentences(*texts) + predict_blocks(preds, words, "after")


def divergence_text(history: History, words) -> str:
    """Why the run stopped and what to change (the JSON ``reason`` is this text in English)."""
    return divergence_words(history.diverged, words)


def as_dict(history: History, preds=(), entries=None) -> dict:
    """The JSON contract of DESIGN.md (with the settings and the starting state).

    ``history`` lists every epoch (read back from the log on disk for a long run);
    ``entries=[]`` leaves it empty, for :func:`json_chunks` to stream it in."""
    from .printers import claim

    p, s = history.problem, history.settings
    entries = [_entry(e) for e in history.all_epochs()] if entries is None else entries
    d = history.diverged
    model, loss = model_and_loss(p, claim)
    return {
        "model": model,
        "loss_name": p.loss_name,
        "loss_expr": loss,
        "lr": p.lr,
        "settings": {"epochs": s.epochs, "mode": s.mode, "batch_size": s.batch_size, "seed": s.seed,
                     "dtype": s.dtype, "backend": s.backend, "samples": len(p.data)},
        "initial": {"loss": number(history.initial_loss), "params": {n: number(v) for n, v in history.initial_params}},
        "history": entries,
        "final_params": {n: number(v) for n, v in history.final_params},
        "final_loss": number(history.final_loss),
        "predictions": [{"inputs": {n: number(v) for n, v in q.point}, "before": number(q.before), "after": number(q.after)}
                        for q in preds],
        "diverged": None if d is None else {"epoch": d.epoch, "cause": d.cause, "reason": d.reason,
                                            "suggested_lr": d.suggestion.lr if d.suggestion else None},
        "stalled": None if history.stalled is None else {"since_epoch": history.stalled.since,
                                                         "loss": number(history.stalled.loss)},
    }


def _entry(e) -> dict:
    entry = {"epoch": e.epoch, "loss": number(e.loss), "params": {n: number(v) for n, v in e.params}}
    if e.last_sample_loss is not None:
        entry["last_sample_loss"] = number(e.last_sample_loss)
    return entry


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


def to_json(history: History, preds=()) -> str:
    return "".join(json_chunks(history, preds))


#: where the history goes in the JSON object (a string value cannot hold a line break, so this is unique)
_HOLE = '\n  "history": []'


def json_chunks(history: History, preds=()) -> Iterator[str]:
    """:func:`to_json`'s text piece by piece, the history one epoch at a time: the text is
    exactly json.dumps(as_dict(...), indent=2), without ever holding every epoch."""
    head, tail = _dumps(as_dict(history, preds, entries=[])).split(_HOLE)
    yield head + '\n  "history": ['
    first = True
    for e in history.all_epochs():
        yield ("\n    " if first else ",\n    ") + _dumps(_entry(e)).replace("\n", "\n    ")
        first = False
    yield ("]" if first else "\n  ]") + tail


def to_csv(history: History) -> str:
    return "".join(csv_chunks(history))


def csv_chunks(history: History) -> Iterator[str]:
    """One row per epoch: epoch, loss, each parameter (and last_sample_loss in sgd mode), a row at a time."""
    names = [name for n, v in history.initial_params for name in _entry_names(n, v)]
    sgd = history.settings.mode == "sgd"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch", "loss"] + names + (["last_sample_loss"] if sgd else []))
    for e in history.all_epochs():
        extra = [num(e.last_sample_loss)] if sgd else []
        writer.writerow([e.epoch, num(e.loss)] + [num(x) for _, v in e.params for x in _flat(v)] + extra)
        if out.tell() > 1 << 16:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _entry_names(name: str, value) -> list[str]:
    """A column per entry: w, or b[0], b[1], or W[0,0], W[0,1], … (row by row)."""
    shape = _shape(value) if isinstance(value, (list, tuple)) else ()
    if not shape:
        return [name]
    if len(shape) == 1:
        return [f"{name}[{i}]" for i in range(shape[0])]
    return [f"{name}[{i},{j}]" for i in range(shape[0]) for j in range(shape[1])]


def _flat(value) -> list:
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _flat(v)]
    return [value]
