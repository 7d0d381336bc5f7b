"""symback check on matrix models: right answers, each diagnosis, text and JSON, errors (exit 2)."""

import json

from click.testing import CliRunner

from symback.check.matrix_answer import normalise
from symback.check.matrix_grade import check_matrix_answer
from symback.cli import cli
from symback.model.tensor_spec import tensor_problem

MLP = ["--model", "h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2",
       "--param", "W1=[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]", "--param", "b1=[0, 0.1, 0]",
       "--param", "W2=[[0.3, -0.1, 0.2]]", "--param", "b2=[0.0]", "--sample", "x=[1.0, 2.0],y=[0.5]"]
SOFTMAX = ["--model", "y_hat = W @ x + b", "--loss", "ce", "--param", "W=[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]",
           "--param", "b=[0, 0.1, -0.1]", "--sample", "x=[1.0, 2.0],y=2"]
SQUARE = ["--model", "y_hat = sum(tanh(W @ x))", "--param", "W=[[0.5, -0.2], [0.1, 0.3]]",
          "--sample", "x=[1.0, -2.0],y=0.5"]


def run(*args):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def verdict(args, wrt, answer):
    result = run(*args, "--wrt", wrt, "--answer", answer, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def kind(args, wrt, answer):
    code, out = verdict(args, wrt, answer)
    assert code == 1, out
    return out["diagnosis"]["kind"]


def test_outer_product_with_matmul_is_right():
    result = run(*MLP, "--wrt", "W1", "--answer", "delta @ transpose(x)")
    assert result.exit_code == 0, result.stdout
    assert "✓ Right." in result.stdout


def test_column_times_row_is_the_outer_product():
    assert verdict(MLP, "W1", "delta*transpose(x)")[0] == 0


def test_backward_pass_written_out_is_right():
    assert verdict(MLP, "W1", "(transpose(W2) @ delta_y_hat * (1 - h**2)) @ transpose(x)")[0] == 0


def test_adjoint_spellings_are_one_name():
    assert normalise("dL/dh + ∂L/∂h + dL_dh + δ_h") == "delta_h + delta_h + delta_h + delta_h"


def test_transposed_answer_is_diagnosed_with_the_shape_of_w():
    result = run(*MLP, "--wrt", "W1", "--answer", "transpose(delta)*x")
    assert result.exit_code == 1
    assert "You have the transpose: ∂L/∂W₁ has the shape of W₁, 3×2; your answer is 2×3." in result.stdout


def test_x_times_delta_transposed_is_the_transpose():
    assert kind(MLP, "W1", "x @ transpose(delta)") == "transposed"


def test_transpose_of_a_square_gradient_is_diagnosed_although_the_shape_fits():
    assert kind(SQUARE, "W", "x @ transpose(delta)") == "transposed"


def test_missing_elementwise_derivative_is_diagnosed():
    result = run(*MLP, "--wrt", "W1", "--answer", "(transpose(W2) @ delta_y_hat) @ transpose(x)")
    assert result.exit_code == 1
    assert "a missing elementwise derivative" in result.stdout
    assert "δ_u₂ = δ_h ⊙ (1 − h²)" in result.stdout


def test_missing_elementwise_derivative_of_a_node_gradient():
    assert kind(MLP, "u2", "transpose(W2) @ dL_dy_hat") == "missing_derivative"


def test_tanh_derivative_in_the_pre_activation_is_diagnosed():
    assert kind(MLP, "u2", "transpose(W2) @ dL/dy_hat * (1 - u2**2)") == "derivative_in_input"


def test_activation_in_place_of_its_derivative_is_diagnosed():
    assert kind(MLP, "u2", "transpose(W2) @ delta_y_hat * h") == "activation_for_derivative"


def test_logits_in_place_of_softmax_are_diagnosed():
    assert kind(SOFTMAX, "W", "(y_hat - onehot(y)) @ transpose(x)") == "logits_for_softmax"


def test_softmax_minus_onehot_is_right():
    assert verdict(SOFTMAX, "W", "(softmax(y_hat) - onehot(y)) @ transpose(x)")[0] == 0


def test_sign_error_is_diagnosed():
    assert kind(MLP, "W1", "-delta @ transpose(x)") == "sign"


def test_constant_factor_is_diagnosed_with_its_value():
    _, out = verdict(MLP, "W1", "2 * delta @ transpose(x)")
    assert out["diagnosis"]["kind"] == "constant" and out["diagnosis"]["fields"]["k"] == "2"


def test_upstream_alone_names_the_rule_still_to_apply():
    _, out = verdict(MLP, "W1", "delta")
    assert out["diagnosis"]["kind"] == "upstream"
    assert "∂L/∂W₁ = δ_u₁ xᵀ" in out["diagnosis"]["message"]


def test_inner_product_where_an_outer_one_belongs_has_a_wrong_shape():
    _, out = verdict(SOFTMAX, "b", "transpose(delta) @ delta")
    assert out["diagnosis"]["kind"] == "wrong_shape" and out["shape"]["answer"] == []


def test_shapes_that_do_not_fit_in_the_answer_are_a_wrong_answer():
    code, out = verdict(MLP, "W1", "transpose(delta) @ x")
    assert code == 1 and out["diagnosis"]["kind"] == "shape_mismatch" and out["values"]["answer"] is None


def test_wrong_answer_with_the_right_shape_is_compared_at_random_points():
    problem = tensor_problem("y_hat = w @ x", params={"w": [1.0, 1.0]}, sample={"x": [1.0, 1.0], "y": 0.0})
    # 2 r x and 2 r at x = (1, 1): equal at the sample only
    found = check_matrix_answer(problem, "2 * (transpose(w) @ x - y) * (0 * x + 1)", "w")
    assert not found.correct and found.elsewhere is not None


def test_unexplained_wrong_answer_shows_the_backward_pass():
    result = run(*MLP, "--wrt", "W1", "--answer", "delta @ transpose(x) + 1")
    assert "none of the common mistakes" in result.stdout
    assert "δ_h = W₂ᵀ δ_u₃" in result.stdout


def test_json_gives_values_in_the_shape_of_the_parameter():
    _, out = verdict(MLP, "W1", "delta @ transpose(x)")
    assert out["shape"] == {"expected": [3, 2], "answer": [3, 2]}
    assert len(out["values"]["expected"]) == 3 and len(out["values"]["expected"][0]) == 2


def test_chinese_wording():
    result = run(*MLP, "--wrt", "W1", "--answer", "transpose(delta)*x", "--lang", "zh")
    assert "你得到的是转置" in result.stdout


def test_unknown_name_is_a_one_line_error():
    result = run(*MLP, "--wrt", "W1", "--answer", "delta @ transpose(z)")
    assert result.exit_code == 2 and "z, which the problem does not define" in result.stderr


def test_code_in_the_answer_is_refused():
    result = run(*MLP, "--wrt", "W1", "--answer", "__import__('os').system('true')")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_unknown_wrt_is_a_one_line_error():
    result = run(*MLP, "--wrt", "V", "--answer", "delta")
    assert result.exit_code == 2 and "not a parameter or node" in result.stderr


def test_delta_of_a_variable_used_twice_is_ambiguous():
    args = ["--model", "h = tanh(W @ x); y_hat = sum(W @ h)", "--param", "W=[[0.5, -0.2], [0.1, 0.3]]",
            "--sample", "x=[1.0, -1.0],y=0.5"]
    result = run(*args, "--wrt", "W", "--answer", "delta")
    assert result.exit_code == 2 and "name the gradients you mean" in result.stderr


def test_step_is_refused_for_a_matrix_model():
    assert run(*MLP, "--step", "dL/dh = 1").exit_code == 2


def test_markdown_shows_the_values_as_matrices():
    result = run(*MLP, "--wrt", "W1", "--answer", "x @ transpose(delta)", "--format", "markdown")
    assert result.exit_code == 1, result.stdout
    assert "- **expected**:  $\\begin{bmatrix}" in result.stdout


def test_html_is_one_page_with_the_diagnosis():
    result = run(*MLP, "--wrt", "W1", "--answer", "x @ transpose(delta)", "--format", "html")
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "the transpose of the gradient" in result.stdout
