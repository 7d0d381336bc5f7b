"""The numba backend: the same numbers as the NumPy and Python code, PyTorch's float32 run to the last bit.

numba is in the test extra, so it is imported, not skipped: a missing install fails here.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys

import numba  # noqa: F401 - the test extra installs it; its absence is a failure, not a skip
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import MODEL_IDS, MODELS, make_problem

from symback import problem
from symback.cli import cli
from symback.train.compile import compile_problem
from symback.train.run import Settings, train

REFERENCE = os.path.join(os.path.dirname(__file__), "reference")


def _columns(p, dtype=np.float64):
    return tuple(np.array(c, dtype=dtype) for c in p.data.columns)


def _close(a, b, rel=1e-12):
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-14)


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_fused_batch_kernel_equals_the_numpy_batch_code(row):
    p = make_problem(row)
    params, columns, n = tuple(p.param_values.values()), _columns(p), float(len(p.data))
    ours = compile_problem(p, backend="numba")
    theirs = compile_problem(p, arrays=True)
    new, loss, grads = ours.batch(params, columns, 0.1, n)
    new_np, loss_np, grads_np = theirs.batch(params, columns, 0.1, n)
    assert _close(loss, loss_np) and _close(ours.batch_loss(params, columns, n), theirs.batch_loss(params, columns, n))
    assert all(_close(a, b) for a, b in zip(grads + new, grads_np + new_np))


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_sgd_epoch_kernel_equals_the_python_per_sample_steps(row):
    p = make_problem(row)
    compiled = compile_problem(p, backend="numba")
    params = tuple(p.param_values.values())
    new, last = compiled.kernels.sgd_epoch(params, _columns(p), 0.01)
    for sample in p.data.rows:
        params, loss = compiled.step(params, sample, 0.01)
    assert _close(last, loss) and all(_close(a, b) for a, b in zip(new, params))


def _reference(dtype):
    text = open(os.path.join(REFERENCE, f"seed_torch_{dtype}_output.txt"), encoding="utf-8").read()
    progress = [(int(e), float(v)) for e, v in re.findall(r"progress: (\d+) (\S+)", text)]
    return progress, float(re.search(r"predict\(after training\) 4 (\S+)", text).group(1))


def test_float32_sgd_kernel_reproduces_pytorch_to_the_last_bit():
    progress, after = _reference("float32")
    history = train(problem(), Settings(dtype="float32", backend="numba"))
    assert [(e.epoch, e.last_sample_loss) for e in history.epochs] == progress
    assert history.predict({"x": 4}) == after


def test_float64_sgd_kernel_matches_pytorch():
    progress, after = _reference("float64")
    history = train(problem(), Settings(backend="numba"))
    assert all(_close(e.last_sample_loss, v) for e, (_, v) in zip(history.epochs, progress))
    assert _close(history.predict({"x": 4}), after)


@pytest.mark.parametrize("mode", ["sgd", "batch", "minibatch"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_every_mode_trains_as_the_default_backend(mode, dtype):
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, 300)
    data = {"x": x, "y": np.tanh(2 * x) + 0.05 * rng.standard_normal(300)}
    p = problem("v*tanh(w*x + b) + c", params={"v": 0.5, "w": 0.3, "b": 0.1, "c": 0.0}, data=data, lr=0.05)
    settings = dict(epochs=20, mode=mode, dtype=dtype, batch_size=16 if mode == "minibatch" else None, seed=3)
    ours, theirs = train(p, Settings(**settings, backend="numba")), train(p, Settings(**settings))
    rel = 1e-4 if dtype == "float32" else 1e-10  # float32 sums: NumPy's pairwise, ours in float64
    assert ours.diverged is None and len(ours.epochs) == 20
    assert all(_close(a, b, rel) for (_, a), (_, b) in zip(ours.final_params, theirs.final_params))
    assert _close(ours.final_loss, theirs.final_loss, rel)


def test_divergence_is_reported_as_with_numpy():
    p = problem("w*x + b", params={"w": 0, "b": 0}, data={"x": np.linspace(0, 10, 100), "y": np.ones(100)}, lr=5.0)
    ours, theirs = train(p, Settings(mode="batch", epochs=50, backend="numba")), train(p, Settings(mode="batch",
                                                                                                     epochs=50))
    assert ours.diverged is not None and ours.diverged.epoch == theirs.diverged.epoch


def test_generated_kernels_hold_no_user_names():
    p = problem("weight*hours + bias", params={"weight": 0.1, "bias": 0.0},
                data=(("hours", "y"), [(1, 2), (2, 3)]))
    kernels = compile_problem(p, backend="numba").kernels
    kernels.batch((0.1, 0.0), _columns(p), 0.1)
    kernels.sgd_epoch((0.1, 0.0), _columns(p), 0.1)
    for source in kernels.sources.values():
        assert not {"weight", "hours", "bias"} & set(re.findall(r"[A-Za-z_]\w*", source))


def test_cli_backend_numba_gives_the_same_json():
    runs = [json.loads(CliRunner().invoke(cli, ["train", "--format", "json", *extra]).output)
            for extra in ([], ["--backend", "numba"])]
    assert runs[1]["settings"]["backend"] == "numba" and runs[0]["settings"]["backend"] == "numpy"
    assert runs[0]["final_params"] == runs[1]["final_params"]
    assert [h["last_sample_loss"] for h in runs[0]["history"]] == [h["last_sample_loss"] for h in runs[1]["history"]]


def test_without_numba_the_option_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba now raises ImportError
    result = CliRunner().invoke(cli, ["train", "--backend", "numba"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["symback: error: --backend numba needs numba: "
                                                  "pip install 'symback[numba]' (in a checkout of symback: "
                                                  "pip install -e '.[numba]')"]


def test_deep_model_with_many_parameters_trains_as_the_default_backend():
    from test_scale_depth import tanh_chain

    rng = np.random.default_rng(6)
    rows = [(x, np.sin(2 * x)) for x in rng.uniform(-1, 1, 64).tolist()]
    p = tanh_chain(12, rows, w=1.2)  # 24 parameters: kept in an array by the kernels, not in registers
    for mode in ("sgd", "batch", "minibatch"):
        settings = dict(epochs=3, mode=mode, batch_size=10 if mode == "minibatch" else None)
        ours, theirs = train(p, Settings(**settings, backend="numba")), train(p, Settings(**settings))
        assert all(_close(a, b, 1e-10) for (_, a), (_, b) in zip(ours.final_params, theirs.final_params))
