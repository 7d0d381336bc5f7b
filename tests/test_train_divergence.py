"""A diverging run stops at the first bad epoch, says why, keeps its history and exits with 3."""

from __future__ import annotations

import csv
import json
import math

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.train.run import Settings, train


def _strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"bare {name} in JSON")

    return json.loads(text, parse_constant=refuse)


def test_too_large_a_learning_rate_stops_when_the_loss_explodes():
    history = train(problem(lr=0.3), Settings(epochs=1000))
    assert history.diverged.cause == "explode" and history.diverged.epoch == 12


def test_the_history_before_divergence_is_kept():
    history = train(problem(lr=0.3), Settings(epochs=1000))
    assert [e.epoch for e in history.epochs] == list(range(history.diverged.epoch))


def test_the_reason_names_the_epoch_and_what_to_change():
    reason = train(problem(lr=0.3), Settings(epochs=1000)).diverged.reason
    assert "epoch 12" in reason and "works: lr 0.03" in reason


def test_overflow_in_python_floats_is_divergence():
    p = problem("exp(w*x)", params={"w": 0}, data=(("x", "y"), [(1, 1000)]), lr=1)
    assert train(p, Settings(epochs=5)).diverged.cause == "overflow"


def test_overflow_in_numpy_is_a_non_finite_loss():
    pytest.importorskip("numpy")
    p = problem("exp(w*x)", params={"w": 0}, data=(("x", "y"), [(1, 1000)]), lr=1)
    history = train(p, Settings(epochs=5, mode="batch"))
    assert history.diverged.cause == "nonfinite" and history.diverged.epoch == 0


def test_log_of_a_negative_number_is_a_domain_error():
    p = problem("log(w*x)", params={"w": 1}, data=(("x", "y"), [(1, -100)]), lr=1)
    assert train(p, Settings(epochs=5)).diverged.cause == "domain"


def test_division_by_zero_is_reported():
    p = problem("x/w", params={"w": 1}, data=(("x", "y"), [(1, 1.5)]), lr=1)
    assert train(p, Settings(epochs=5)).diverged.cause == "zero_division"


def test_confidently_right_bce_does_not_turn_into_nan():
    data = (("x", "y"), [(-10, 0), (-5, 0), (5, 1), (10, 1)])  # w*x = ±50, ±100: σ rounds to 0 or 1
    p = problem("sigmoid(w*x + b)", "bce", {"w": 10, "b": 0}, data=data, lr=5)
    history = train(p, Settings(epochs=200))
    assert history.diverged is None and 0 <= history.final_loss < 1e-12
    assert all(math.isfinite(v) for _, v in history.final_params)


def test_confidently_right_bce_in_float32_does_not_turn_into_nan():
    pytest.importorskip("numpy")
    p = problem("sigmoid(w*x)", "bce", {"w": 50}, data=(("x", "y"), [(-2, 0), (2, 1)]), lr=1)
    history = train(p, Settings(epochs=20, dtype="float32"))
    assert history.diverged is None and 0 <= history.final_loss < 1e-30


def test_cli_exits_with_3_and_one_line_on_divergence():
    result = CliRunner().invoke(cli, ["train", "--lr", "0.3", "--epochs", "1000"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "epoch 12" in result.stderr and "Traceback" not in result.stderr


def test_cli_writes_the_partial_history_on_divergence(tmp_path):
    path = tmp_path / "h.csv"
    CliRunner().invoke(cli, ["train", "--lr", "0.3", "--epochs", "1000", "--history", str(path)])
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0][:3] == ["epoch", "loss", "w"] and len(rows) == 1 + 12


def test_cli_json_on_divergence_has_no_bare_nan(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--model", "exp(w*x)", "--data", _big_target(tmp_path), "--lr", "1",
                                      "--format", "json", "--predict", "x=1"])
    out = _strict_json(result.stdout)
    assert result.exit_code == 3 and out["diverged"]["cause"] == "overflow"
    assert out["predictions"][0]["after"] is not None


def test_cli_text_says_training_stopped(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--lr", "0.3", "--epochs", "1000"])
    assert "Training stopped" in result.stdout


def test_a_loss_undefined_at_the_start_is_bad_input():
    result = CliRunner().invoke(cli, ["train", "--model", "log(w*x)", "--data", "/dev/null"])
    assert result.exit_code == 2


def test_a_data_row_outside_the_model_is_named(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x,y\n1,1\n0,2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--model", "log(w*x)", "--data", str(path)])
    assert result.exit_code == 2 and "row 2" in result.stderr


def _big_target(tmp_path) -> str:
    path = tmp_path / "big.csv"
    path.write_text("x,y\n1,1000\n", encoding="utf-8")
    return str(path)


def test_data_beyond_float32_is_bad_input(tmp_path):
    pytest.importorskip("numpy")
    path = tmp_path / "d.csv"
    path.write_text("x,y\n1,1e300\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(path), "--dtype", "float32"])
    assert result.exit_code == 2 and "too large for float32" in result.stderr


@pytest.mark.parametrize("mode", ["batch", "sgd"])
def test_an_infinite_gradient_at_the_start_is_named_not_blamed_on_the_learning_rate(mode):
    history = train(problem("sqrt(w) + x", params={"w": 0}), Settings(epochs=5, mode=mode))
    assert history.diverged.cause == "singular"
    assert "the derivative of sqrt is infinite at 0" in history.diverged.reason
    assert "start w from another value" in history.diverged.reason
    assert "learning rate" not in history.diverged.reason.replace("no learning rate helps", "")
