"""symback train reproduces the original PyTorch program's printout.

tests/reference/ holds byte-for-byte copies of shared/reference/seed_torch_*_output.txt:
what the original program printed under PyTorch in float32 and in float64.
"""

from __future__ import annotations

import json
import math
import os
import re

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.train.run import Settings, train

REFERENCE = os.path.join(os.path.dirname(__file__), "reference")


def _reference(dtype: str) -> dict:
    """Every number the original program printed: grads (x, y, grad), progress (epoch, loss), predictions."""
    path = os.path.join(REFERENCE, f"seed_torch_{dtype}_output.txt")
    text = open(path, encoding="utf-8").read()
    return {
        "grads": [tuple(map(float, m)) for m in re.findall(r"grad: (\S+) (\S+) (\S+)", text)],
        "progress": [(int(e), float(v)) for e, v in re.findall(r"progress: (\d+) (\S+)", text)],
        "before": float(re.search(r"predict\(before training\) 4 (\S+)", text).group(1)),
        "after": float(re.search(r"predict\(after training\) 4 (\S+)", text).group(1)),
    }


def _run(dtype: str):
    updates = []
    history = train(problem(), Settings(dtype=dtype), on_update=updates.append)
    return history, updates


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


def test_float64_gradients_match_pytorch():
    ref = _reference("float64")
    _, updates = _run("float64")
    assert len(updates) == len(ref["grads"]) == 300
    for u, (x, y, g) in zip(updates, ref["grads"]):
        assert u.sample == (x, y) and _close(u.gradient[0], g)


def test_float64_progress_matches_pytorch():
    ref = _reference("float64")
    history, _ = _run("float64")
    assert [e.epoch for e in history.epochs] == [e for e, _ in ref["progress"]]
    assert all(_close(e.last_sample_loss, v) for e, (_, v) in zip(history.epochs, ref["progress"]))


def test_float64_predictions_match_pytorch():
    ref = _reference("float64")
    history, _ = _run("float64")
    assert history.predict({"x": 4}, history.initial_params) == ref["before"]
    assert _close(history.predict({"x": 4}), ref["after"])


def test_float32_gradients_match_pytorch_to_the_last_bit():
    pytest.importorskip("numpy")
    ref = _reference("float32")
    _, updates = _run("float32")
    assert [(u.sample[0], u.sample[1], u.gradient[0]) for u in updates] == ref["grads"]


def test_float32_progress_matches_pytorch_to_the_last_bit():
    pytest.importorskip("numpy")
    ref = _reference("float32")
    history, _ = _run("float32")
    assert [(e.epoch, e.last_sample_loss) for e in history.epochs] == ref["progress"]


def test_float32_predictions_match_pytorch_to_the_last_bit():
    pytest.importorskip("numpy")
    ref = _reference("float32")
    history, _ = _run("float32")
    assert history.predict({"x": 4}, history.initial_params) == ref["before"]
    assert history.predict({"x": 4}) == ref["after"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_verbose_cli_prints_the_original_lines(dtype):
    if dtype == "float32":
        pytest.importorskip("numpy")
    path = os.path.join(REFERENCE, f"seed_torch_{dtype}_output.txt")
    result = CliRunner().invoke(cli, ["train", "-v", "--dtype", dtype])
    assert result.exit_code == 0, result.output
    mine = [line.split("   ")[0] for line in result.output.splitlines() if line.startswith(("\tgrad:", "progress:"))]
    ref = [line for line in open(path, encoding="utf-8").read().splitlines()
           if line.startswith(("\tgrad:", "progress:"))]
    assert mine == ref


def test_json_last_sample_loss_matches_pytorch():
    ref = _reference("float64")
    result = CliRunner().invoke(cli, ["train", "--format", "json"])
    out = json.loads(result.output)
    assert [h["epoch"] for h in out["history"]] == [e for e, _ in ref["progress"]]
    assert all(_close(h["last_sample_loss"], v) for h, (_, v) in zip(out["history"], ref["progress"]))
    assert out["predictions"][0]["before"] == ref["before"]
    assert _close(out["predictions"][0]["after"], ref["after"])


def test_default_cli_reports_the_predictions_of_the_lesson():
    result = CliRunner().invoke(cli, ["train"])
    assert result.exit_code == 0
    assert "predict (before training) x=4: 4.0" in result.output
    assert "predict (after training) x=4: 7.9999999999996945" in result.output
