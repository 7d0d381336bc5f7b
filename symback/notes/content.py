"""What the notes say, in which order: a Lesson -> a Document.

The order of the lesson: the question; the model and the loss; the
computational graph (a figure); the forward table; the backward table with
the rules; the closed form and its check; the first update; training (a
table of epochs, the loss curve); what was learned and the prediction; for
one parameter, why the learning rate converges. Wording comes from the
catalogue (``notes.*``, reusing ``explain.*`` and ``train.*``); every number
from the Lesson's values. The formats (LaTeX, Markdown, HTML, notebook)
print this one Document.
"""

from __future__ import annotations

from dataclasses import replace

from ..model.parse import symbol
from ..model.spec import Y, Y_HAT
from ..render.document import Document, Math, Num, Para, Section, Table, Text, phrase
from ..core.numeric import rounds_for_display
from ..render.explanation import closed_blocks, problem_section, prose, update_section
from .blocks import Figure, Grid, point_items, rounded
from .figures import graph_figure
from .backward import backward_section
from .bridge import bridge_section, refs
from .exercise_sections import answer_section, exercise_section
from .results import result_sections

#: the question's data table lists at most this many rows (the first and the last ones)
MAX_DATA_ROWS = 12
#: data with at most this many columns and MAX_DATA_ROWS rows are shown across the page
ACROSS_COLUMNS = 3
#: a table has at most this many columns (more would not fit a page)
MAX_COLUMNS = 9


def notes_document(lesson, words, answers_apart: bool = False) -> Document:
    """The whole lesson as one Document; sections after the question are numbered.

    With exercises, they end the notes, followed by their answers unless ``answers_apart``."""
    d = lesson.derivation
    forward, backward, update = forward_section(d, words), backward_section(d, words), first_update_section(lesson, words)
    sections = [model_section(lesson, words), graph_section(d, words), forward, backward,
                Section(words("explain.closed"), closed_blocks(d, words)), update]
    where = refs(words, *(sections.index(s) + 1 for s in (forward, backward, update)))  # the numbers they will get
    sections.append(bridge_section(lesson, words, where))
    sections += result_sections(lesson, words)
    if lesson.exercises:
        sections.append(exercise_section(lesson, words, answers_apart))
        sections += [] if answers_apart else [answer_section(lesson, words)]
    sections = number_figures([replace(s, number=i) for i, s in enumerate(sections, start=1)], words)
    intro = (Para((Text(lesson.texts["description"]),)),) if lesson.texts.get("description") else ()
    head = Section("", intro + (Para((Text(words("notes.intro")),)),))
    title = lesson.texts.get("title") or words("notes.title")
    return Document(title, (head, question_section(lesson, words), *sections), words.code)


def answers_document(lesson, words) -> Document:
    """The answer key on its own (for --answers FILE)."""
    title = words("notes.answers_title", title=lesson.texts.get("title") or words("notes.title"))
    return Document(title, (answer_section(lesson, words),), words.code)


def number_figures(sections, words) -> list:
    """Prefix each figure's caption with "Figure n.", counting in order."""
    count, out = 0, []
    for section in sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Figure):
                count += 1
                block = replace(block, label=phrase(words, "notes.figure", n=Text(str(count))))
            blocks.append(block)
        out.append(replace(section, blocks=tuple(blocks)))
    return out


def question_section(lesson, words) -> Section:
    """The teacher's question (or the original one), and the data with the points to predict."""
    points = [dict(p.point) for p in lesson.predictions]
    if lesson.texts.get("question"):
        lead = (Text(lesson.texts["question"]),)
    elif lesson.seed_data and points:
        lead = phrase(words, "notes.question_seed", point=point_items(points[0]), x=Math(symbol("x")), y=Math(Y))
    else:
        lead = phrase(words, "notes.question_fit")
        if points:
            listed = tuple(x for i, p in enumerate(points) for x in ((Text("; "),) if i else ()) + point_items(p))
            lead += (Text(" "),) + phrase(words, "notes.question_predict", points=listed, y_hat=Math(Y_HAT))
    blocks = (Para(lead), data_grid(lesson.problem, points, words))
    return Section(words("notes.question"), blocks)


