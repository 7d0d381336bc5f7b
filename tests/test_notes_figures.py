"""The figures: the graph's layout, the SVG and TikZ drawings, the loss curve."""

import itertools
import xml.etree.ElementTree as ET

import pytest

from conftest import MODEL_IDS, MODELS, make_problem
from symback.core.derive import explain
from symback.lang import wording
from symback.notes.figures import graph_figure, loss_curve
from symback.notes.geometry import log_ticks, nice_ticks, place, thin
from symback.notes.layout import picture
from symback.notes.lesson import build_lesson
from symback.notes.svg import box_lines, curve_svg, graph_svg
from symback.notes.tikz import curve_pgfplots, graph_tikz
from symback.train.run import Settings

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed():
    return build_lesson()


def _overlap(a, b) -> bool:
    return abs(a.x - b.x) < (a.w + b.w) / 2 and abs(a.y - b.y) < (a.h + b.h) / 2


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_boxes_never_overlap(row):
    drawn = picture(explain(make_problem(row)))
    for across in (True, False):
        from dataclasses import replace

        rects, _arrows, _w, _h = place(replace(drawn, across=across), lambda b: box_lines(b, drawn))
        assert not any(_overlap(a, b) for a, b in itertools.combinations(rects.values(), 2))


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_arrows_run_from_operands_to_later_layers(row):
    drawn = picture(explain(make_problem(row)))
    layer = {b.key: b.layer for b in drawn.boxes}
    assert all(layer[e.source] < layer[e.target] for e in drawn.edges)


def test_every_node_and_leaf_has_a_box(seed):
    drawn = picture(seed.derivation)
    assert {str(b.key) for b in drawn.boxes} == {"w", "x", "y", "y_hat", "r", "L"}
    assert {str(b.key): b.role for b in drawn.boxes}["w"] == "param"


def test_boxes_carry_the_forward_value_and_the_gradient(seed):
    boxes = {str(b.key): b for b in picture(seed.derivation).boxes}
    assert (boxes["r"].value, boxes["r"].grad) == (-1.0, -2.0)
    assert boxes["x"].grad is None  # data get no gradient


def test_a_huge_graph_is_not_drawn():
    from symback import problem

    model = "; ".join(f"h{k} = tanh(w*h{k - 1})" if k else "h0 = tanh(w*x)" for k in range(35)) + "; y_hat = h34"
    assert picture(explain(problem(model=model))) is None


def test_graph_svg_is_well_formed_and_has_every_box(seed):
    root = ET.fromstring(graph_svg(graph_figure(seed.derivation, wording("en"))))
    assert len(root.findall(f".//{SVG}rect")) == 6
    assert "grad −2" in [t.text for t in root.iter(f"{SVG}text")]


def test_svg_text_is_escaped(seed):
    from dataclasses import replace

    drawn = replace(graph_figure(seed.derivation, wording("en")), value_word="<b>&")
    ET.fromstring(graph_svg(drawn, title="a < b & c"))


def test_the_loss_curve_is_on_a_log_scale_when_it_spans_decades(seed):
    curve = loss_curve(seed.history, wording("en"))
    assert curve.log and len(curve.series) == 2  # SGD: the mean loss and the last sample's


def test_batch_training_has_one_series():
    lesson = build_lesson(settings=Settings(mode="batch", epochs=5))
    assert len(loss_curve(lesson.history, wording("en")).series) == 1


def test_curve_svg_is_well_formed(seed):
    root = ET.fromstring(curve_svg(loss_curve(seed.history, wording("en"))))
    assert len(root.findall(f".//{SVG}polyline")) == 2


def test_long_runs_are_thinned():
    assert len(thin(100_000)) <= 400 and thin(100_000)[-1] == 99_999


def test_ticks_cover_the_range():
    ticks = nice_ticks(0, 99)
    assert ticks[0] <= 0 and ticks[-1] >= 99 and len(ticks) <= 8


def test_log_ticks_cover_the_range():
    low, high, labelled = log_ticks(2.7e-26, 4.67)
    assert low <= -26 and high >= 1 and set(labelled) <= set(range(low, high + 1))


def test_tikz_has_a_node_per_box_and_an_arrow_per_edge(seed):
    drawn = graph_figure(seed.derivation, wording("en"))
    text = graph_tikz(drawn, lambda s: s)
    assert text.count(r"\node[") == len(drawn.boxes) and text.count(r"\draw[") == len(drawn.edges)


def test_pgfplots_uses_a_log_axis(seed):
    text = curve_pgfplots(loss_curve(seed.history, wording("en")), lambda s: s)
    assert "ymode=log" in text and text.count(r"\addplot") == 2
