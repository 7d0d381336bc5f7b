"""Training modes, settings and the models of the explain issue, through the library."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

from symback import problem
from symback.core.derive import explain
from symback.errors import SpecError
from symback.train.run import History, Settings, settings, train

LINE = (("x", "y"), [(-1, -1), (0, 1), (1, 3), (2, 5)])  # y = 2x + 1


def _params(history: History) -> dict:
    return dict(history.final_params)


def test_default_settings_are_the_lesson():
    assert Settings() == Settings(epochs=100, mode="sgd", batch_size=None, seed=0, dtype="float64")


def test_sgd_updates_once_per_sample_in_data_order():
    p = problem()
    w = 1.0
    for i in range(3):
        w -= 0.01 * explain(p.with_params({"w": w}), i).gradient["w"]
    history = train(p, Settings(epochs=1))
    assert _params(history)["w"] == w


def test_history_loss_is_the_mean_loss_after_the_epoch():
    p = problem()
    history = train(p, Settings(epochs=2))
    after = p.with_params(dict(history.epochs[1].params))
    mean = sum(explain(after, i).loss for i in range(3)) / 3
    assert math.isclose(history.epochs[1].loss, mean, rel_tol=1e-14)


def test_batch_mode_steps_along_the_mean_gradient():
    p = problem()
    mean = sum(explain(p, i).gradient["w"] for i in range(3)) / 3
    history = train(p, Settings(epochs=1, mode="batch"))
    assert math.isclose(_params(history)["w"], 1.0 - 0.01 * mean, rel_tol=1e-15)
    assert history.epochs[0].last_sample_loss is None


def test_batch_mode_records_the_loss_after_each_update():
    p = problem()
    history = train(p, Settings(epochs=3, mode="batch"))
    after = p.with_params(dict(history.epochs[2].params))
    assert math.isclose(history.epochs[2].loss, sum(explain(after, i).loss for i in range(3)) / 3, rel_tol=1e-14)


def test_batch_mode_without_numpy_gives_the_same_numbers(monkeypatch):
    p = problem(model="w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.1)
    with_numpy = train(p, Settings(epochs=20, mode="batch"))
    monkeypatch.setattr("symback.train.loops._has_numpy", lambda: False)
    without = train(p, Settings(epochs=20, mode="batch"))
    for a, b in zip(with_numpy.epochs, without.epochs):
        assert math.isclose(a.loss, b.loss, rel_tol=1e-12)


def test_minibatch_is_reproducible_with_a_seed():
    p = problem(model="w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.05)
    chosen = settings(p, epochs=10, mode="minibatch", batch_size=2, seed=7)
    assert train(p, chosen).epochs == train(p, chosen).epochs


def test_minibatch_order_depends_on_the_seed():
    p = problem(model="w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.05)
    a = train(p, settings(p, epochs=3, mode="minibatch", batch_size=1, seed=1))
    b = train(p, settings(p, epochs=3, mode="minibatch", batch_size=1, seed=2))
    assert a.final_params != b.final_params


def test_minibatch_of_all_samples_is_batch_mode():
    p = problem(model="w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.05)
    mini = train(p, settings(p, epochs=5, mode="minibatch", batch_size=4))
    full = train(p, settings(p, epochs=5, mode="batch"))
    assert all(math.isclose(a, b, rel_tol=1e-12) for (_, a), (_, b) in zip(mini.final_params, full.final_params))


def test_minibatch_default_batch_is_at_most_the_data():
    p = problem()
    assert settings(p, mode="minibatch").batch_size == 3


@pytest.mark.parametrize("model, loss, params, data, lr, epochs, tolerance", [
    ("w*x + b", "mse", {"w": 0, "b": 0}, LINE, 0.1, 300, 1e-8),
    ("w1*x**2 + w2*x + b", "mse", {"w1": 0, "w2": 0, "b": 0},
     (("x", "y"), [(-1, 2), (0, 1), (1, 2), (2, 5)]), 0.05, 3000, 1e-6),
    ("w1*x1 + w2*x2 + b", "mse", {"w1": 0, "w2": 0, "b": 0},
     (("x1", "x2", "y"), [(1, 0, 3), (0, 1, -1), (1, 1, 2), (2, 1, 5)]), 0.05, 2000, 1e-6),
    ("sigmoid(w*x + b)", "bce", {"w": 0, "b": 0}, (("x", "y"), [(-2, 0), (-1, 0), (1, 1), (2, 1)]), 0.5, 500, 0.05),
    ("h = tanh(w1*x + b1); y_hat = v*h + c", "mse", {"w1": 0.5, "b1": 0.1, "v": 0.5, "c": 0},
     (("x", "y"), [(-1, -0.7), (0, 0.1), (1, 0.8)]), 0.1, 2000, 1e-3),
    ("h = relu(w1*x + b1); y_hat = v*h + c", "mse", {"w1": 0.5, "b1": 0.5, "v": 0.5, "c": 0},
     (("x", "y"), [(0, 1), (1, 3), (2, 5)]), 0.02, 2000, 1e-3),
])
def test_models_of_the_explain_issue_learn(model, loss, params, data, lr, epochs, tolerance):
    p = problem(model, loss, params, data=data, lr=lr)
    history = train(p, Settings(epochs=epochs))
    assert history.diverged is None
    assert history.final_loss < tolerance < history.initial_loss


def test_a_csv_with_several_inputs_trains(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("hours,sleep,y\n1,8,5\n2,6,6\n3,7,8\n4,5,9\n", encoding="utf-8")
    p = problem("w1*hours + w2*sleep + b", params={"w1": 0, "w2": 0, "b": 0}, data=str(path), lr=0.01)
    history = train(p, Settings(epochs=50, mode="batch"))
    assert history.final_loss < history.initial_loss / 10


def test_callbacks_see_the_start_every_update_and_every_epoch():
    seen = {"start": [], "update": [], "epoch": []}
    train(problem(), Settings(epochs=4), on_start=seen["start"].append, on_update=seen["update"].append,
          on_epoch=seen["epoch"].append)
    assert seen["start"][0].epochs == () and len(seen["update"]) == 12 and len(seen["epoch"]) == 4


def test_prediction_needs_exactly_the_inputs():
    history = train(problem(), Settings(epochs=1))
    with pytest.raises(SpecError, match="missing x"):
        history.predict({"z": 1})


@pytest.mark.parametrize("option, value", [
    ("epochs", 0), ("epochs", -3), ("epochs", 2.5), ("epochs", True), ("mode", "adam"), ("dtype", "float16"),
    ("seed", 1.5),
])
def test_bad_settings_are_refused(option, value):
    with pytest.raises(SpecError):
        settings(problem(), **{option: value})


@pytest.mark.parametrize("size", [0, 4, 2.5])
def test_batch_size_outside_the_data_is_refused(size):
    with pytest.raises(SpecError, match="batch size"):
        settings(problem(), mode="minibatch", batch_size=size)


def test_batch_size_without_minibatch_is_refused():
    with pytest.raises(SpecError, match="minibatch"):
        settings(problem(), mode="sgd", batch_size=2)


def _without_numpy(code: str) -> subprocess.CompletedProcess:
    prelude = "import sys; sys.modules['numpy'] = None\nfrom symback.cli import main\n"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env, timeout=60)


def test_sgd_needs_no_numpy():
    result = _without_numpy("main(['train'])")
    assert result.returncode == 0, result.stderr
    assert "predict (after training) x=4: 7.9999999999996945" in result.stdout


def test_float32_without_numpy_says_how_to_install_it():
    result = _without_numpy("main(['train', '--dtype', 'float32'])")
    assert result.returncode == 2
    assert "pip install 'symback[fast]'" in result.stderr and "Traceback" not in result.stderr
    assert "pip install -e '.[fast]'" in result.stderr  # the form that works in a checkout, too
