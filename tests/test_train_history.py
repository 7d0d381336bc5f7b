"""A long run's history in bounded memory: a thinned trail in memory, every epoch streamed to the files."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from symback import problem
from symback.train import log as train_log
from symback.cli import cli
from symback.lang import wording
from symback.train.run import Settings, train
from symback.render.train_report import as_dict, json_chunks, table, to_csv, to_json

EPOCHS = 2345


@pytest.fixture
def short_memory(monkeypatch):
    """A run counts as long from 100 epochs on, so that a short test thins."""
    monkeypatch.setattr(train_log, "KEEP_ALL", 100)


def _run(mode="sgd", epochs=EPOCHS, **kwargs):
    p = problem("w*x + b", params={"w": 0.0, "b": 0.0}, lr=0.001)
    return train(p, Settings(epochs=epochs, mode=mode), **kwargs)


def test_a_long_run_keeps_few_epochs_in_memory(short_memory):
    h = _run(log_all=True)
    assert h.epoch_count == EPOCHS and len(h.epochs) <= 500 + 2 * train_log.TAIL
    assert h.epochs[0].epoch == 0 and h.epochs[-1].epoch == EPOCHS - 1


def test_every_epoch_is_read_back_from_the_log(short_memory):
    thinned = _run(log_all=True)
    whole = _run(epochs=EPOCHS)  # KEEP_ALL of 100 < EPOCHS: the default logs too
    assert list(thinned.all_epochs()) == list(whole.all_epochs())
    assert [e.epoch for e in thinned.all_epochs()] == list(range(EPOCHS))


def test_the_thinned_run_ends_as_the_whole_one(short_memory, monkeypatch):
    thinned = _run(mode="batch", log_all=True)
    monkeypatch.setattr(train_log, "KEEP_ALL", 10**6)
    whole = _run(mode="batch")
    assert thinned.final_params == whole.final_params and thinned.final_loss == whole.final_loss
    assert table(thinned, wording("en")) == table(whole, wording("en"))
    assert to_csv(thinned) == to_csv(whole)


def test_streamed_json_is_json_dumps_of_the_whole_history():
    h = _run(epochs=7)
    assert to_json(h) == json.dumps(as_dict(h), ensure_ascii=False, indent=2, allow_nan=False)
    assert len(json.loads("".join(json_chunks(h)))["history"]) == 7


def test_streamed_json_of_a_run_without_epochs():
    h = train(problem("w*x", lr=1e6), Settings(epochs=3), advise=False)
    assert h.epoch_count == 0 and json.loads(to_json(h))["history"] == []
    assert to_json(h) == json.dumps(as_dict(h), ensure_ascii=False, indent=2, allow_nan=False)


def test_history_file_of_a_long_run_has_every_epoch(tmp_path):
    epochs = train_log.KEEP_ALL + 1500
    out = tmp_path / "h.csv"
    result = CliRunner().invoke(cli, ["train", "--epochs", str(epochs), "--mode", "batch", "--format", "json",
                                      "--history", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    assert len(rows) == epochs + 1 and rows[-1][0] == str(epochs - 1)
    assert len(json.loads(result.stdout)["history"]) == epochs
