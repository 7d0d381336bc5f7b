"""The compiled loss and gradient: same numbers as the derivation, straight-line code, no user names."""

from __future__ import annotations

import math

import pytest
from conftest import MODEL_IDS, MODELS, make_problem

from symback import problem
from symback.train.compile import LogSigmoid, compile_problem, fuse_log_sigmoid
from symback.core.derive import explain
from symback.core.graph import build_graph


def _row(p, i=0):
    return tuple(p.data.rows[i])


def _params(p):
    return tuple(p.param_values.values())


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_compiled_gradient_equals_the_derivation(row):
    p = make_problem(row)
    compiled = compile_problem(p)
    for i in range(len(p.data)):
        _, loss, grads = compiled.step_gradient(_params(p), _row(p, i), 0.0)
        d = explain(p, i)
        assert math.isclose(loss, d.loss, rel_tol=1e-12, abs_tol=1e-15)
        for name, g in zip(p.param_names, grads):
            assert math.isclose(g, d.gradient[name], rel_tol=1e-12, abs_tol=1e-15)


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_batch_gradient_is_the_mean_of_sample_gradients(row):
    p = make_problem(row)
    compiled = compile_problem(p, arrays=True)
    columns = tuple(__import__("numpy").array(c, dtype=float) for c in zip(*p.data.rows))
    _, loss, grads = compiled.batch(_params(p), columns, 0.0, float(len(p.data)))
    samples = [explain(p, i) for i in range(len(p.data))]
    assert math.isclose(loss, sum(d.loss for d in samples) / len(samples), rel_tol=1e-12, abs_tol=1e-15)
    for name, g in zip(p.param_names, grads):
        expected = sum(d.gradient[name] for d in samples) / len(samples)
        assert math.isclose(g, expected, rel_tol=1e-11, abs_tol=1e-14)


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_training_differentiates_as_the_derivation_without_naming_rules(row):
    from symback.train.compile import Program
    from symback.core import derive

    graph = build_graph(make_problem(row))
    ours = Program(graph).locals
    assert [(l.node.name, l.child, l.expr) for l in ours] == [
        (l.node.name, l.child, l.expr) for l in derive.local_derivatives(graph)]
    assert all(l.rule is None for l in ours)


def test_step_applies_the_update_rule():
    compiled = compile_problem(problem())
    params, loss, grads = compiled.step_gradient((1.0,), (1.0, 2.0), 0.01)
    assert (params, loss, grads) == ((1.02,), 1.0, (-2.0,))


def test_step_without_gradient_gives_the_same_update():
    compiled = compile_problem(problem(model="w*x + b", params={"w": 0.3, "b": -1}))
    assert compiled.step((0.3, -1.0), (2.0, 5.0), 0.1) == compiled.step_gradient((0.3, -1.0), (2.0, 5.0), 0.1)[:2]


def test_predict_is_the_model():
    compiled = compile_problem(problem(model="w*x + b", params={"w": 2, "b": 1}))
    assert compiled.predict((2.0, 1.0), (4.0,)) == 9.0


def test_the_residual_is_one_variable_used_twice():
    source = compile_problem(problem()).source("step_gradient")
    assert "v1 = v0 - t" in source
    assert "(v1*v1)" in source and "2*v1" in source
    assert "**" not in source


def test_code_is_linear_in_the_graph():
    layers = "; ".join(f"h{i} = tanh(w{i}*h{i - 1} + b{i})" for i in range(1, 30))
    model = f"h0 = tanh(w0*x + b0); {layers}; y_hat = v*h29"
    params = {n: 0.1 for i in range(30) for n in (f"w{i}", f"b{i}")} | {"v": 0.5}
    p = problem(model, params=params)
    source = compile_problem(p).source("step_gradient")
    nodes = len(build_graph(p).nodes)
    assert source.count("\n") < 4 * nodes
    assert len(source) < 100 * nodes
    assert max(len(line) for line in source.splitlines() if "return" not in line and "] =" not in line) < 200


