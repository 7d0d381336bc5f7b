"""The notes' section "The same in PyTorch": the program, its printout, the first epoch."""

from __future__ import annotations

import os

import pytest

from symback import problem
from symback.lang import wording
from symback.notes import render_files
from symback.notes.blocks import Grid, Listing, Output
from symback.notes.content import notes_document
from symback.notes.lesson import build_lesson
from symback.render.document import Num, Text
from symback.train.run import Settings

EN = wording("en")
REFERENCE = os.path.join(os.path.dirname(__file__), "reference", "seed_torch_float64_output.txt")


@pytest.fixture(scope="module")
def seed():
    return build_lesson()


def _section(doc, title: str):
    return next(s for s in doc.sections if s.title == title)


def _block(section, kind):
    return next(b for b in section.blocks if isinstance(b, kind))


def test_the_bridge_follows_the_first_update(seed):
    titles = [s.title for s in notes_document(seed, EN).sections]
    assert titles.index("The same in PyTorch") == titles.index("The first update") + 1


def test_each_step_points_at_its_section_of_the_notes(seed):
    doc = notes_document(seed, EN)
    number = {s.title: s.number for s in doc.sections}
    notes = {code.strip(): "".join(x.text for x in note if isinstance(x, Text))
             for code, note in _block(_section(doc, "The same in PyTorch"), Listing).lines}
    assert f"(section {number['Backward pass']})" in notes["l.backward()"]
    assert f"(section {number['Forward pass']})" in notes["l = loss(x, y)"]
    assert f"(section {number['The first update']})" in notes["w.data = w.data - lr * w.grad.data"]
    assert "contributions add" in notes["w.grad.zero_()"]


def test_the_printout_is_the_original_programs(seed):
    text = _block(_section(notes_document(seed, EN), "The same in PyTorch"), Output).text
    with open(REFERENCE, encoding="utf-8") as handle:
        reference = handle.read().splitlines()
    shown = [line for line in text.splitlines() if line != "…"]
    assert shown[:5] == reference[:5] and shown[-2:] == reference[-2:]


def test_the_first_epoch_table_has_the_lessons_updates(seed):
    grid = _block(_section(notes_document(seed, EN), "The same in PyTorch"), Grid)
    numbers = [tuple(c[0].value for c in row[1:]) for row in grid.rows]
    assert numbers == [(-2.0, 1.02), (-7.84, 1.0984), (-16.2288, 1.260688)]
    assert all(isinstance(row[1][0], Num) for row in grid.rows)


def test_the_original_lesson_says_its_numbers_are_pytorchs_to_the_bit(seed):
    section = _section(notes_document(seed, EN), "The same in PyTorch")
    assert any(EN("notes.bridge_same_seed") == b.items[0].text for b in section.blocks if hasattr(b, "items"))


def test_another_problem_says_only_what_is_known():
    lesson = build_lesson(problem(model="w*x + b", params={"w": 1, "b": 0}), settings=Settings(epochs=3))
    section = _section(notes_document(lesson, EN), "The same in PyTorch")
    said = [b.items[0].text for b in section.blocks if hasattr(b, "items") and b.items]
    assert EN("notes.bridge_same") in said and EN("notes.bridge_same_seed") not in said


def test_batch_training_has_no_per_sample_table():
    lesson = build_lesson(problem(model="w*x + b", params={"w": 1, "b": 0}), settings=Settings(epochs=3, mode="batch"))
    section = _section(notes_document(lesson, EN), "The same in PyTorch")
    assert not any(isinstance(b, Grid) for b in section.blocks)
    assert any(".mean()" in code for code, _ in _block(section, Listing).lines)


@pytest.mark.parametrize("suffix, marks", [
    (".md", ["```python", "l.backward()  ", "```text"]),
    (".html", ['<table class="listing">', "<code>        l.backward()</code>", '<pre class="output">']),
    (".tex", ["\\ttfamily}p{", "l.backward()", "\\begin{verbatim}"]),
    (".ipynb", ["```python", "l.backward()"]),
])
def test_every_format_prints_the_program_and_its_output(seed, suffix, marks, tmp_path):
    text = render_files(seed, str(tmp_path / f"n{suffix}"))[str(tmp_path / f"n{suffix}")]
    assert all(mark in text for mark in marks)


def test_the_bridge_in_chinese(seed, tmp_path):
    path = str(tmp_path / "n.md")
    text = render_files(seed, path, "zh")[path]
    assert "## 7. 用 PyTorch 做同样的事" in text and "反向传播(第 4 节)" in text


def test_big_data_get_a_listing_with_a_few_rows():
    rows = [[i / 1000, 2 * i / 1000] for i in range(10_050)]
    lesson = build_lesson(problem(data=(["x", "y"], rows)), settings=Settings(epochs=1))
    section = _section(notes_document(lesson, EN), "The same in PyTorch")
    codes = [code for code, _ in _block(section, Listing).lines]
    assert "    …" in codes and "    (10.049, 20.098)," in codes and len(codes) < 40
    assert not any(isinstance(b, Grid) for b in section.blocks)  # no update-by-update table of 10,050 rows


def test_a_long_first_epoch_prints_its_first_and_last_updates():
    rows = [[i / 10, 2 * i / 10] for i in range(1, 31)]
    lesson = build_lesson(problem(data=(["x", "y"], rows)), settings=Settings(epochs=2))
    text = _block(_section(notes_document(lesson, EN), "The same in PyTorch"), Output).text
    grads = [line for line in text.splitlines() if line.startswith("\tgrad:")]
    assert len(grads) == 12 and "…" in text and grads[-1].startswith("\tgrad: 3.0 6.0 ")


def test_a_long_line_of_code_continues_further_in_than_it_starts():
    from symback.notes.latex import code_cell

    long = "    return -y * torch.log(y_hat) - (1 - y) * torch.log(1 - y_hat)"
    assert code_cell(long).startswith("\\hangindent=3.5em\\hangafter=1 \\hspace*{2.0em}return")
    assert code_cell("lr = 0.01") == "lr = 0.01"


def test_the_slides_notes_stand_on_their_code_lines():
    from symback.notes.slides import _listing

    # a colour change first in a cell would start it a line lower than the code beside it
    assert "& \\leavevmode\\color{black!65}the samples" in _listing([("data = [(1.0, 2.0)]", [Text("the samples")])])
