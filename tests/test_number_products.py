"""A number next to a number always gets an explicit multiplication sign, in every format.

Golden strings over models where a coefficient meets a power of a number:
``2·3²·(1·3² − 2)``, never ``23²·(…)``.
"""

import pytest

from symback import problem
from symback.core.derive import explain
from symback.model.parse import symbol
from symback.render import render
from symback.render.mathml import mathml

#: (model, params, sample, the closed form with numbers in text, the same in LaTeX)
PRODUCTS = [
    ("w*x**2", {"w": 1.0}, {"x": 3, "y": 2}, "2·3²·(1·3² − 2) = 126",
     r"2 \cdot 3^{2} \cdot \left(1 \cdot 3^{2} - 2\right) = 126"),
    ("w1*x**2 + w2*x + b", {"w1": 1.0, "w2": 1.0, "b": 1.0}, {"x": 1, "y": 2}, "2·1²·(1 + 1·1² + 1·1 − 2) = 2",
     r"2 \cdot 1^{2} \cdot \left(1 + 1 \cdot 1^{2} + 1 \cdot 1 - 2\right) = 2"),
    ("(w*x)**3", {"w": 1.0}, {"x": 3, "y": 2}, "6·1²·3³·(1³·3³ − 2) = 4050",
     r"6 \cdot 1^{2} \cdot 3^{3} \cdot \left(1^{3} \cdot 3^{3} - 2\right) = 4050"),
    ("w*x**2 + 3*w", {"w": 1.0}, {"x": 3, "y": 2}, "2·(3 + 3²)·(3·1 + 1·3² − 2) = 240",
     r"2 \cdot \left(3 + 3^{2}\right) \cdot \left(3 \cdot 1 + 1 \cdot 3^{2} - 2\right) = 240"),
    ("w*2**x", {"w": 1.0}, {"x": 3, "y": 2}, "2·2^3·(1·2^3 − 2) = 96",
     r"2 \cdot 2^{3} \cdot \left(1 \cdot 2^{3} - 2\right) = 96"),
]
IDS = [row[0] for row in PRODUCTS]


def _derivation(row):
    model, params, sample, *_ = row
    return explain(problem(model, params=params), sample)


@pytest.mark.parametrize("row", PRODUCTS, ids=IDS)
def test_text_puts_a_dot_between_numbers(row):
    assert row[3] in render(_derivation(row), "text")


@pytest.mark.parametrize("row", PRODUCTS, ids=IDS)
def test_latex_puts_a_cdot_between_numbers(row):
    assert row[4] in render(_derivation(row), "latex")


@pytest.mark.parametrize("row", PRODUCTS, ids=IDS)
def test_markdown_puts_a_cdot_between_numbers(row):
    assert row[4] in render(_derivation(row), "markdown")


@pytest.mark.parametrize("row", PRODUCTS, ids=IDS)
def test_mathml_puts_a_dot_between_numbers(row):
    d = _derivation(row)
    env = {**{symbol(n): v for n, v in d.problem.params}, **{symbol(n): v for n, v in d.point.items()}}
    text = mathml(d.gradients[0].closed, env)
    assert "</mn><msup>" not in text and "</msup><msup>" not in text and "</msup><mn>" not in text


def test_mathml_golden_for_a_coefficient_times_a_power():
    d = _derivation(PRODUCTS[0])
    env = {symbol("w"): 1.0, symbol("x"): 3.0, symbol("y"): 2.0}
    assert mathml(d.gradients[0].closed, env).startswith(
        "<math><mrow><mn>2</mn><mo>·</mo><msup><mn>3</mn><mn>2</mn></msup><mo>·</mo>")


def test_symbols_keep_the_textbook_coefficient():
    x, w, y = symbol("x"), symbol("w"), symbol("y")
    from symback.render.printers import unicode

    assert unicode(2 * x**2 * (w * x**2 - y)) == "2x²·(w·x² − y)"
