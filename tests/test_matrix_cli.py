"""symback train on matrix models: the two example lessons, data from CSV (--input) and .npz, every output."""

import csv
import json
import pathlib

import numpy as np
import pytest
from click.testing import CliRunner

from symback.cli import cli

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples" / "matrix"
MLP = "h = tanh(W1 @ x + b1); y_hat = w2 @ h + b2"
MLP_PARAMS = ["--param", "W1=[[0.5, -0.3], [-0.4, 0.6]]", "--param", "b1=[0, 0.1]", "--param", "w2=[0.4, -0.3]",
              "--param", "b2=0"]


def run(*args):
    return CliRunner().invoke(cli, ["train", *map(str, args)])


def run_json(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def classes():
    return run_json("--problem", EXAMPLES / "three-classes.toml")


def test_the_classification_lesson_learns_its_three_classes(classes):
    rows = list(csv.DictReader((EXAMPLES / "three-classes.csv").open(encoding="utf-8")))
    params = classes["final_params"]
    W, b = np.array(params["W"]), np.array(params["b"])
    x = np.array([[float(r["x1"]), float(r["x2"])] for r in rows])
    right = np.mean(np.argmax(x @ W.T + b, axis=1) == np.array([int(r["y"]) for r in rows]))
    assert right >= 0.95 and classes["final_loss"] < classes["initial"]["loss"] / 10


def test_a_prediction_of_logits_is_a_vector(classes):
    prediction = classes["predictions"][0]
    assert prediction["inputs"] == {"x": [0.0, 0.0]} and len(prediction["after"]) == 3


def test_the_network_lesson_fits_its_surface():
    result = run_json("--problem", EXAMPLES / "tanh-mlp.toml")
    assert result["final_loss"] < result["initial"]["loss"] / 20
    assert np.shape(result["history"][-1]["params"]["W1"]) == (4, 2) and result["diverged"] is None


def test_the_text_report_elides_a_large_matrix(tmp_path):
    np.savez(tmp_path / "d.npz", x=np.linspace(-1, 1, 24).reshape(4, 6), y=np.arange(4.0))
    weights = "W=" + json.dumps(np.full((5, 6), 0.1).tolist())
    result = run("--model", "y_hat = v @ tanh(W @ x)", "--param", weights, "--param", "v=[1, 1, 1, 1, 1]",
                 "--data", tmp_path / "d.npz", "--epochs", "2", "--mode", "batch")
    assert result.exit_code == 0, result.output
    assert "W = [[0.1, 0.1, 0.1, …, 0.1], [0.1, 0.1, 0.1, …, 0.1], [0.1, 0.1, 0.1, …, 0.1], …, [0.1, 0.1, 0.1, …, 0.1]] (5×6)" \
        in result.output.replace("\n  ", " ")


def test_csv_columns_gathered_by_input(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,y\n1,0.5,1\n-1,0.2,-1\n0.5,-0.5,0.3\n")
    result = run_json("--model", MLP, *MLP_PARAMS, "--data", tmp_path / "d.csv", "--input", "x=a,b", "--epochs", "3")
    assert result["settings"]["samples"] == 3 and len(result["history"]) == 3


def test_npz_vectors_train_as_the_same_csv(tmp_path):
    x, y = np.array([[1, 0.5], [-1, 0.2], [0.5, -0.5]]), np.array([1, -1, 0.3])
    np.savez(tmp_path / "d.npz", x=x, y=y)
    (tmp_path / "d.csv").write_text("x1,x2,y\n" + "".join(f"{a},{b},{c}\n" for (a, b), c in zip(x, y)))
    from_npz = run_json("--model", MLP, *MLP_PARAMS, "--data", tmp_path / "d.npz", "--epochs", "3")
    from_csv = run_json("--model", MLP, *MLP_PARAMS, "--data", tmp_path / "d.csv", "--input", "x=x1..x2", "--epochs", "3")
    assert from_npz["history"] == from_csv["history"]


def test_history_csv_has_a_column_per_entry(tmp_path):
    assert run("--problem", EXAMPLES / "three-classes.toml", "--epochs", "2", "--history", tmp_path / "h.csv").exit_code == 0
    header = (tmp_path / "h.csv").read_text().splitlines()[0]
    assert header == 'epoch,loss,"W[0,0]","W[0,1]","W[1,0]","W[1,1]","W[2,0]","W[2,1]",b[0],b[1],b[2]'


def test_blas_backend_agrees_with_the_portable_one():
    portable = run_json("--problem", EXAMPLES / "tanh-mlp.toml", "--epochs", "20")
    blas = run_json("--problem", EXAMPLES / "tanh-mlp.toml", "--epochs", "20", "--backend", "blas")
    assert blas["settings"]["backend"] == "blas"
    assert np.allclose(blas["final_params"]["W1"], portable["final_params"]["W1"], rtol=0, atol=1e-12)


def test_the_loss_curve_is_plotted(tmp_path):
    pytest.importorskip("matplotlib")
    result = run("--problem", EXAMPLES / "three-classes.toml", "--epochs", "5", "--plot", tmp_path / "loss.png")
    assert result.exit_code == 0 and (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, message", [
    (["--dtype", "float32"], "trains in float64"),
    (["--backend", "numba"], "--backend numpy or blas"),
    (["--input", "x=x1,x9"], "no column x9"),
    (["--mode", "batch", "--batch-size", "2"], "applies only to --mode minibatch"),
])
def test_bad_matrix_options_are_one_line_errors(args, message):
    result = run("--problem", EXAMPLES / "three-classes.toml", "--epochs", "1", *args)
    assert result.exit_code == 2 and message in result.output


def test_data_without_the_vector_column_says_how_to_gather(tmp_path):
    (tmp_path / "d.csv").write_text("x1,x2,y\n1,2,0\n")
    result = run("--model", MLP, *MLP_PARAMS, "--data", tmp_path / "d.csv")
    assert result.exit_code == 2 and "no column x" in result.output and "--input x=x1,x2" in result.output


def test_a_prediction_of_the_wrong_shape_is_refused():
    result = run("--problem", EXAMPLES / "tanh-mlp.toml", "--epochs", "1", "--predict", "x=[1, 2, 3]")
    assert result.exit_code == 2 and "has shape (3,), but the model's input x has shape (2,)" in result.output


def test_export_of_a_matrix_lesson_says_it_is_not_written_yet():
    result = CliRunner().invoke(cli, ["export", "--problem", str(EXAMPLES / "tanh-mlp.toml"), "--to", "numpy"])
    assert result.exit_code == 2 and "symback export does not cover matrix models yet" in result.output
