"""Vector inputs in data: CSV columns gathered by --input, .npz arrays of shape (n, d)."""

import numpy as np
import pytest

from symback.app.lesson import load_lesson
from symback.errors import DataError, SpecError
from symback.model.arrays import from_columns
from symback.model.data import parse_csv, read_data
from symback.model.gather import gather, load_gathered, parse_input

CSV = "x1,x2,y,x3\n1,2,3,4\n5,6,7,8\n"


def test_an_input_names_its_columns():
    assert parse_input("x=x1,x2") == ("x", ("x1", "x2"))


def test_a_numbered_run_of_columns():
    assert parse_input("x = x1..x4") == ("x", ("x1", "x2", "x3", "x4"))


@pytest.mark.parametrize("text, message", [
    ("x", "NAME=COLUMN"), ("1x=a", "NAME=COLUMN"), ("x=a..b", "numbered columns"), ("x=x3..x1", "not after"),
    ("x=a,,b", "each column must be a name"), ("x=a,a", "named twice"), ("x=x1..x99999", "at most 10,000"),
])
def test_bad_inputs_are_one_line_errors(text, message):
    with pytest.raises(DataError, match=message):
        parse_input(text)


def test_gathered_rows_hold_a_tuple_in_place_of_the_first_column():
    data = gather(parse_csv(CSV), {"x": ("x1", "x2", "x3")})
    assert data.names == ("x", "y") and data.rows == (((1.0, 2.0, 4.0), 3.0), ((5.0, 6.0, 8.0), 7.0))


def test_gathered_arrays_are_one_read_only_matrix():
    data = gather(from_columns({"x1": [0.0, 1.0], "y": [1.0, 1.0], "x2": [2.0, 3.0]}), {"x": ("x1", "x2")})
    x = data.column("x")
    assert x.tolist() == [[0.0, 2.0], [1.0, 3.0]] and not x.flags.writeable and data.row(1) == {"x": (1.0, 3.0), "y": 1.0}


@pytest.mark.parametrize("groups, message", [
    ({"x": ("x1", "zz")}, "no column zz"), ({"y": ("x1", "x2")}, "already have a column y"),
    ({"x": ("x1", "x2"), "z": ("x2", "x3")}, "gathered into both x and z"),
])
def test_gathering_what_is_not_there_is_refused(groups, message):
    with pytest.raises(DataError, match=message):
        gather(parse_csv(CSV), groups)


def test_gathering_needs_data():
    with pytest.raises(DataError, match="give the data with data FILE.csv"):
        load_gathered(None, {"x": ("x1", "x2")})


def test_npz_matrix_is_a_column_of_vectors(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.arange(6.0).reshape(3, 2), y=np.array([0.0, 1.0, 2.0]))
    data = read_data(str(path))
    assert data.column("x").shape == (3, 2) and data.row(2) == {"x": (4.0, 5.0), "y": 2.0}


def test_npz_of_three_axes_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, x=np.zeros((3, 2, 2)), y=np.zeros(3))
    with pytest.raises(DataError, match=r"shape \(3, 2, 2\); a column holds a number per sample"):
        read_data(str(path))


def test_a_nan_in_a_vector_names_its_row():
    x = np.zeros((3, 2))
    x[2, 1] = np.nan
    with pytest.raises(DataError, match="column x, row 3 is not a finite number"):
        from_columns({"x": x, "y": np.zeros(3)})


def test_a_lesson_gathers_its_inputs(tmp_path):
    (tmp_path / "d.csv").write_text(CSV)
    (tmp_path / "l.toml").write_text('data = "d.csv"\n[inputs]\nx = ["x1", "x2"]\nz = "x3..x3"\n')
    assert load_lesson(str(tmp_path / "l.toml"))["inputs"] == {"x": ("x1", "x2"), "z": ("x3",)}


def test_a_lesson_with_bad_inputs_names_the_file(tmp_path):
    (tmp_path / "l.toml").write_text('[inputs]\nx = 3\n')
    with pytest.raises(SpecError, match=r"l\.toml: \[inputs\] 'x' must be a list"):
        load_lesson(str(tmp_path / "l.toml"))


def test_the_command_line_refuses_a_missing_column_with_exit_code_2(tmp_path):
    from click.testing import CliRunner

    from symback.cli import cli

    (tmp_path / "d.csv").write_text(CSV)
    result = CliRunner().invoke(cli, ["train", "--data", str(tmp_path / "d.csv"), "--input", "x=x1,x9"])
    assert result.exit_code == 2 and "the data have no column x9" in result.output
