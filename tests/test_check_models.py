"""symback check on every model of the test table: the true gradient passes, its negative is a sign error."""

import pytest

from symback.check.grade import check_answer
from symback.core.derive import explain
from symback.render.printers import claim

from conftest import MODEL_IDS, MODELS, make_problem

#: functions of closed forms that a student cannot type (relu' is a step, |u|' a sign)
UNTYPABLE = ("Heaviside", "sign")
#: relu and abs have derivatives (H, sign) the answer language cannot write: those rows are left out
TYPABLE = [(row, i) for row, i in zip(MODELS, MODEL_IDS) if "relu" not in row[0] and "abs" not in row[0] + row[1]]


def typed_gradient(row):
    """The problem, its first parameter and ∂L/∂param in the answer language, or a skip."""
    problem = make_problem(row)
    gradient = explain(problem).gradients[0]
    if gradient.closed is None:
        pytest.skip("no closed form")
    text = claim(gradient.closed)
    assert not any(name in text for name in UNTYPABLE), "TYPABLE must leave this row out"
    return problem, gradient.param.name, text


@pytest.mark.parametrize("row", [r for r, _ in TYPABLE], ids=[i for _, i in TYPABLE])
def test_true_gradient_is_accepted(row):
    problem, wrt, text = typed_gradient(row)
    assert check_answer(problem, text, wrt).correct


@pytest.mark.parametrize("row", [r for r, _ in TYPABLE], ids=[i for _, i in TYPABLE])
def test_negated_gradient_is_a_sign_error(row):
    problem, wrt, text = typed_gradient(row)
    verdict = check_answer(problem, f"-({text})", wrt)
    assert not verdict.correct and verdict.diagnosis.kind == "sign"
