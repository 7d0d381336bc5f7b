"""What the notes say and in which order: one Document for every format."""

import pytest

from symback import problem
from symback.lang import wording
from symback.notes.blocks import Equals, Figure, Grid
from symback.notes.content import notes_document
from symback.notes.lesson import build_lesson
from symback.render.document import Chains, Math, Num, Para, Text
from symback.train.run import Settings


@pytest.fixture(scope="module")
def seed():
    return build_lesson()


@pytest.fixture(scope="module")
def doc(seed):
    return notes_document(seed, wording("en"))


def _titles(doc):
    return [s.title for s in doc.sections]


def _numbers(block):
    """Every Num in a block, wherever it is nested."""
    found = []

    def walk(x):
        if isinstance(x, Num):
            found.append(x.value)
        elif isinstance(x, (tuple, list)):
            for y in x:
                walk(y)
        elif isinstance(x, Math):
            found.extend(float(v) for v in (x.values or {}).values())
        elif hasattr(x, "__dataclass_fields__"):
            for name in x.__dataclass_fields__:
                walk(getattr(x, name))

    walk(block)
    return found


def test_the_lesson_comes_in_order(doc):
    w = wording("en")
    keys = ["question", "model", "graph", "forward", "backward", "first_update", "training", "curve", "learned",
            "stability"]
    positions = [_titles(doc).index(w(f"notes.{k}")) for k in keys]
    assert positions == sorted(positions)
    assert _titles(doc).index(w("explain.closed")) == _titles(doc).index(w("notes.backward")) + 1


def test_the_sections_after_the_question_are_numbered(doc):
    numbers = [s.number for s in doc.sections if s.number]
    assert numbers == list(range(1, len(numbers) + 1))


def test_two_figures_with_numbered_labels(doc):
    figures = [b for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
    assert [f.kind for f in figures] == ["graph", "curve"]
    assert ["".join(x.text for x in f.label) for f in figures] == ["Figure 1", "Figure 2"]


def test_the_first_update_shows_the_derivations_numbers(doc, seed):
    section = next(s for s in doc.sections if s.title == wording("en")("notes.first_update"))
    assert 1.02 in _numbers(section) and -2.0 in _numbers(section)


def test_the_prediction_is_the_historys(doc, seed):
    section = next(s for s in doc.sections if s.title == wording("en")("notes.learned"))
    assert seed.history.predict({"x": 4.0}) in _numbers(section)


def test_the_epoch_table_has_the_start_the_first_and_the_last_epochs(doc, seed):
    section = next(s for s in doc.sections if s.title == wording("en")("notes.training"))
    grid = next(b for b in section.blocks if isinstance(b, Grid))
    firsts = [row[0] for row in grid.rows]
    assert firsts[0] == (Text("start"),) and firsts[1] == (Text("0"),) and firsts[-1] == (Text("99"),)
    assert seed.history.epochs[-1].loss in _numbers(grid)


def test_the_backward_table_has_one_row_per_edge_and_the_seed(doc, seed):
    section = next(s for s in doc.sections if s.title == wording("en")("notes.backward"))
    grid = next(b for b in section.blocks if isinstance(b, Grid))
    edges = sum(len(a.contributions) for a in seed.derivation.adjoints)
    assert len(grid.rows) == edges + 1


def test_fan_out_adds_a_sum_row():
    lesson = build_lesson(problem(model="w*x + w**2"))
    doc = notes_document(lesson, wording("en"))
    section = next(s for s in doc.sections if s.title == wording("en")("notes.backward"))
    grid = next(b for b in section.blocks if isinstance(b, Grid))
    assert any(row[2] == (Text("the 2 contributions add"),) for row in grid.rows)


def test_the_rules_are_named(doc):
    section = next(s for s in doc.sections if s.title == wording("en")("notes.backward"))
    chains = next(b for b in section.blocks if isinstance(b, Chains))
    assert [c.label for c in chains.rows] == [(Text("power rule"),), (Text("difference rule"),),
                                              (Text("constant-multiple rule"),)]


def test_the_teachers_words_replace_the_default_ones():
    lesson = build_lesson(texts={"title": "Week 3", "question": "What is w?", "description": "Read first."})
    doc = notes_document(lesson, wording("en"))
    assert doc.title == "Week 3"
    blocks = [b for s in doc.sections for b in s.blocks if isinstance(b, Para)]
    texts = ["".join(x.text for x in b.items if isinstance(x, Text)) for b in blocks]
    assert "What is w?" in texts and "Read first." in texts


def test_several_parameters_have_no_stability_section():
    lesson = build_lesson(problem(model="w*x + b", params={"w": 1, "b": 0}))
    assert wording("en")("notes.stability") not in _titles(notes_document(lesson, wording("en")))


def test_a_diverging_run_says_why_it_fails():
    lesson = build_lesson(problem(lr=0.3), settings=Settings(epochs=50))
    titles = _titles(notes_document(lesson, wording("en")))
    assert wording("en")("notes.stability_fails") in titles


def test_chinese_notes_have_chinese_titles(seed):
    doc = notes_document(seed, wording("zh"))
    assert doc.title.startswith("模型如何学习") and "反向传播" in _titles(doc)


def test_equals_cells_hold_their_sides(doc):
    cells = [x for s in doc.sections for b in s.blocks if isinstance(b, Grid) for row in b.rows for cell in row
             for x in cell if isinstance(x, Equals)]
    assert cells and all(len(c.sides) >= 2 for c in cells)
