"""softplus, added as one entry of the operation table: explain, train, check and print it."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy

from symback import problem
from symback.core.derive import explain
from symback.core.graph import build_graph
from symback.model.ops import OPS, sigmoid, softplus
from symback.render import render
from symback.train.compile import compile_problem

MODEL = "softplus(w*x + b)"
#: below, far below, at and above PyTorch's threshold 20, and where e^z overflows
POINTS = (-800.0, -30.0, -1.5, 0.0, 0.7, 19.5, 20.0, 20.5, 800.0)


def _lesson(data=(["x", "y"], [[1.5, 1.0], [-2.0, 0.2], [40.0, 30.0]])):
    return problem(model=MODEL, params={"w": 0.6, "b": -0.4}, data=data)


@pytest.mark.parametrize("z", POINTS)
def test_softplus_is_pytorchs_beta_1_threshold_20(z):
    value = OPS["softplus"].evaluate(z)
    if z > 20:
        assert value == z  # PyTorch returns the input itself above the threshold
    else:
        exact = mpmath.log1p(mpmath.exp(mpmath.mpf(z)))
        assert abs(value - float(exact)) <= math.ulp(float(exact))


def test_its_local_derivative_is_the_sigmoid_by_its_named_rule():
    graph = build_graph(_lesson())
    node = next(n for n in graph.nodes if n.op is OPS["softplus"])
    d = explain(_lesson(), 0)
    local = next(l for l in d.locals if l.node == node)
    assert local.rule.key == "softplus"
    assert local.expr == sigmoid(node.children[0])
    assert sympy.diff(softplus(sympy.Symbol("z")), sympy.Symbol("z")) == sigmoid(sympy.Symbol("z"))


def test_the_derived_gradient_agrees_with_sympys_diff_of_its_definition():
    d = explain(_lesson(), 1)
    assert all(g.check and g.check.ok for g in d.gradients)


@pytest.mark.parametrize("backend", [dict(), dict(arrays=True), dict(dtype="float32", arrays=True)])
def test_every_backend_computes_explains_loss(backend):
    p = _lesson()
    numpy = pytest.importorskip("numpy")
    columns = tuple(numpy.array(c, dtype=float) for c in zip(*p.data.rows))
    params = tuple(p.param_values.values())
    compiled = compile_problem(p, **backend)
    mean = sum(explain(p, i).loss for i in range(len(p.data))) / len(p.data)
    if backend.get("arrays"):
        loss = compiled.batch_loss(params, columns, float(len(p.data)))
    else:
        loss = sum(compiled.loss(*params, *row) for row in p.data.rows) / len(p.data)
    assert math.isclose(loss, mean, rel_tol=1e-6 if backend.get("dtype") else 1e-15)


def test_the_numba_kernel_computes_the_same_losses_as_numpy():
    pytest.importorskip("numba")
    numpy = pytest.importorskip("numpy")
    p = _lesson()
    columns = tuple(numpy.array(c, dtype=float) for c in zip(*p.data.rows))
    params, n = tuple(p.param_values.values()), float(len(p.data))
    ours, theirs = compile_problem(p, backend="numba"), compile_problem(p, arrays=True)
    assert ours.batch_loss(params, columns, n) == theirs.batch_loss(params, columns, n)


def test_it_prints_by_name_in_every_format():
    d = explain(_lesson(), 0)
    assert "softplus(" in render(d, "text")
    assert r"\operatorname{softplus}" in render(d, "latex")
    assert "softplus rule" in render(d, "text") and "softplus 法则" in render(d, "text", lang="zh")


def test_check_names_the_wrong_rule_softplus_prime_equals_sigma_of_minus_u():
    from symback.check.grade import check_answer

    p = problem(model=MODEL, params={"w": 0.6, "b": -0.4}, data=(["x", "y"], [[1.5, 1.0], [-2.0, 0.2]]))
    verdict = check_answer(p, "2*(y_hat - y)*sigmoid(-(w*x + b))*x", "w")
    assert not verdict.correct and verdict.diagnosis.kind == "wrong_rule"


def _matrix_softplus():
    from symback.core.tensor import build_tensor_graph, tensor_pass
    from symback.model.tensor_spec import tensor_problem

    p = tensor_problem("h = softplus(W @ x + b); y_hat = v @ h", "mse",
                       params={"W": [[0.5, -0.3], [30.0, 0.1]], "b": [0.1, -0.2], "v": [0.4, -0.7]},
                       sample={"x": [1.0, 2.0], "y": 0.3})
    graph = build_tensor_graph(p)
    return p, graph, tensor_pass(graph, p.param_values, p.sample(0))


def test_an_elementwise_softplus_of_a_vector_agrees_with_sympy_diff_entry_by_entry():
    from symback.core.tensor.verify import check_entrywise

    p, graph, result = _matrix_softplus()
    check = check_entrywise(graph, p.param_values, p.sample(0), result.gradient)
    assert check.agrees and check.error < 1e-12, check


@pytest.mark.parametrize("kind", ["portable", "blas"])
def test_the_compiled_matrix_step_computes_the_same_gradient(kind):
    numpy = pytest.importorskip("numpy")
    from symback.train.tensor_code import CompiledTensor

    p, graph, result = _matrix_softplus()
    compiled = CompiledTensor(graph, kind)
    columns = (numpy.array([[1.0, 2.0]]), numpy.array([0.3]))
    params = tuple(numpy.asarray(v, dtype=float) for v in p.param_values.values())
    _, loss, grads = compiled.step(params, columns, 0.0)
    for name, g in zip(p.param_values, grads):
        assert numpy.allclose(g, result.gradient[name], rtol=1e-12, atol=1e-15), name
