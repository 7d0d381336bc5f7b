"""The tensor graph, its forward values and its backward pass, on a table of matrix models."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from symback.core.tensor import build_tensor_graph, tensor_pass
from symback.core.tensor.verify import check_entrywise, check_finite_differences
from symback.errors import ParseError, SpecError, SymbackError
from symback.model import ops
from symback.model.tensor_parse import parse_literal, parse_tensor
from symback.model.tensor_spec import tensor_problem

from tensor_models import MODELS


def _pass(name):
    spec = MODELS[name]
    problem = tensor_problem(spec["model"], spec["loss"], params=spec["params"], sample=spec["sample"])
    graph = build_tensor_graph(problem)
    return problem, graph, tensor_pass(graph, problem.param_values, problem.sample(0))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_gradient_agrees_with_finite_differences(name):
    problem, graph, result = _pass(name)
    check = check_finite_differences(graph, problem.param_values, problem.sample(0), result.gradient)
    assert check.agrees, check


@pytest.mark.parametrize("name", sorted(MODELS))
def test_gradient_agrees_with_sympy_diff_entry_by_entry(name):
    problem, graph, result = _pass(name)
    check = check_entrywise(graph, problem.param_values, problem.sample(0), result.gradient)
    assert check.agrees and check.error < 1e-12, check


def test_gradient_has_the_shape_of_each_parameter():
    problem, _, result = _pass("mlp_tanh")
    assert {n: g.shape for n, g in result.gradient.items()} == {n: v.shape for n, v in problem.params}


def test_graph_prints_shapes():
    _, graph, _ = _pass("mlp_tanh")
    assert repr(graph.nodes[0]) == "u1 = W1 @ x  ∈ ℝ³"
    assert repr(graph[graph.loss]) == "L = mean(u4)  ∈ ℝ"


def test_mse_on_a_vector_is_the_mean_over_components():
    _, _, result = _pass("mlp3_relu_sigmoid")
    r = result.values["y_hat"] - np.array([0.5, -0.5])
    assert result.loss == pytest.approx(float(np.mean(r**2)), rel=1e-15)


def test_cross_entropy_is_logsumexp_minus_the_logit_of_the_class():
    _, _, result = _pass("softmax_ce")
    z = result.values["y_hat"]
    assert result.loss == pytest.approx(float(np.log(np.sum(np.exp(z))) - z[2]), rel=1e-14)


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    _, _, result = _pass("softmax_ce")
    z = result.values["y_hat"]
    s = np.exp(z) / np.sum(np.exp(z))
    assert np.allclose(result.adjoints.value["y_hat"], s - np.array([0, 0, 1]), atol=1e-15)


def test_cross_entropy_is_stable_for_large_logits():
    problem = tensor_problem("y_hat = W @ x", "ce", params={"W": [[1000.0], [0.0]]}, sample={"x": [1.0], "y": 1})
    result = tensor_pass(build_tensor_graph(problem), problem.param_values, problem.sample(0))
    assert result.loss == pytest.approx(1000.0) and np.isfinite(result.gradient["W"]).all()


def test_a_shared_weight_gets_one_contribution_per_use():
    _, _, result = _pass("shared_weights")
    assert len(result.adjoints.terms["W"]) == 2


def test_a_scalar_parameter_beside_a_vector_is_broadcast_by_its_own_node():
    _, graph, _ = _pass("scalar_broadcast")
    assert [n.op for n in graph.nodes if n.children == ("c",)] == ["broadcast"]


def test_shape_mismatch_names_both_shapes_and_the_expression():
    problem = tensor_problem("y_hat = W @ x", params={"W": [[1.0, 2.0]]}, sample={"x": [1.0, 2.0, 3.0], "y": [0.0]})
    with pytest.raises(SpecError, match=r"'W @ x': 1×2 @ vector of 3"):
        build_tensor_graph(problem)


def test_a_loss_that_is_not_a_number_is_refused():
    problem = tensor_problem("y_hat = W @ x", "(y_hat - y)**2", params={"W": [[1.0, 2.0], [0.0, 1.0]]},
                             sample={"x": [1.0, 2.0], "y": [0.0, 0.0]})
    with pytest.raises(SpecError, match="the loss is a vector of 2, not a number"):
        build_tensor_graph(problem)


def test_nested_lists_in_strings_are_read_without_evaluation():
    problem = tensor_problem("y_hat = W @ x", params=["W=[[0.1, -0.2], [0.4, 0.3]]"], sample="x=[1.0, 2.0],y=[0, 1]")
    assert problem.param_values["W"].tolist() == [[0.1, -0.2], [0.4, 0.3]]
    assert problem.sample(0)["x"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("text", ["W=[[1, 2], [3]]", "W=[__import__('os')]", "W=[[[1]]]", "W=[1, [2]]", "W=[1, 2"])
def test_bad_literals_are_one_line_errors(text):
    with pytest.raises(SpecError):
        tensor_problem("y_hat = W @ x", params=[text], sample="x=[1.0, 2.0],y=0")


def test_matrix_model_text_goes_through_the_whitelist():
    with pytest.raises(ParseError, match="not allowed"):
        tensor_problem("y_hat = W[0] @ x", params={"W": [1.0]}, sample={"x": [1.0], "y": 0})


def test_many_parameter_entries_are_checked_along_random_directions():
    rng = np.random.default_rng(1)
    problem = tensor_problem("y_hat = sum(tanh(W @ x))", params={"W": (rng.standard_normal((16, 16)) * 0.3).tolist()},
                             sample={"x": rng.standard_normal(16).tolist(), "y": 0.5})
    graph = build_tensor_graph(problem)
    result = tensor_pass(graph, problem.param_values, problem.sample(0))
    check = check_finite_differences(graph, problem.param_values, problem.sample(0), result.gradient)
    assert check.agrees and check.reference == {}
    wrong = {"W": result.gradient["W"] * 1.01}
    assert not check_finite_differences(graph, problem.param_values, problem.sample(0), wrong).agrees


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="Wxy_ab12.[](),@*+-/ ^tanhsumeo", max_size=40))
def test_matrix_text_is_parsed_or_refused_in_one_line(text):
    for read in (lambda t: parse_tensor(t, what="model"), lambda t: parse_literal(t, "parameter W")):
        try:
            read(text)
        except SymbackError as err:
            assert "\n" not in err.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 2)), min_size=6, max_size=6))
def test_random_weights_agree_with_finite_differences(weights):
    problem = tensor_problem("h = tanh(W @ x); y_hat = sum(h * v)", params={"W": [weights[:2], weights[2:4]],
                                                                             "v": weights[4:]},
                             sample={"x": [0.5, -1.0], "y": 0.3})
    graph = build_tensor_graph(problem)
    result = tensor_pass(graph, problem.param_values, problem.sample(0))
    assert check_finite_differences(graph, problem.param_values, problem.sample(0), result.gradient).agrees


@pytest.mark.parametrize("name", sorted({n for op in ops.FUNCTION_OPS for n in op.names} | {"sqrt"}))
def test_every_function_of_the_op_table_is_elementwise(name):
    problem = tensor_problem(f"y_hat = sum({name}(W @ x))", params={"W": [[0.3, 0.2], [0.1, 0.25]]},
                             sample={"x": [1.0, 2.0], "y": 0.1})
    graph = build_tensor_graph(problem)
    result = tensor_pass(graph, problem.param_values, problem.sample(0))
    assert check_finite_differences(graph, problem.param_values, problem.sample(0), result.gradient).agrees
    assert check_entrywise(graph, problem.param_values, problem.sample(0), result.gradient).agrees
