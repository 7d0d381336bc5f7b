"""symback check from Python: right answers in many forms, wrong answers with their diagnoses."""

from functools import lru_cache

import pytest

from symback.check.grade import check_answer
from symback.model.spec import problem

LESSONS = {
    "seed": ("w*x", "mse", None, None),
    "linear": ("w*x + b", "mse", {"w": 1, "b": 0}, None),
    "quadratic": ("w1*x**2 + w2*x + b", "mse", {"w1": 1, "w2": 1, "b": 0}, None),
    "logistic": ("sigmoid(w*x + b)", "bce", {"w": 0.5, "b": 0}, (("x", "y"), [(1, 1), (2, 0)])),
    "tanh": ("v*tanh(w*x + b) + c", "mse", {"v": 1, "w": 0.5, "b": 0, "c": 0}, None),
    "layers": ("h = tanh(w*x + b); y_hat = v*h + c", "mse", {"v": 1, "w": 0.5, "b": 0, "c": 0}, None),
}


@lru_cache(maxsize=None)
def lesson(name):
    model, loss, params, data = LESSONS[name]
    return problem(model, loss, params, data)


def check(name, wrt, answer):
    return check_answer(lesson(name), answer, wrt)


TANH_R = "(v*tanh(w*x + b) + c - y)"

#: (lesson, parameter, wrong answer, the diagnosis it must get: kind, and which explanation)
WRONG = [
    ("seed", "w", "2*(w*x - y)", "missing_inner_derivative", "stop_inner"),
    ("seed", "w", "-2*x*(w*x - y)", "sign", "sign"),
    ("seed", "w", "2*x*(y - w*x)", "sign", "sign"),
    ("seed", "w", "x*(w*x - y)", "constant_factor", "constant_edge"),
    ("seed", "w", "2*x*(w*x - y)**2", "wrong_exponent", "exponent_edge"),
    ("seed", "w", "2*w*(w*x - y)", "wrong_variable", "variable_edge"),
    ("seed", "w", "2*w*x**2", "dropped_term", "term_node"),
    ("seed", "w", "4*x*(w*x - y)", "constant_factor", "constant"),
    ("seed", "w", "x", "missing_outer_derivative", "stop_outer"),
    ("seed", "w", "2*x**2*(w*x - y)", "extra_factor", "extra_factor"),
    ("seed", "w", "(w*x - y)**2", "not_differentiated", "not_differentiated"),
    ("seed", "w", "x*(w*x - y)**2", "wrong_rule", "kept_edge"),
    ("seed", "w", "2*x*(w*x + y)", "sign", "sign_term"),
    ("linear", "w", "2*x*(w*x - y)", "dropped_term", "term_node"),
    ("linear", "w", "2*(w*x + b - y)", "missing_inner_derivative", "stop_inner"),
    ("linear", "b", "2*x*(w*x + b - y)", "wrong_variable", "variable_edge"),
    ("linear", "b", "-2*(w*x + b - y)", "sign", "sign"),
    ("linear", "b", "2*(w*x + b - y)**2", "wrong_exponent", "exponent_edge"),
    ("linear", "b", "2*(w*x - y)", "dropped_term", "term_node"),
    ("linear", "w", "2*x*(w*x + b + y)", "sign", "sign_term"),
    ("linear", "b", "w*x + b - y", "constant_factor", "constant_edge"),
    ("quadratic", "w1", "2*x*(w1*x**2 + w2*x + b - y)", "wrong_exponent", "exponent_edge"),
    ("quadratic", "w1", "2*x**3*(w1*x**2 + w2*x + b - y)", "wrong_exponent", "exponent_edge"),
    ("quadratic", "w2", "2*x**2*(w1*x**2 + w2*x + b - y)", "wrong_variable", "variable_edge"),
    ("quadratic", "b", "2*(w1*x**2 + w2*x - y)", "dropped_term", "term_node"),
    ("quadratic", "w1", "2*x**2*(w1*x**2 + w2*x + b - y)**2", "wrong_exponent", "exponent_edge"),
    ("quadratic", "w2", "x*(w1*x**2 + w2*x + b - y)", "constant_factor", "constant_edge"),
    ("quadratic", "w1", "2*x**2*(w1*x**2 + b - y)", "dropped_term", "term_node"),
    ("logistic", "w", "sigmoid(w*x + b) - y", "missing_inner_derivative", "stop_inner"),
    ("logistic", "w", "x*(y - sigmoid(w*x + b))", "sign", "sign"),
    ("logistic", "w", "-x*y*(1 - sigmoid(w*x + b))", "dropped_term", "contribution"),
    ("logistic", "w", "(1 - y)*x*sigmoid(w*x + b)", "dropped_term", "contribution"),
    ("logistic", "b", "x*(sigmoid(w*x + b) - y)", "wrong_variable", "variable_edge"),
    ("logistic", "w", "-x*(y*(1 - sigmoid(w*x + b)) + (1 - y)*sigmoid(w*x + b))", "sign", "sign_edge"),
    ("logistic", "w", "x*(-y + (1 - y)*sigmoid(w*x + b)/(1 - sigmoid(w*x + b)))", "wrong_rule", "kept_edge"),
    ("logistic", "w", "x*(sigmoid(w*x + b) - y)*sigmoid(w*x + b)", "extra_factor", "extra_factor"),
    ("tanh", "w", f"2*{TANH_R}*v*x", "missing_inner_derivative", "missing_edge"),
    ("tanh", "w", f"2*{TANH_R}*(1 - tanh(w*x + b)**2)*x", "missing_inner_derivative", "missing_edge"),
    ("tanh", "w", f"2*{TANH_R}*v*(1 - tanh(w*x + b)**2)", "missing_inner_derivative", "stop_inner"),
    ("tanh", "v", f"2*{TANH_R}", "missing_inner_derivative", "stop_inner"),
    ("tanh", "w", "v*(1 - tanh(w*x + b)**2)*x", "missing_outer_derivative", "stop_outer"),
    ("tanh", "w", f"2*{TANH_R}*v*tanh(w*x + b)**2*x", "wrong_rule", "rule_edge"),
    ("tanh", "w", f"2*{TANH_R}*v*(1 + tanh(w*x + b)**2)*x", "wrong_rule", "rule_edge"),
    ("tanh", "w", f"2*{TANH_R}*v*tanh(w*x + b)*x", "wrong_rule", "kept_edge"),
    ("tanh", "w", f"2*{TANH_R}*v*(1 - tanh(w*x + b))*x", "wrong_exponent", "exponent_edge"),
    ("tanh", "c", "2*(v*tanh(w*x + b) - y)", "dropped_term", "term_node"),
    ("tanh", "b", f"2*{TANH_R}*v*(1 - tanh(w*x + b)**2)*x", "wrong_variable", "variable_edge"),
    ("tanh", "w", f"-2*{TANH_R}*v*(1 - tanh(w*x + b)**2)*x", "sign", "sign"),
    ("tanh", "v", f"2*{TANH_R}*tanh(w*x + b)*x", "extra_factor", "extra_factor"),
]

