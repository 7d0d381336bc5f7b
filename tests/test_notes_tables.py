"""How the notes lay out their tables and figures: data across the page, numbers well apart,
figures kept by their text, the loss curve from epoch 0."""

import pytest

from symback.lang import wording
from symback.notes.blocks import Grid
from symback.notes.content import data_grid, notes_document
from symback.notes.figures import loss_curve
from symback.notes.latex import render_notes_tex
from symback.notes.lesson import build_lesson
from symback.render.document import Num


@pytest.fixture(scope="module")
def seed():
    return build_lesson()


def test_a_short_data_table_runs_across_the_page(seed):
    grid = data_grid(seed.problem, [{"x": 4.0}], wording("en"))
    assert [c[0].value for c in grid.header[1:]] == [1, 2, 3, 4] and grid.align == "lrrrr"


def test_a_long_data_table_runs_down_the_page():
    from symback import problem

    p = problem(data=(("x", "y"), [(i, 2 * i) for i in range(1, 15)]))
    grid = data_grid(p, [], wording("en"))
    assert len(grid.rows) == 13 and isinstance(grid.rows[0][0][0], Num)  # 9, a gap, the last 3


def test_the_loss_curve_starts_with_the_loss_before_training(seed):
    curve = loss_curve(seed.history, wording("en"))
    assert curve.series[0].points[0] == (0, seed.history.initial_loss)


def test_columns_of_numbers_stand_well_apart_in_latex(seed):
    tex = render_notes_tex(notes_document(seed, wording("en")))
    epochs = tex[tex.index("\\ Training}"):]
    assert "\\setlength{\\tabcolsep}{9pt}" in epochs[:epochs.index("\\end{longtable}")]


def test_a_table_with_words_that_wrap_stays_tight(seed):
    from symback.notes.latex import NotesLatex

    words = Grid(((Num(1),), (Num(2),)), (), "rw")
    assert "{\\tabcolsep}{4pt}" in NotesLatex()._print(words)


def test_figures_are_placed_by_their_text_in_latex(seed):
    tex = render_notes_tex(notes_document(seed, wording("en")))
    body = tex[tex.index("\\begin{document}"):]
    assert body.count("\\symbackfigure[hold]{") == 1 and body.count("\\symbackfigure{") == 1
    assert "\\begin{figure}" not in body
