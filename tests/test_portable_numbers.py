"""The same digits on every machine: no BLAS and no processor-picked maths kernel behind a shown number."""

from __future__ import annotations

import math

import pytest

from symback import problem
from symback.train.compile import compile_problem
from symback.train.backends import _TRANSCENDENTAL, array_backend

np = pytest.importorskip("numpy")

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 709.0, 710.0, -745.0, -746.0, 1e308, -1e308,
           math.inf, -math.inf, math.nan, math.pi / 2, 1e22]


def _reference(name: str, v: float) -> float:
    """IEEE's answer where Python's math raises instead."""
    try:
        return getattr(math, name)(v)
    except OverflowError:
        return math.inf
    except ValueError:
        boundary = {"log": 0.0, "log1p": -1.0}.get(name)
        return -math.inf if v == boundary else math.nan


@pytest.mark.parametrize("name", _TRANSCENDENTAL)
def test_array_function_is_the_c_library_bit_for_bit(name):
    values = np.random.default_rng(7).uniform(-30, 30, 4000).tolist() + SPECIAL
    f = array_backend("float64").modules[0][name]
    got = f(np.array(values))
    expected = [_reference(name, v) for v in values]
    assert [g.hex() for g in got.tolist()] == [e.hex() for e in expected]


def test_array_function_of_a_scalar_stays_a_scalar():
    f = array_backend("float64").modules[0]["exp"]
    assert f(np.float64(1.0)) == math.exp(1.0) and np.ndim(f(np.float64(1.0))) == 0


def test_array_power_is_the_c_library():
    fpow = array_backend("float64").modules[0]["fpow"]
    a = np.array([2.0, 0.5, 10.0, 0.0, -8.0, 1e300])
    got = fpow(a, 1.7).tolist()
    assert got[:3] == [math.pow(v, 1.7) for v in (2.0, 0.5, 10.0)]
    assert got[3] == 0.0 and math.isnan(got[4]) and got[5] == math.inf


def test_zero_to_a_negative_power_is_infinite_not_an_exception():
    fpow = array_backend("float64").modules[0]["fpow"]
    assert fpow(np.array([0.0]), -0.5).tolist() == [math.inf]


@pytest.mark.parametrize("model", ["w*x + b", "tanh(w*x) + b", "sigmoid(w*x + b)", "exp(w*x)*b"])
def test_batch_training_never_calls_blas(model, monkeypatch):
    # numpy.dot's kernel, and so its rounding, depends on the processor
    def refuse(*args, **kwargs):
        raise AssertionError("BLAS call in code whose result is shown")

    for name in ("dot", "vdot", "inner", "matmul", "einsum", "tensordot"):
        monkeypatch.setattr(np, name, refuse)
    compiled = compile_problem(problem(model, params={"w": 0.3, "b": 0.1}), arrays=True)
    rng = np.random.default_rng(1)
    columns = (rng.uniform(-1, 1, 1000), rng.uniform(-1, 1, 1000))
    _, loss, grads = compiled.batch((0.3, 0.1), columns, 0.0, 1000.0)
    assert math.isfinite(loss) and all(math.isfinite(g) for g in grads)


def test_batch_mean_loss_is_the_pairwise_sum():
    compiled = compile_problem(problem("w*x", params={"w": 0.7}), arrays=True)
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-1, 1, 100_003), rng.uniform(-1, 1, 100_003)
    _, loss, _ = compiled.batch((0.7,), (x, y), 0.0, float(len(x)))
    r = x * 0.7 - y
    blocks = [np.add.reduce(r[i:i + 2**15] ** 2) for i in range(0, len(r), 2**15)]
    assert loss == np.add.reduce(np.array(blocks)) / len(x)