def test_user_names_never_reach_the_code():
    p = problem("math*lr + t*n - exp(float32)", params={"math": 0.5, "t": 1.0}, data=(("lr", "n", "float32", "y"),
                [(1, 2, 0.5, 1)]))
    compiled = compile_problem(p)
    source = compiled.source("step_gradient")
    assert "math" not in source and "float32" not in source
    _, loss, grads = compiled.step_gradient(_params(p), _row(p), 0.0)
    assert math.isclose(grads[p.param_names.index("math")], explain(p).gradient["math"], rel_tol=1e-12)


def test_float32_code_widens_no_constant():
    source = compile_problem(problem("2*w*x + 0.5", params={"w": 1}), dtype="float32").source("step_gradient")
    assert "float32(2.0)" in source and "float32(0.5)" in source


def test_float32_step_rounds_every_operation():
    np = pytest.importorskip("numpy")
    compiled = compile_problem(problem(), dtype="float32")
    f = np.float32
    params, loss, grads = compiled.step_gradient((f(1.02),), (f(2.0), f(4.0)), f(0.01))
    assert isinstance(params[0], np.float32) and isinstance(grads[0], np.float32)
    assert float(grads[0]) == -7.840000152587891


def test_batch_code_is_the_residual_then_sums_of_products():
    pytest.importorskip("numpy")
    source = compile_problem(problem("w*x + b", params={"w": 1, "b": 0}), arrays=True).source("batch")
    assert "v1 = p1 + c0*p0 - t" in source
    assert "2*sumprod(v1, c0, n)" in source and "mean_square(v1, n)" in source


def test_batch_code_frees_each_array_after_its_last_use():
    pytest.importorskip("numpy")
    p = problem("h = tanh(w1*x + b1); y_hat = v*h + c", params={"w1": 1, "b1": 0, "v": 1, "c": 0})
    source = compile_problem(p, arrays=True).source("batch")
    assert "del a4" in source and "del v1" in source


def test_log_of_sigmoid_is_fused():
    p = problem("sigmoid(w*x + b)", "bce", {"w": 1, "b": 0}, data=(("x", "y"), [(1, 1)]))
    graph = fuse_log_sigmoid(build_graph(p))
    assert sum(isinstance(n.expr, LogSigmoid) for n in graph.nodes) == 2


def test_bce_stays_finite_for_confident_predictions():
    p = problem("sigmoid(w*x)", "bce", {"w": 1}, data=(("x", "y"), [(60, 1), (-60, 0)]))
    compiled = compile_problem(p)
    for row in p.data.rows:
        _, loss, grads = compiled.step_gradient((1.0,), tuple(row), 0.1)
        assert math.isfinite(loss) and loss < 1e-20
        assert math.isfinite(grads[0])


def test_bce_of_a_confident_wrong_prediction_is_its_margin():
    p = problem("sigmoid(w*x)", "bce", {"w": 1}, data=(("x", "y"), [(60, 0)]))
    _, loss, grads = compile_problem(p).step_gradient((1.0,), (60.0, 0.0), 0.1)
    assert loss == pytest.approx(60.0) and grads[0] == pytest.approx(60.0)


def test_relu_gradient_at_zero_is_zero_as_pytorch():
    p = problem("relu(w*x)", params={"w": 0.0}, data=(("x", "y"), [(1, 1)]))
    assert compile_problem(p).step_gradient((0.0,), (1.0, 1.0), 0.1)[2] == (0.0,)


def test_power_of_a_negative_base_fails_instead_of_going_complex():
    p = problem("w**1.5*x", params={"w": 1.0})
    with pytest.raises(ValueError):
        compile_problem(p).step((-1.0,), (1.0, 2.0), 0.1)


@pytest.mark.parametrize("y", [0, 1])
def test_saturated_sigmoid_with_bce_gives_the_same_finite_loss_in_explain_and_train(y):
    """σ(±60) rounds to 1 or 0; both explain and train use log σ(z) = min(z, 0) − log(1 + e^−|z|)."""
    p = problem("sigmoid(w*x)", "bce", {"w": 60 if y == 0 else -60}, (("x", "y"), [(1, y)]))
    _, loss, grads = compile_problem(p).step_gradient(_params(p), _row(p), 0.0)
    d = explain(p, 0)
    assert d.loss == loss == 60.0
    assert math.isclose(d.gradient["w"], grads[0], rel_tol=1e-12)
