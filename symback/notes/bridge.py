"""The section "The same in PyTorch": the lesson's program, line by line.

The PyTorch program of :mod:`symback.export` (for this problem and these
settings), each line with the step of the derivation it performs, pointing at
the sections of these notes; what it prints, which are symback's numbers
(the History's); and, for SGD, the first epoch update by update, which is
what the program's inner loop does.
"""

from __future__ import annotations

from sympy import Derivative

from ..export import export_program
from ..export.program import Refs
from ..model.parse import symbol
from ..render.document import Math, Num, Para, Section, Text, phrase
from .blocks import Grid, Listing, Output, point_items, rounded

#: a program line longer than this is cut (long lists of data) in the notes
LONG_LINE = 78
#: data rows listed one per line: at most this many are shown
SHOWN_ROWS = 4
#: the listing is made from at most this many rows of the data (it shows fewer)
LISTED_ROWS = 20
#: the first-epoch table lists at most this many updates (the first and the last ones)
MAX_UPDATES = 12
#: and at most this many parameters
MAX_PARAMS = 3


def refs(words, forward: int, backward: int, update: int) -> Refs:
    return Refs(*(words("notes.ref_section", n=n) for n in (forward, backward, update)))


def bridge_section(lesson, words, where: Refs) -> Section:
    """The program, its printout and (SGD) the first epoch as a table."""
    s = lesson.history.settings
    points = [dict(p.point) for p in lesson.predictions]
    program = export_program(lesson.problem, s, "pytorch", points, words, where, rows=LISTED_ROWS)
    blocks = [Para(phrase(words, "notes.bridge_lead", command=Text("symback export --to pytorch"),
                       numpy=Text("--to numpy"))),
              Listing(tuple((code, note) for code, note in _shown(program.lines))),
              Para((Text(words("notes.bridge_prints")),)), Output(printout(lesson)),
              Para((Text(words(agreement_key(lesson))),))]
    if s.mode == "sgd" and lesson.first_epoch:
        blocks += [Para((Text(words("notes.bridge_epoch")),)), first_epoch_grid(lesson, words)]
        if len(lesson.problem.params) > 1:
            blocks.append(Para((Text(words("notes.bridge_rounded", n=min(MAX_PARAMS, len(lesson.problem.params)),
                                           total=len(lesson.problem.params))),)))
    return Section(words("notes.bridge"), tuple(blocks))


def _shown(lines):
    """The program without its heading comments, blank lines single, long data cut short."""
    out, rows = [], 0
    for line in lines[2:]:
        code = line.code
        if not code.strip() and not line.note:
            if out and not out[-1][0].strip() and not out[-1][1]:
                continue
        if code.startswith("    (") and code.endswith("),"):  # a data row on its own line
            rows += 1
            if rows == SHOWN_ROWS:
                out.append(("    …", ()))
            if rows >= SHOWN_ROWS and not _last_row(lines, line):
                continue
        if len(code) > LONG_LINE and "[" in code:
            code = code[:code.index("[") + 1] + code[code.index("[") + 1:][:LONG_LINE // 2].rsplit(",", 1)[0] + ", …])"
        out.append((code, line.note))
    return out


def _last_row(lines, line) -> bool:
    i = lines.index(line)
    return i + 1 < len(lines) and lines[i + 1].code == "]"


def printout(lesson) -> str:
    """The first lines of what the program prints, and its last ones: symback's numbers."""
    h, s = lesson.history, lesson.history.settings
    before = [f"predict(before training) {_point(p.point)} {p.before!r}" for p in lesson.predictions]
    after = [f"predict(after training) {_point(p.point)} {p.after!r}" for p in lesson.predictions]
    updates = list(lesson.first_epoch)
    if len(updates) > MAX_UPDATES:  # the first ones and the last ones, as the table
        updates = updates[:MAX_UPDATES - 3] + [None] + updates[-3:]
    lines = ["…" if u is None else "\tgrad: " + " ".join(repr(float(v)) for v in (u.sample or ()) + u.gradient)
             for u in updates]
    if lesson.first_epoch:
        lines.append(f"progress: 0 {lesson.first_epoch[-1].loss!r}")
    if len(h.epochs) > 1:
        lines.append("…")
        if s.mode == "sgd":
            lines.append(f"progress: {h.epochs[-1].epoch} {h.epochs[-1].last_sample_loss!r}")
        elif s.mode == "batch":  # the last update saw the mean loss after the epoch before it
            lines.append(f"progress: {h.epochs[-1].epoch} {h.epochs[-2].loss!r}")
    return "\n".join(before + lines + after)


def _point(point) -> str:
    from ..export.program import point_literal

    return " ".join(point_literal(v) for _, v in point)


def agreement_key(lesson) -> str:
    """The original lesson's numbers are PyTorch's (the reference output shows it); others agree to rounding."""
    from ..model.spec import problem as make_problem

    s = lesson.history.settings
    if lesson.problem == make_problem() and s.mode == "sgd":
        return "notes.bridge_same_seed"
    return "notes.bridge_same"


def first_epoch_grid(lesson, words) -> Grid:
    """sample | ∂L/∂p … | p after …, one row per update of the first epoch."""
    names = lesson.problem.param_names[:MAX_PARAMS]
    L = lesson.derivation.graph.loss
    header = ((Text(words("notes.col_sample")),),) + tuple((Math(Derivative(L, symbol(n))),) for n in names) \
        + tuple(phrase(words, "notes.col_after_update", p=Math(symbol(n))) for n in names)
    updates = list(lesson.first_epoch)
    shown = updates if len(updates) <= MAX_UPDATES else updates[:MAX_UPDATES - 3] + [None] + updates[-3:]
    columns = list(lesson.problem.inputs) + ["y"]
    rows = []
    for u in shown:
        if u is None:
            rows.append(tuple((Text("…"),) for _ in header))
            continue
        k = len(names)
        cell = Num if k == 1 else rounded  # seven columns of full numbers would not fit a page
        rows.append((point_items(zip(columns, u.sample)),) + tuple((cell(g),) for g in u.gradient[:k])
                    + tuple((cell(p),) for p in u.params[:k]))
    return Grid(header, tuple(rows), "l" + "r" * (2 * len(names)))