#: (lesson, parameter, a right answer): expanded, factored, with y_hat, with the graph's names
RIGHT = [
    ("seed", "w", "2*x*(w*x - y)"),
    ("seed", "w", "2*w*x**2 - 2*x*y"),
    ("seed", "w", "2*x*(y_hat - y)"),
    ("seed", "w", "x*2*(yhat - y)"),
    ("seed", "w", "2*r*x"),
    ("seed", "w", "(x*w - y)*2*x"),
    ("seed", "w", "-2*x*(y - w*x)"),
    ("seed", "w", "4*x*(w*x - y)/2"),
    ("seed", "w", "2*x*(w*x - y)^1"),
    ("linear", "b", "2*(y_hat - y)"),
    ("linear", "b", "2*r"),
    ("linear", "b", "2*w*x + 2*b - 2*y"),
    ("linear", "w", "2*x*r"),
    ("quadratic", "w1", "2*x**2*(w1*x**2 + w2*x + b - y)"),
    ("quadratic", "w1", "2*x**2*r"),
    ("quadratic", "w2", "2*w1*x**3 + 2*w2*x**2 + 2*b*x - 2*x*y"),
    ("logistic", "w", "x*(sigmoid(w*x + b) - y)"),
    ("logistic", "w", "x*(y_hat - y)"),
    ("logistic", "w", "-x*(y*(1 - y_hat) - (1 - y)*y_hat)"),
    ("logistic", "w", "x*(1/(1 + exp(-(w*x + b))) - y)"),
    ("logistic", "b", "-(y/y_hat - (1 - y)/(1 - y_hat))*y_hat*(1 - y_hat)"),
    ("tanh", "w", "2*r*v*(1 - tanh(w*x + b)**2)*x"),
    ("tanh", "w", "2*(y_hat - y)*v*(1 - tanh(w*x + b)**2)*x"),
    ("tanh", "v", "2*r*tanh(w*x + b)"),
    ("tanh", "c", "2*r"),
    ("layers", "w", "2*(y_hat - y)*v*(1 - h**2)*x"),
    ("layers", "b", "2*r*v*(1 - h**2)"),
]


@pytest.mark.parametrize("name, wrt, answer, kind, why", WRONG, ids=[f"{w[0]}:{w[2]}" for w in WRONG])
def test_wrong_answer_gets_its_diagnosis(name, wrt, answer, kind, why):
    verdict = check(name, wrt, answer)
    assert not verdict.correct
    assert (verdict.diagnosis.kind, verdict.diagnosis.why) == (kind, why)


@pytest.mark.parametrize("name, wrt, answer", RIGHT, ids=[f"{r[0]}:{r[2]}" for r in RIGHT])
def test_right_answer_is_accepted(name, wrt, answer):
    verdict = check(name, wrt, answer)
    assert verdict.correct
    assert verdict.diagnosis is None


def test_the_wrong_table_is_big_enough():
    assert len(WRONG) >= 30
    assert {name for name, *_ in WRONG} >= {"seed", "linear", "quadratic", "logistic", "tanh"}


def test_right_answers_are_decided_symbolically():
    assert check("seed", "w", "2*r*x").method == "symbolic"