def data_grid(problem, points, words) -> Grid:
    """The data as a table; each point to predict is a last row (or column) with y = ?."""
    names = problem.data.names
    n = len(problem.data)
    shown = list(range(n)) if n <= MAX_DATA_ROWS else list(range(MAX_DATA_ROWS - 3)) + [None] + list(range(n - 3, n))
    rows = [tuple((Text("…"),) for _ in names) if i is None else tuple((Num(v),) for v in problem.data.rows[i])
            for i in shown]
    for point in points:
        rows.append(tuple((Num(point[c]),) if c in point else (Text(words("notes.unknown")),) for c in names))
    header = tuple((Math(symbol(c)),) for c in names)
    if len(rows) > MAX_DATA_ROWS or len(names) > ACROSS_COLUMNS:
        return Grid(header, tuple(rows), "r" * len(names))
    # a short table runs across the page: one row per column of the data, the names first
    across = [(name,) + tuple(row[j] for row in rows) for j, name in enumerate(header)]
    return Grid(across[0], tuple(across[1:]), "l" + "r" * len(rows))


def model_section(lesson, words) -> Section:
    facts = problem_section(lesson.problem, words, lesson.derivation.point)
    lead = phrase(words, "notes.model_lead", y_hat=Math(Y_HAT), L=Math(lesson.derivation.graph.loss), y=Math(Y))
    return Section(words("notes.model"), (Para(lead),) + facts.blocks)


def graph_section(d, words) -> Section:
    lead = Para((Text(words("notes.graph_lead")),))
    picture = graph_figure(d, words)
    if picture is None:
        return Section(words("notes.graph"), (lead, Para((Text(words("notes.graph_too_big", n=len(d.graph.nodes))),))),
                       )
    caption = phrase(words, "notes.graph_caption", sample=point_items(d.point))
    return Section(words("notes.graph"), (lead, Figure("graph", picture, caption, "graph")))


def forward_section(d, words) -> Section:
    """node | operation | with the numbers | value, from the parameters to the loss."""
    header = tuple((Text(words(f"notes.col_{k}")),) for k in ("node", "operation", "numbers", "value"))
    rows = tuple(((Math(n.name),), (Math(n.shown),), (Math(n.shown, d.values),), _value_cell(d.values[n.name]))
                 for n in d.graph.nodes)
    lead = Para((Text(words("notes.forward_lead")),))
    return Section(words("notes.forward"), (lead, Grid(header, rows, "lwwr")))


def _value_cell(value) -> tuple:
    """A node's value in the forward table: after "≈" when the step that gave it rounded."""
    rounded = getattr(value, "rounded", False) or rounds_for_display(value)
    return (Text("≈ "), Num(value)) if rounded else (Num(value),)


def first_update_section(lesson, words) -> Section:
    """w ← w − η·∂L/∂w with the numbers: one sample (SGD) or the mean over the batch."""
    first = lesson.first_update
    if first is lesson.derivation:
        sentence = phrase(words, "explain.loss_after", before=prose(first.loss), after=prose(first.loss_after))
        return Section(words("notes.first_update"), update_section(first, words, sentence, None).blocks)
    from ..render.batch_sections import mean_chains, sample_table  # the batch explanation's own table and means

    sentence = phrase(words, "explain.loss_after_batch", before=prose(first.loss), after=prose(first.loss_after))
    update = update_section(first, words, sentence, None)
    table = sample_table(first, words)
    gradients = len(first.gradients)
    shown = max(1, MAX_COLUMNS - (len(table.header) - gradients))
    note = ()
    if shown < gradients:  # the table keeps the first gradients; the means below give them all
        cut = len(table.header) - gradients + shown
        table = Table(table.header[:cut], tuple(row[:cut] for row in table.rows))
        note = (Para((Text(words("notes.more_gradients", shown=shown, n=gradients)),)),)
    blocks = (Para((Text(words("explain.batch_lead")),)), grid_of(table)) + note + (mean_chains(first, words),) \
        + update.blocks
    return Section(words("notes.first_update_batch"), blocks)


def grid_of(table: Table, full_columns: int = 5) -> Grid:
    """A render Table as a Grid; numbers rounded to six digits when there are many columns."""
    keep = len(table.header) <= full_columns
    cell = lambda x: (x if keep or not isinstance(x, Num) else rounded(x.value),)  # noqa: E731
    return Grid(tuple((c,) for c in table.header), tuple(tuple(cell(x) for x in row) for row in table.rows),
                "r" * len(table.header))
