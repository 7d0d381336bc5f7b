"""Every claim in the JSON steps is a true equation, checkable with SymPy alone."""

import json

import pytest

from conftest import MODEL_IDS, MODELS, claim_holds, make_problem
from symback.batch import explain_batch
from symback.derive import explain
from symback.render import render


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_sample_claim_holds(row):
    steps = json.loads(render(explain(make_problem(row)), "json"))["steps"]
    assert steps
    for step in steps:
        assert claim_holds(step["claim"]), step


@pytest.mark.parametrize("row", MODELS[:8], ids=MODEL_IDS[:8])
def test_every_batch_claim_holds(row):
    steps = json.loads(render(explain_batch(make_problem(row)), "json"))["steps"]
    for step in steps:
        assert claim_holds(step["claim"]), step


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_rule_formula_in_json_holds(row):
    steps = json.loads(render(explain(make_problem(row)), "json"))["steps"]
    for step in steps:
        if "formula" in step:
            assert claim_holds(step["formula"]), step


def test_a_false_claim_is_caught():
    assert not claim_holds("Derivative(r**2, r) = 3*r")
    assert not claim_holds("2*(-1) = -3")


def test_seed_claims_read_like_the_lesson(seed):
    claims = [s["claim"] for s in json.loads(render(explain(seed), "json"))["steps"]]
    assert "Derivative(r**2, r) = 2*r" in claims
    assert "2*1*(1*1 - 2) = -2" in claims
    assert "1 - 0.01*(-2) = 1.02" in claims
