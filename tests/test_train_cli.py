"""The train command: output, files, options, and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from symback.cli import cli


def run(*args):
    return CliRunner().invoke(cli, ["train", *args])


def test_default_output_shows_start_table_and_end():
    out = run().stdout
    assert out.startswith("Training ŷ = w·x with loss (ŷ − y)² on 3 samples")
    assert "before training: mean loss 4.666666666666667; w = 1.0" in out
    assert "after training: mean loss 2.7227271190068147e-26; w = 1.9999999999999236" in out


def test_long_runs_are_thinned_in_the_table():
    lines = run().stdout.splitlines()
    table = [line for line in lines if line[:1].isdigit()]
    assert [int(line.split()[0]) for line in table] == list(range(10)) + list(range(19, 100, 10))


def test_short_runs_show_every_epoch():
    lines = run("--epochs", "5").stdout.splitlines()
    assert [int(line.split()[0]) for line in lines if line[:1].isdigit()] == [0, 1, 2, 3, 4]


def test_verbose_prints_one_line_per_update_with_the_new_parameters():
    out = run("-v").stdout
    assert out.count("\tgrad: ") == 300 and out.count("progress: ") == 100
    assert "\tgrad: 1.0 2.0 -2.0   -> w = 1.02" in out


def test_verbose_batch_mode_prints_one_line_per_update():
    out = run("-v", "--mode", "batch", "--epochs", "3").stdout
    assert out.count("\tstep 0: ") == 3 and out.count("progress: ") == 3


def test_json_follows_the_contract():
    out = json.loads(run("--format", "json", "--epochs", "7").stdout)
    assert {"history", "final_params", "predictions", "diverged"} <= set(out)
    assert len(out["history"]) == 7 and out["diverged"] is None
    assert set(out["history"][0]) == {"epoch", "loss", "params", "last_sample_loss"}
    assert out["final_params"] == out["history"][-1]["params"]


def test_json_history_has_no_last_sample_loss_in_batch_mode():
    out = json.loads(run("--format", "json", "--mode", "batch", "--epochs", "2").stdout)
    assert set(out["history"][0]) == {"epoch", "loss", "params"}


def test_history_csv_has_every_epoch(tmp_path):
    path = tmp_path / "h.csv"
    run("--history", str(path), "--model", "w*x + b", "--param", "w=1", "--param", "b=0")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["epoch", "loss", "w", "b", "last_sample_loss"] and len(rows) == 101


def test_history_json_is_the_whole_result(tmp_path):
    path = tmp_path / "h.json"
    run("--history", str(path), "--epochs", "3")
    assert len(json.loads(path.read_text(encoding="utf-8"))["history"]) == 3


def test_output_file_gets_the_report(tmp_path):
    path = tmp_path / "log.txt"
    result = run("-v", "-o", str(path), "--epochs", "2")
    assert result.stdout == "" and path.read_text(encoding="utf-8").count("\tgrad:") == 6


def test_predict_is_repeatable():
    out = json.loads(run("--format", "json", "--predict", "x=4", "--predict", "x=10").stdout)
    assert [p["inputs"] for p in out["predictions"]] == [{"x": 4.0}, {"x": 10.0}]


def test_predict_with_several_inputs(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n1,2,3\n2,1,3\n", encoding="utf-8")
    out = json.loads(run("--model", "w1*x1 + w2*x2", "--param", "w1=1", "--param", "w2=1", "--data", str(path),
                         "--format", "json", "--predict", "x1=1,x2=1").stdout)
    assert out["predictions"][0]["before"] == 2.0


def test_own_data_has_no_default_prediction(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x,y\n1,3\n2,5\n", encoding="utf-8")
    assert json.loads(run("--data", str(path), "--format", "json").stdout)["predictions"] == []


def test_chinese_wording():
    out = run("--lang", "zh", "--epochs", "2").stdout
    assert out.startswith("训练 ") and "预测（训练后）x=4：" in out


def test_lesson_file_sets_training_options(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('epochs = 4\nmode = "batch"\n[predict]\nx = 5\n', encoding="utf-8")
    out = json.loads(run("--problem", str(path), "--format", "json").stdout)
    assert out["settings"]["epochs"] == 4 and out["settings"]["mode"] == "batch"
    assert out["predictions"][0]["inputs"] == {"x": 5.0}


def test_float32_option():
    assert "predict (after training) x=4: 7.999998569488525" in run("--dtype", "float32").stdout


@pytest.mark.parametrize("args, words", [
    (["--lr", "0"], "learning rate"),
    (["--lr", "-1"], "learning rate"),
    (["--epochs", "0"], "--epochs"),
    (["--epochs", "2.5"], "--epochs"),
    (["--epochs", "many"], "--epochs"),
    (["--mode", "minibatch", "--batch-size", "4"], "batch size"),
    (["--batch-size", "2"], "minibatch"),
    (["--mode", "adam"], "--mode"),
    (["--predict", "z=1"], "missing x"),
    (["--predict", "x"], "NAME=VALUE"),
    (["--history", "h.txt"], ".csv or .json"),
    (["--plot", "p.gif"], ".png"),
    (["--history", "/no/such/dir/h.csv"], "does not exist"),
    (["-v", "--format", "json"], "-v"),
    (["--data", "/no/such.csv"], "cannot read"),
])
def test_bad_options_get_one_line_and_exit_code_2(args, words):
    result = run(*args)
    assert result.exit_code == 2
    assert words in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_options_write_no_file(tmp_path):
    path = tmp_path / "h.csv"
    run("--lr", "0", "--history", str(path))
    assert not path.exists()


def test_help_does_not_import_sympy():
    code = "import sys\nfrom symback.cli import main\ntry:\n    main(['train', '--help'])\nexcept SystemExit:\n    pass\n" \
           "print('sympy' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip().endswith("False")


def test_batch_size_help_and_behaviour_agree():
    helptext = " ".join(CliRunner().invoke(cli, ["train", "--help"]).output.split())
    assert "1 to the number of samples" in helptext
    too_big = CliRunner().invoke(cli, ["train", "--mode", "minibatch", "--batch-size", "4"])
    assert too_big.exit_code == 2 and "from 1 to 3" in too_big.stderr
    default = CliRunner().invoke(cli, ["train", "--mode", "minibatch", "--format", "json"])
    assert json.loads(default.stdout)["settings"]["batch_size"] == 3  # 32 asked, all 3 samples used
