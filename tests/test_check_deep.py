"""check on deep chains: a gradient that is tiny everywhere is still compared relatively, and the work
grows linearly with depth (a hang guard here; speed is measured in benchmarks/)."""

import subprocess
import sys

import pytest
import sympy

from conftest import MODEL_IDS, MODELS
from symback.check.grade import check_answer
from symback.check.backprop import Backprop, agree
from symback.core.derive import explain
from symback.model.spec import problem


def _chain(depth: int, factor: str = "0.5*") -> str:
    """h1 = tanh(w*x); h_k = tanh(0.5*h_(k-1)); ŷ = h_depth: ∂L/∂w is about 0.5^depth everywhere."""
    layers = ["h1 = tanh(w*x)"] + [f"h{k} = tanh({factor}h{k - 1})" for k in range(2, depth + 1)]
    return "; ".join(layers + [f"y_hat = h{depth}"])


def test_zero_is_not_the_value_of_a_tiny_gradient():
    verdict = check_answer(problem(model=_chain(60)), "0")
    assert not verdict.correct and verdict.diagnosis.why == "number_wrong"


def test_a_tiny_wrong_formula_is_wrong():
    verdict = check_answer(problem(model=_chain(60)), "x/10**30")
    assert not verdict.correct


def test_the_right_formula_on_a_deep_chain_is_right():
    answer = "2*(h30 - y)*0.5**29*" + "*".join(f"(1 - h{k}**2)" for k in range(1, 31)) + "*x"
    assert check_answer(problem(model=_chain(30)), answer).correct


def test_agreement_is_relative_to_the_size_of_the_gradient():
    truth = [3e-18, -1e-17, 2e-18]
    assert not agree([0.0, 0.0, 0.0], truth)
    assert agree([t * (1 + 1e-12) for t in truth], truth)
    assert agree([1e-13, 0.0, 0.0], [0.0, 0.0, 0.0]) and not agree([1e-9, 0.0, 0.0], [0.0, 0.0, 0.0])


def test_check_on_a_deep_chain_finishes():
    """A hang guard: the bound is far above what linear work takes (no timing is asserted)."""
    script = (f"from symback.check.grade import check_answer; from symback.model.spec import problem; "
              f"v = check_answer(problem(model={_chain(300, '')!r}), '2*(h300 - y)'); print(v.correct)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240)
    assert run.returncode == 0 and run.stdout.strip() == "False", run.stderr[-2000:]


@pytest.mark.parametrize("model, loss, params, columns, rows", MODELS, ids=MODEL_IDS)
def test_the_linear_accumulation_gives_the_same_expression(model, loss, params, columns, rows):
    derivation = explain(problem(model=model, loss=loss, params=params, data=(columns, rows)), 0)
    bp = Backprop(derivation)
    nodes = [n.name for n in derivation.graph.nodes]
    for top in nodes:
        for bottom in list(derivation.graph.params) + nodes:
            assert bp.symbolic(top, bottom) == bp._accumulate(top, bottom, lambda local: local.expr, sympy.Integer(0))
