"""Every numeric claim of explain's JSON is exactly true, or marked approximate and true to its digits.

Checked with symback's own verifier (symback.check.claims), over the model table
(one sample and the batch; rational and transcendental) and the lessons in examples/.
"""

import json
from pathlib import Path

import pytest

from conftest import MODEL_IDS, MODELS, make_problem
from symback.core.batch import explain_batch
from symback.check.claims import check, verify
from symback.core.derive import explain
from symback.cli.options import build_problem
from symback.render import render

EXAMPLES = sorted(Path(__file__).resolve().parent.parent.joinpath("examples").glob("*.toml"))


def _lesson(path):
    return build_problem(None, None, (), None, None, str(path))


def _false(payload) -> list:
    return [(v.index, v.claim, v.how) for v in verify(payload) if not v.ok]


def _payload(derivation) -> dict:
    return json.loads(render(derivation, "json"))


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_sample_claim_is_true(row):
    assert _false(_payload(explain(make_problem(row)))) == []


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_batch_claim_is_true(row):
    assert _false(_payload(explain_batch(make_problem(row)))) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_claim_of_the_example_lessons_is_true(path):
    problem = _lesson(path)
    assert _false(_payload(explain(problem))) == [] and _false(_payload(explain_batch(problem))) == []


def test_claims_without_approx_hold_exactly():
    payload = _payload(explain(make_problem(MODELS[5])))  # tanh: some steps are rounded
    numeric = [v for v, step in zip(verify(payload), _claims(payload)) if v.how in ("exact", "to its digits")]
    assert {v.how for v in numeric} == {"exact", "to its digits"}
    assert all((v.how == "to its digits") == bool(step.get("approx")) for v, step in zip(verify(payload),
                                                                                          _claims(payload)))


def _claims(payload):
    """One entry per verdict: the step of each formula and claim."""
    return [step for step in payload["steps"] for field in ("formula", "claim") if field in step]


def test_an_irrational_value_is_marked_approx():
    steps = _payload(explain(make_problem(MODELS[5])))["steps"]
    tanh = next(s for s in steps if s["rule"] == "forward" and s["claim"].startswith("tanh("))
    assert tanh["approx"] is True


def test_decimal_arithmetic_is_exact():
    d = explain(make_problem(("w*x + b", "mse", {"w": 0.3, "b": -0.2}, ("x", "y"), [(1.5, 1.65)])))
    claims = [s["claim"] for s in _payload(d)["steps"]]
    assert "0.3*1.5 + (-0.2) = 0.25" in claims and "(-1.4)**2 = 1.96" in claims
    assert "(-0.2) - 0.01*(-2.8) = -0.172" in claims


def test_an_update_from_zero_is_exact():
    d = explain(make_problem(("w*x + b", "mse", {"w": 0.3, "b": 0.0}, ("x", "y"), [(1.5, 1.85)])))
    assert "0 - 0.01*(-2.8) = 0.028" in [s["claim"] for s in _payload(d)["steps"]]


def test_a_batch_sum_that_cancels_is_zero():
    problem = _lesson(EXAMPLES[0].parent / "tanh-network.toml")
    steps = _payload(explain_batch(problem))["steps"]
    means = {s["param"]: s["claim"] for s in steps if s["rule"] == "mean" and "param" in s}
    assert means["b1"].endswith(" = 0") and means["c"].endswith(" = 0")


def test_json_results_stay_float64():
    d = explain(make_problem(("w*x + b", "mse", {"w": 0.3, "b": -0.2}, ("x", "y"), [(1.5, 1.65)])))
    payload = _payload(d)
    assert payload["loss"] == (0.3 * 1.5 + -0.2 - 1.65) ** 2 == 1.9599999999999997


def test_names_that_are_sympy_constants_are_symbols():
    row = ("E*x + I*gamma + beta*Q", "mse", {"E": 0.5, "I": 1.0, "gamma": -0.5, "beta": 2.0, "Q": 0.25},
           ("x", "y"), [(1, 2)])
    assert _false(_payload(explain(make_problem(row)))) == []


def test_a_false_claim_is_caught():
    assert check("Derivative(r**2, r) = 3*r") == (False, "at points")
    assert check("2*(-1) = -3")[0] is False


def test_float_noise_is_not_exact():
    assert check("(-1.4)**2 = 1.9599999999999997")[0] is False


def test_a_rounded_claim_needs_approx():
    assert check("tanh(0.5) = 0.4621171572600097", approx=True) == (True, "to its digits")
    assert check("tanh(0.5) = 0.4621171572600097")[0] is False


def test_an_approx_claim_must_be_right_to_its_last_digit():
    assert check("tanh(0.5) = 0.4621171572600099", approx=True)[0] is False


def test_seed_claims_read_like_the_lesson(seed):
    claims = [s["claim"] for s in _payload(explain(seed))["steps"]]
    assert "Derivative(r**2, r) = 2*r" in claims
    assert "2*1*(1*1 - 2) = -2" in claims
    assert "1 - 0.01*(-2) = 1.02" in claims
