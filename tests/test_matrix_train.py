"""Training matrix models agrees with PyTorch autograd in float64, on whole layers.

tests/reference/torch_matrix_table.json was written once by
tests/reference/torch_matrix_table.py with PyTorch (not a test dependency):
for 13 models (linear regression with a weight vector, 2- and 3-layer MLPs with
tanh/relu/sigmoid, a vector output under mse, softmax regression and a tanh
classifier under ce, bce on a sigmoid output, one matrix used twice) the loss,
gradient and one-step update on the first sample and on the whole batch, and
4 epochs of sgd, batch and minibatch training.
"""

import json
import pathlib

import numpy as np
import pytest

from symback.core.tensor import build_tensor_graph
from symback.model.arrays import from_columns
from symback.model.tensor_spec import tensor_problem
from symback.train.history import Settings
from symback.train.tensor_code import CompiledTensor
from symback.model.tensor_data import with_columns
from symback.train.tensor_run import train_tensor

TABLE = json.loads((pathlib.Path(__file__).parent / "reference" / "torch_matrix_table.json").read_text("utf-8"))
CASES = {case["name"]: case for case in TABLE["cases"]}
TOLERANCE = 1e-9
BACKENDS = ("numpy", "blas")


def problem_of(case):
    data = case["data"]
    p = tensor_problem(case["model"], loss=case["loss"], params=case["params"],
                       samples=[{"x": data["x"][0], "y": data["y"][0]}], lr=case["lr"])
    return with_columns(p, from_columns({"x": np.asarray(data["x"]), "y": np.asarray(data["y"])}))


def close(ours, theirs) -> bool:
    return np.allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=0, atol=TOLERANCE)


def test_the_table_is_broad():
    losses = {case["loss"] for case in CASES.values()}
    assert len(CASES) == 13 and losses == {"mse", "ce", "bce"}


@pytest.mark.parametrize("kind", ["portable", "blas"])
@pytest.mark.parametrize("rows", ["sample", "batch"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_gradient_and_one_step_match_pytorch(name, rows, kind):
    case = CASES[name]
    p = problem_of(case)
    compiled = CompiledTensor(build_tensor_graph(p), kind)
    columns = tuple(np.asarray(case["data"][k], dtype=float) for k in ("x", "y"))
    if rows == "sample":
        columns = tuple(c[:1] for c in columns)
    params = tuple(np.asarray(v, dtype=float) for v in case["params"].values())
    after, loss, grads = compiled.step(params, columns, case["lr"])
    ref = case[rows]
    assert close(loss, ref["loss"])
    for name_, g, a in zip(case["params"], grads, after):
        assert np.shape(g) == np.shape(ref["gradient"][name_]) and close(g, ref["gradient"][name_])
        assert close(a, ref["params_after"][name_])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", ["sgd", "batch", "minibatch"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_training_trajectory_matches_pytorch(name, mode, backend):
    case = CASES[name]
    size = TABLE["batch_size"] if mode == "minibatch" else None
    history = train_tensor(problem_of(case), Settings(epochs=TABLE["epochs"], mode=mode, batch_size=size,
                                                      seed=TABLE["seed"], backend=backend))
    ref = case["trajectories"][mode]
    assert [e.epoch for e in history.epochs] == [r["epoch"] for r in ref]
    for ours, theirs in zip(history.epochs, ref):
        assert close(ours.loss, theirs["loss"])
        assert all(close(v, theirs["params"][k]) for k, v in ours.params)
        assert mode != "sgd" or close(ours.last_sample_loss, theirs["last_sample_loss"])


def test_history_keeps_parameters_as_nested_lists():
    history = train_tensor(problem_of(CASES["2-layer MLP, tanh"]), Settings(epochs=2, mode="batch"))
    params = dict(history.final_params)
    assert isinstance(params["W1"], list) and np.shape(params["W1"]) == (4, 2) and isinstance(params["b2"], float)


def test_compiled_step_works_on_whole_layers():
    source = CompiledTensor(build_tensor_graph(problem_of(CASES["3-layer MLP, tanh then tanh"]))).sources["step"]
    # 3 products forward; backward 2 per layer (∂L/∂W, and ∂L/∂h below), none for the data x
    assert "for " not in source and source.count("contract(") == 8


def test_portable_code_calls_no_blas(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("BLAS reached")

    for name in ("matmul", "dot", "einsum", "tensordot", "inner", "vdot"):
        monkeypatch.setattr(np, name, refuse)
    case = CASES["2-layer tanh classifier, ce"]
    history = train_tensor(problem_of(case), Settings(epochs=1, mode="batch"))
    assert close(history.final_loss, case["trajectories"]["batch"][0]["loss"])


def test_bce_of_a_confident_sigmoid_stays_finite():
    # z = 50: σ(z) rounds to 1, so log(1 − σ(z)) would be log 0; the compiled code takes log σ(−z)
    p = tensor_problem("y_hat = sigmoid(w @ x)", loss="bce", params={"w": [10.0, 20.0]},
                       samples=[{"x": [1.0, 2.0], "y": 0.0}])
    compiled = CompiledTensor(build_tensor_graph(p))
    _, loss, (grad,) = compiled.step((np.array([10.0, 20.0]),), (np.array([[1.0, 2.0]]), np.array([0.0])), 0.1)
    assert np.isclose(loss, 50.0) and np.allclose(grad, [1.0, 2.0])


def test_every_epoch_of_a_long_run_is_logged_with_nested_parameters():
    history = train_tensor(problem_of(CASES["softmax regression, ce"]), Settings(epochs=30, mode="batch"),
                           log_all=True)
    logged = list(history.all_epochs())
    assert [e.epoch for e in logged] == list(range(30)) and logged[-1] == history.epochs[-1]


def test_a_large_model_keeps_fewer_epochs_in_memory():
    from symback.train.log import Trail
    from symback.train.tensor_run import kept_epochs

    keep = kept_epochs([(64, 64), (64, 16)])  # 5120 entries: 3906 epochs, not 10,000
    trail = Trail(keep)
    for k in range(keep + 1):
        trail.append(type("E", (), {"epoch": k})())
    assert keep == 3906 and len(trail.entries()) <= 500 + 20
