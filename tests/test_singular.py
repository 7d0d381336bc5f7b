"""Gradients that are infinite or undefined at a point: named as such, never blamed on the learning rate."""

import pytest

from symback import problem
from symback.core.derive import explain
from symback.core.singular import SingularGradient


@pytest.mark.parametrize("model, says", [
    ("sqrt(w) + x", "the derivative of sqrt is infinite at 0"),
    ("w**(1/3) + x", "the derivative of u**(1/3) is infinite at u = 0"),
])
def test_an_infinite_local_derivative_names_its_cause_and_the_remedy(model, says):
    with pytest.raises(SingularGradient) as err:
        explain(problem(model, params={"w": 0}))
    assert says in err.value.message
    assert "start w from another value" in err.value.message
    assert "smaller learning rate" not in err.value.message


def test_the_parameters_below_a_singular_node_are_named():
    with pytest.raises(SingularGradient, match="start w from another value"):
        explain(problem("sqrt(w*x - 1) + b", params={"w": 1, "b": 0}), {"x": 1, "y": 0})


def test_a_power_of_zero_has_gradient_zero_as_pytorch_gives():
    d = explain(problem("0**w + x"))
    assert d.gradient == {"w": 0.0}
    assert d.gradients[0].check.ok
    assert next(l for l in d.locals if l.child.name == "w").rule.key == "zero_power"
