"""Inputs that once ended in a traceback: each is one line and exit 2 now (issue 13, item 4)."""

from __future__ import annotations

import importlib

import pytest
import sympy
from test_lesson_reading import _lesson as lesson
from test_lesson_reading import _one_line as one_line
from test_lesson_reading import run

from symback.train.code import WIDE, Code, narrow
from symback.train.backends import scalar_backend

DERIVE = importlib.import_module("symback.core.derive")


@pytest.mark.parametrize("value", ['"a"', "[1, 2]", "{a = 1}", "nan"])
def test_predict_value_that_is_not_a_number(tmp_path, value):
    assert "[predict]" in one_line(run("train", "--problem", lesson(tmp_path, f"[predict]\nx = {value}\n")))


@pytest.mark.parametrize("value", ['"a"', '[1, "a"]', "nan"])  # (a list of numbers is a vector: a matrix model's)
def test_sample_value_that_is_not_a_number(tmp_path, value):
    path = lesson(tmp_path, f"[sample]\nx = {value}\ny = 2\n")
    for command in ("explain", "check"):
        extra = ["--answer", "x"] if command == "check" else []
        assert "[sample]" in one_line(run(command, "--problem", path, *extra))


def test_data_columns_that_are_not_names(tmp_path):
    path = lesson(tmp_path, "[data]\ncolumns = [1, 2]\nrows = [[1, 2]]\n")
    assert "columns" in one_line(run("explain", "--problem", path))


def test_data_columns_as_one_string(tmp_path):
    path = lesson(tmp_path, '[data]\ncolumns = "xy"\nrows = [[1, 2]]\n')
    assert "columns" in one_line(run("explain", "--problem", path))


def test_data_rows_that_are_flat(tmp_path):
    path = lesson(tmp_path, '[data]\ncolumns = ["x", "y"]\nrows = [1, 2]\n')
    assert "row 1" in one_line(run("train", "--problem", path))


def test_csv_with_carriage_returns_only_is_read(tmp_path):
    (tmp_path / "d.csv").write_bytes(b"x,y\r1,2\r2,4\r")
    result = run("explain", "--data", str(tmp_path / "d.csv"), "--format", "json")
    assert result.exit_code == 0 and '"x": 1' in result.output


def test_csv_cell_over_the_csv_limit(tmp_path):
    (tmp_path / "d.csv").write_text("x,y\n1,2\n1," + "2" * (140 * 1024) + "\n")
    assert "line 3" in one_line(run("train", "--data", str(tmp_path / "d.csv")))


def test_a_sum_wider_than_the_compiler_allows_is_computed_in_parts():
    xs = sympy.symbols("x0:5000")
    lines, result = narrow([], (sympy.Add(*xs),))
    assert all(len(e.args) <= WIDE for _, e in lines) and len(result[0].args) <= WIDE
    f = Code(xs, tuple(lines), result).function(scalar_backend("float64"))
    assert f(*range(5000)) == (sum(range(5000)),)


def test_a_parameter_through_many_definitions_trains():
    model = "; ".join(["h0 = w*x"] + [f"h{i} = h{i - 1}*w" for i in range(1, 3000)] + ["y_hat = h2999"])
    result = run("train", "--model", model, "--epochs", "1", "--lr", "1e-9", "--format", "json")
    assert result.exit_code == 0, result.output


def _failing(error):
    def explain(*args, **kwargs):
        raise error

    return explain


@pytest.mark.parametrize("error, code, words", [
    (MemoryError(), 2, "more memory"), (RecursionError(), 2, "deeper recursion"),
    (OSError(28, "No space left on device"), 2, "No space left"), (ValueError("oops"), 1, "bug in symback")])
def test_last_line_of_defence_is_one_line(monkeypatch, error, code, words):
    monkeypatch.setattr(DERIVE, "explain", _failing(error))
    monkeypatch.delenv("SYMBACK_TRACEBACK", raising=False)
    result = run("explain", "--model", "w*x")
    assert result.exit_code == code and words in result.output and "symback explain --model 'w*x'" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_traceback_on_request(monkeypatch):
    monkeypatch.setattr(DERIVE, "explain", _failing(ValueError("oops")))
    monkeypatch.setenv("SYMBACK_TRACEBACK", "1")
    assert isinstance(run("explain").exception, ValueError)
