"""Deep models: the compiled gradient grows linearly with depth and is right (no timing here).

The chain z_0 = x, z_i = tanh(w_i·z_(i-1) + b_i), L = (z_n − y)² is the
benchmark of benchmarks/bench_scale.py; differentiating its composed
expression swells like n³, the reverse pass on the graph does not.
"""

from __future__ import annotations

import math
import random

import pytest
import sympy
from conftest import MODEL_IDS, MODELS, make_problem

from symback import problem
from symback.train.compile import compile_problem, fuse_log_sigmoid
from symback.core.graph import build_graph, local_derivative
from symback.train.run import Settings, train


def tanh_chain(n: int, rows=((0.5, -0.3),), w: float = 0.9, b: float = 0.1):
    """z_i = tanh(w_i*z_(i-1) + b_i), y_hat = z_n, as layer-by-layer definitions."""
    defs = [f"z{i} = tanh(w{i}*{'x' if i == 1 else f'z{i - 1}'} + b{i})" for i in range(1, n + 1)]
    params = {**{f"w{i}": w for i in range(1, n + 1)}, **{f"b{i}": b for i in range(1, n + 1)}}
    return problem("; ".join(defs + [f"y_hat = z{n}"]), params=params, data=(["x", "y"], list(rows)))


def residual_net(n: int):
    """n definitions h_i = h_(i-1) + tanh(w_i*h_(i-1) + b_i)/10: the gradient stays of order 1 at any depth."""
    defs = ["h1 = x + tanh(w1*x + b1)/10"] + [f"h{i} = h{i - 1} + tanh(w{i}*h{i - 1} + b{i})/10"
                                               for i in range(2, n)]
    rng = random.Random(1)
    params = {**{f"w{i}": rng.uniform(-1, 1) for i in range(1, n)}, **{f"b{i}": rng.uniform(-0.5, 0.5)
                                                                       for i in range(1, n)}}
    return problem("; ".join(defs + [f"y_hat = h{n - 1}"]), params=params, data=(["x", "y"], [(0.4, 1.5)]))


def gradient_operations(n: int) -> int:
    return compile_problem(tanh_chain(n)).program.gradient().operations()


def test_compiled_gradient_grows_linearly_with_depth():
    ops = [gradient_operations(n) for n in (8, 16, 32)]
    per_layer = (ops[1] - ops[0]) / 8
    assert ops[2] - ops[1] == 2 * (ops[1] - ops[0])  # exactly linear: each layer adds the same code
    assert per_layer <= 10


def test_compiled_gradient_lines_are_one_per_node_and_edge():
    p = tanh_chain(12)
    graph = build_graph(p)
    code = compile_problem(p).program.gradient()
    edges = sum(len(node.children) for node in graph.nodes)
    assert len(code.lines) <= len(graph.nodes) + edges


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_local_derivative_is_exactly_sympy_diff(row):
    graph = build_graph(make_problem(row))
    for g in (graph, fuse_log_sigmoid(graph)):
        for node in g.nodes:
            for child in node.children:
                assert local_derivative(node.expr, child) == sympy.diff(node.expr, child)


def _loss(compiled, params, row) -> float:
    return compiled.loss(*params, *row)


def _central(compiled, params, row, k, h=1e-6) -> float:
    up = list(params)
    down = list(params)
    up[k] += h
    down[k] -= h
    return (_loss(compiled, up, row) - _loss(compiled, down, row)) / (2 * h)


def test_deep_compiled_gradient_equals_finite_differences():
    p = tanh_chain(64, w=1.1)
    compiled = compile_problem(p)
    params, row = tuple(p.param_values.values()), p.data.rows[0]
    _, loss, grads = compiled.step_gradient(params, row, 0.0)
    assert math.isclose(loss, _loss(compiled, params, row), rel_tol=1e-15)
    scale = max(map(abs, grads))  # central differences of a loss near 1 are good to about 1e-10
    for k in (0, 1, 31, 63, 64, 100, 127):
        assert math.isclose(grads[k], _central(compiled, params, row, k), rel_tol=1e-6, abs_tol=1e-7 * scale)


def test_deep_compiled_gradient_equals_the_explained_reverse_pass():
    from symback.core.derive import explain

    p = tanh_chain(64, w=1.1)
    _, _, grads = compile_problem(p).step_gradient(tuple(p.param_values.values()), p.data.rows[0], 0.0)
    d = explain(p)
    assert all(g.check.ok for g in d.gradients)  # explain checks its own numbers by finite differences
    for name, g in zip(p.param_names, grads):
        assert math.isclose(g, d.gradient[name], rel_tol=1e-12, abs_tol=1e-300)


def test_deep_batch_training_follows_the_finite_difference_gradient():
    numpy = pytest.importorskip("numpy")
    rng = random.Random(3)
    rows = [(x, math.sin(2 * x)) for x in (rng.uniform(-1, 1) for _ in range(50))]
    p = tanh_chain(24, rows, w=1.2)
    updates = []
    history = train(p, Settings(epochs=3, mode="batch"), on_update=updates.append)
    assert history.final_loss < history.initial_loss
    compiled = history.compiled
    columns = tuple(numpy.array(c) for c in zip(*rows))

    def mean_loss(params):
        return compiled.batch_loss(tuple(params), columns, float(len(rows)))

    start = list(p.param_values.values())
    for k in (0, 11, 23, 24, 47):
        up, down = list(start), list(start)
        up[k] += 1e-6
        down[k] -= 1e-6
        expected = (mean_loss(up) - mean_loss(down)) / 2e-6
        assert math.isclose(updates[0].gradient[k], expected, rel_tol=1e-6, abs_tol=1e-11)


def test_thousand_definitions_compile_and_their_gradient_is_right():
    p = residual_net(1000)
    assert len(p.definitions) == 1000
    compiled = compile_problem(p)
    params, row = tuple(p.param_values.values()), p.data.rows[0]
    _, loss, grads = compiled.step_gradient(params, row, 0.0)
    # one directional difference checks all 1998 partial derivatives at once
    rng = random.Random(2)
    direction = [rng.uniform(-1, 1) for _ in params]
    h = 1e-6
    up = [v + h * d for v, d in zip(params, direction)]
    down = [v - h * d for v, d in zip(params, direction)]
    expected = (_loss(compiled, up, row) - _loss(compiled, down, row)) / (2 * h)
    assert math.isclose(sum(g * d for g, d in zip(grads, direction)), expected, rel_tol=1e-6)
    for k in (0, 998, 999, 1997):  # and a few one by one, first and last layer
        assert math.isclose(grads[k], _central(compiled, params, row, k), rel_tol=1e-5, abs_tol=1e-10)


def test_shared_weight_used_a_thousand_times_accumulates_every_use():
    defs = ["h1 = tanh(w*x + b)"] + [f"h{i} = tanh(w*h{i - 1} + b)" for i in range(2, 1000)]
    p = problem("; ".join(defs + ["y_hat = h999"]), params={"w": 0.7, "b": 0.2}, data=(["x", "y"], [(0.3, 0.1)]))
    compiled = compile_problem(p)
    params, row = (0.7, 0.2), p.data.rows[0]
    _, _, grads = compiled.step_gradient(params, row, 0.0)
    for k in (0, 1):
        assert math.isclose(grads[k], _central(compiled, params, row, k), rel_tol=1e-6, abs_tol=1e-12)