def test_unexplained_answer_has_no_diagnosis():
    verdict = check("seed", "w", "sin(x)")
    assert not verdict.correct and verdict.diagnosis is None


def test_missing_inner_derivative_names_the_missing_factor():
    fields = check("seed", "w", "2*(w*x - y)").diagnosis.fields
    assert str(fields["factor"]) == "x"


def test_edge_diagnosis_points_to_its_step():
    diagnosis = check("tanh", "w", f"2*{TANH_R}*v*x").diagnosis
    assert (diagnosis.edge.node.name.name, diagnosis.edge.child.name) == ("u2", "u1")


def test_coincidence_at_the_sample_is_shown_elsewhere():
    verdict = check("seed", "w", "2*(w*x - y)")
    assert verdict.at_sample == (-2.0, -2.0)
    point, mine, truth = verdict.elsewhere
    assert mine != truth and mine * point["x"] == truth


def test_values_at_the_sample_are_side_by_side():
    assert check("seed", "w", "-2*x*(w*x - y)").at_sample == (2.0, -2.0)


def test_other_explanations_are_kept():
    kinds = {m.kind for m in check("linear", "w", "2*(w*x + b - y)").also}
    assert "wrong_variable" in kinds


def test_a_number_is_not_a_derivation_even_when_it_is_the_value():
    verdict = check("seed", "w", "-2")
    assert not verdict.correct and verdict.method == "value"
    assert (verdict.diagnosis.kind, verdict.diagnosis.why) == ("number", "number_right")


def test_number_may_be_rounded_as_written():
    assert check("logistic", "w", "-0.3775").diagnosis.why == "number_right"


def test_rounding_is_not_a_licence():
    assert check("logistic", "w", "-0.4").diagnosis.why == "number_wrong"


def test_number_with_wrong_sign_is_also_a_sign_error():
    verdict = check("seed", "w", "2")
    assert verdict.diagnosis.why == "number_wrong"
    assert [m.kind for m in verdict.also] == ["sign"]


def test_the_updated_parameter_is_not_the_gradient():
    assert check("seed", "w", "1.02").diagnosis.kind == "updated_parameter"


def test_the_sample_put_in_before_differentiating_is_its_own_mistake():
    verdict = check("seed", "w", "2*(w - 2)")
    assert not verdict.correct and verdict.diagnosis.kind == "substituted"


def test_another_sample_is_used_for_values():
    verdict = check_answer(lesson("seed"), "2*x*(w*x - y)", sample={"x": 2, "y": 4})
    assert verdict.at_sample == (-8.0, -8.0)


def deep_lesson(layers=70):
    """A tanh chain too deep to expand into one formula (more nodes than derive's closed-form limit)."""
    defs = ["h1 = tanh(w1*x)"] + [f"h{i} = tanh(w{i}*h{i - 1})" for i in range(2, layers)]
    defs.append(f"y_hat = w{layers}*h{layers - 1}")
    return problem("; ".join(defs), params={f"w{i}": 0.5 for i in range(1, layers + 1)})


def test_deep_model_is_graded_by_numbers():
    verdict = check_answer(deep_lesson(), "2*r*h69", "w70")
    assert verdict.correct and verdict.method == "numeric"


def test_deep_model_still_gets_whole_answer_diagnoses():
    assert check_answer(deep_lesson(), "-2*r*h69", "w70").diagnosis.kind == "sign"


def test_abs_loss_residual_is_y_hat_minus_y():
    """abs builds r = ŷ − y like every other loss, so x·r/|r| is right, not a sign error."""
    verdict = check_answer(problem("w*x", "abs"), "x*r/abs(r)")
    assert verdict.correct
    assert str(verdict.derivation.graph["r"].expr) == "-y + y_hat"


def test_bce_with_sigma_prime_again_is_a_local_derivative_counted_twice():
    sig = "sigmoid(w*x + b)"
    verdict = check("logistic", "w", f"x*({sig} - y)*{sig}*(1 - {sig})")
    assert (verdict.diagnosis.kind, verdict.diagnosis.why) == ("extra_factor", "twice_edge")


def test_abs_differentiated_as_if_its_derivative_were_u_is_a_wrong_rule():
    verdict = check_answer(problem("w*x", "abs"), "x*(w*x - y)")
    assert (verdict.diagnosis.kind, verdict.diagnosis.why) == ("wrong_rule", "rule_edge")


def test_sin_prime_taken_as_minus_sin_is_a_wrong_local_derivative():
    verdict = check_answer(problem("sin(w*x)"), "-2*(sin(w*x) - y)*sin(w*x)*x")
    assert (verdict.diagnosis.kind, verdict.diagnosis.why) == ("wrong_rule", "rule_edge")


def test_a_saturated_sigmoid_with_bce_has_values_at_the_sample():
    p = problem("sigmoid(w*x)", "bce", {"w": 60}, (("x", "y"), [(1, 0)]))
    verdict = check_answer(p, "x*(sigmoid(w*x) - y)")
    assert verdict.correct and verdict.at_sample == (1.0, 1.0)
