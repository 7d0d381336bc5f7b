"""The compiled batch step of a matrix model equals the mean of the explanation's per-sample backward passes.

The explanation (core/tensor/values.py) runs each operation's VJP on one sample;
the compiled step (train/tensor_code.py) runs batched forms of the same
operations on all samples at once. For every kind of operation (products of
each shape, an input matrix, transpose, sum, mean, softmax, log_softmax, a
scalar broadcast, powers, quotients, ce, bce) they must agree, on both backends.
"""

import numpy as np
import pytest

from symback.core.tensor import build_tensor_graph, tensor_pass
from symback.model.tensor_spec import tensor_problem
from symback.train.tensor_code import CompiledTensor

RNG = np.random.default_rng(3)


def r(*shape):
    return np.round(RNG.uniform(-1, 1, shape), 2).tolist()


MODELS = [
    ("y_hat = sum(softmax(W @ x) * v)", "mse", {"W": r(3, 2), "v": r(3)}, {"x": (2,)}),
    ("y_hat = mean(log_softmax(W @ x)) + c", "mse", {"W": r(3, 2), "c": 0.3}, {"x": (2,)}),
    ("h = transpose(A) @ x; y_hat = h @ h", "mse", {"A": r(2, 3)}, {"x": (2,)}),
    ("y_hat = x @ W + b", "mse", {"W": r(2, 3), "b": r(3)}, {"x": (2,), "y": (3,)}),
    ("M = W @ transpose(W); y_hat = x @ (M @ x)", "mse", {"W": r(2, 2)}, {"x": (2,)}),
    ("y_hat = exp(w @ x) / (1 + (w @ w)**2) - c", "mse", {"w": r(2), "c": 0.5}, {"x": (2,)}),
    ("y_hat = s * tanh(W @ x) + b", "mse", {"W": r(3, 2), "s": 0.7, "b": r(3)}, {"x": (2,), "y": (3,)}),
    ("y_hat = x * w", "mse", {"w": r(3)}, {"x": (), "y": (3,)}),
    ("y_hat = W @ relu(V @ x)", "ce", {"W": r(3, 4), "V": r(4, 2)}, {"x": (2,), "y": 3}),
    ("y_hat = sigmoid(w @ x)", "bce", {"w": r(2)}, {"x": (2,), "y": 2}),
    ("y_hat = sum(X @ w) + mean(transpose(X) @ v)", "mse", {"w": r(3), "v": r(2)}, {"X": (2, 3)}),
    ("y_hat = W @ X @ u", "mse", {"W": r(2, 2), "u": r(3)}, {"X": (2, 3), "y": (2,)}),
]


def samples(shapes, n=5):
    def value(shape):
        return float(RNG.integers(shape)) if isinstance(shape, int) else r(*shape)
    shapes = {"y": (), **shapes}
    return [{name: value(shape) for name, shape in shapes.items()} for _ in range(n)]


@pytest.mark.parametrize("kind", ["portable", "blas"])
@pytest.mark.parametrize("model, loss, params, shapes", MODELS, ids=[m[0] for m in MODELS])
def test_batch_step_is_the_mean_of_the_per_sample_passes(model, loss, params, shapes, kind):
    p = tensor_problem(model, loss=loss, params=params, samples=samples(shapes), lr=0.1)
    graph = build_tensor_graph(p)
    passes = [tensor_pass(graph, p.param_values, s) for s in p.samples]
    columns = tuple(np.stack([np.asarray(s[n], dtype=float) for s in p.samples]) for n in p.inputs + ("y",))
    _, loss_value, grads = CompiledTensor(graph, kind).step(tuple(np.asarray(v) for _, v in p.params), columns, 0.1)
    assert np.isclose(loss_value, np.mean([t.loss for t in passes]), rtol=0, atol=1e-12)
    for name, g in zip(p.param_names, grads):
        assert np.allclose(g, np.mean([t.gradient[name] for t in passes], axis=0), rtol=0, atol=1e-12)
