"""The MathML printer behind the HTML notes (symback/render/mathml.py)."""

import re
import xml.etree.ElementTree as ET

import pytest
import sympy

from conftest import MODEL_IDS, MODELS, make_problem
from symback.core.derive import explain
from symback.model.parse import symbol
from symback.render.mathml import mathml

w, x, y, r = (symbol(n) for n in "wxyr")


def _text(markup: str) -> str:
    """The characters a reader sees, in order."""
    return "".join(ET.fromstring(markup).itertext())


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_expression_of_a_derivation_is_well_formed(row):
    d = explain(make_problem(row))
    exprs = [n.shown for n in d.graph.nodes] + [l.expr for l in d.locals] + [l.rule.formula() for l in d.locals]
    exprs += [g.closed for g in d.gradients if g.closed is not None]
    for expr in exprs:
        ET.fromstring(mathml(expr))
        ET.fromstring(mathml(expr, d.values))


def test_terms_keep_the_written_order():
    assert _text(mathml(2 * x * (w * x - y))) == "2\u2062x\u2062(w\u2062x−y)"


def test_values_print_as_numbers_negative_ones_in_parentheses():
    assert _text(mathml(r**2, {r: -1.0})) == "(−1)2"


def test_the_prediction_wears_a_hat():
    assert "<mover><mi>y</mi><mo>^</mo></mover>" in mathml(symbol("y_hat"))


def test_a_gradient_is_a_fraction_of_partials():
    assert _text(mathml(sympy.Derivative(symbol("L"), w))) == "∂L∂w"


def test_relations_are_escaped():
    markup = mathml(sympy.StrictLessThan(symbol("eta"), 1 / x**2))
    assert "<mo>&lt;</mo>" in markup and _text(markup) == "η<1x2"


def test_floats_print_in_shortest_form():
    assert _text(mathml(sympy.Float(1.02) * w, {})) == "1.02\u2062w"
    assert re.search(r"<mn>1.5</mn><mo>·</mo><msup><mn>10</mn><mn>−7</mn></msup>", mathml(sympy.Float(1.5e-7)))


def test_sigmoid_is_sigma_and_log_is_ln():
    assert _text(mathml(sympy.log(symbol("sigmoid_arg")))).startswith("ln(")
    from symback.model.ops import sigmoid

    assert _text(mathml(sigmoid(w))) == "σ(w)"


def test_display_maths_is_a_block():
    assert mathml(w, display=True).startswith('<math display="block">')
