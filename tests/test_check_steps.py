"""symback check --step: one edge (or any stretch) of the chain rule, by the graph's names."""

from functools import lru_cache

import pytest

from symback.check.grade import check_step
from symback.errors import ParseError, SpecError
from symback.model.spec import problem


@lru_cache(maxsize=None)
def lesson(name):
    if name == "seed":
        return problem()
    if name == "layers":
        return problem("h = tanh(w*x + b); y_hat = v*h + c", params={"v": 1, "w": 0.5, "b": 0, "c": 0})
    return problem("v*tanh(w*x + b) + c", params={"v": 1, "w": 0.5, "b": 0, "c": 0})


RIGHT = [
    ("seed", "dL/dr = 2*r"),
    ("seed", "dL/dr = 2*(y_hat - y)"),
    ("seed", "d(L)/d(r) = 2*(w*x - y)"),
    ("seed", "dr/dy_hat = 1"),
    ("seed", "dr/dyhat = 1"),
    ("seed", "dy_hat/dw = x"),
    ("seed", "∂L/∂ŷ = 2*r"),
    ("seed", "dL/dw = 2*r*x"),
    ("tanh", "du2/du1 = 1 - u2**2"),
    ("tanh", "du2/du1 = 1 - tanh(w*x + b)**2"),
    ("layers", "dh/du1 = 1 - h**2"),
    ("layers", "dL/dh = 2*r*v"),
]

WRONG = [
    ("seed", "dL/dr = r", "constant_factor"),
    ("seed", "dL/dr = 2*r**2", "wrong_exponent"),
    ("seed", "dL/dr = r**2", "not_differentiated"),
    ("seed", "dr/dy_hat = -1", "sign"),
    ("seed", "dy_hat/dw = w", "wrong_variable"),
    ("seed", "dL/dw = 2*r", "missing_inner_derivative"),
    ("tanh", "du2/du1 = u2**2", "wrong_rule"),
    ("tanh", "du2/du1 = 1 - u2", "wrong_exponent"),
    ("layers", "dL/dh = 2*r", "missing_inner_derivative"),
]


@pytest.mark.parametrize("name, step", RIGHT)
def test_right_step_is_accepted(name, step):
    assert check_step(lesson(name), step).correct


@pytest.mark.parametrize("name, step, kind", WRONG)
def test_wrong_step_gets_its_diagnosis(name, step, kind):
    verdict = check_step(lesson(name), step)
    assert not verdict.correct
    assert verdict.diagnosis.kind == kind


def test_step_names_what_it_checks():
    verdict = check_step(lesson("seed"), "dL/dr = 2*r")
    assert (verdict.top.name, verdict.bottom.name) == ("L", "r")


def test_step_truth_is_kept_in_node_names():
    assert str(check_step(lesson("seed"), "dL/dr = r").chain) == "2*r"


def test_unrelated_variables_have_derivative_zero():
    assert check_step(lesson("tanh"), "du1/dv = 0").correct


@pytest.mark.parametrize("step", ["dL/dr 2*r", "dL/dr == 2*r", "L/r = 2*r", "dL = 2*r", "= 2*r", "dL/dr ="])
def test_malformed_step_is_a_parse_error(step):
    with pytest.raises(ParseError):
        check_step(lesson("seed"), step)


@pytest.mark.parametrize("step", ["dq/dr = 1", "dL/dq = 1", "dx/dw = 1", "dL/dx = 2", "dw/dL = 1", "dr/dL = 1"])
def test_step_with_names_not_in_the_graph_is_refused(step):
    with pytest.raises(SpecError):
        check_step(lesson("seed"), step)


def test_reversed_step_suggests_the_right_order():
    with pytest.raises(SpecError, match="dL/dr"):
        check_step(lesson("seed"), "dr/dL = 1")
