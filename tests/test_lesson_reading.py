"""What a lesson file can read (its own folder only) and what errors say (names, rows, columns; never a file's text)."""

import os

import numpy as np
import pytest
from click.testing import CliRunner

from symback.model import data as data_module
from symback import io as io_module
from symback.cli import cli

SECRET = "SECRET-7f3a"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def _one_line(result):
    assert result.exit_code == 2, result.output
    assert result.output.startswith("symback: error:") and result.output.count("\n") == 1, result.output
    return result.output


def _lesson(folder, text):
    path = folder / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("data", ["/etc/passwd", "/proc/self/environ", "../outside.csv", "sub/../../outside.csv"])
def test_lesson_data_outside_its_folder_is_refused(tmp_path, data):
    folder = tmp_path / "lesson"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("x,y\n1,2\n")
    assert "--data" in _one_line(run("explain", "--problem", _lesson(folder, f'data = "{data}"\n')))


def test_lesson_data_through_a_link_out_of_its_folder_is_refused(tmp_path):
    folder = tmp_path / "lesson"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("x,y\n1,2\n")
    (folder / "d.csv").symlink_to(tmp_path / "outside.csv")
    assert "link" in _one_line(run("explain", "--problem", _lesson(folder, 'data = "d.csv"\n')))


def test_lesson_data_in_a_subfolder_is_read_relative_to_the_lesson(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "d.csv").write_text("x,y\n1,3\n")
    lesson = _lesson(tmp_path, 'data = "data/d.csv"\n')
    monkeypatch.chdir("/")
    result = run("explain", "--problem", lesson, "--format", "json")
    assert result.exit_code == 0 and '"loss": 4' in result.output


def test_data_outside_the_folder_is_fine_on_the_command_line(tmp_path):
    folder = tmp_path / "lesson"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("x,y\n1,3\n")
    lesson = _lesson(folder, 'data = "../outside.csv"\n')
    result = run("explain", "--problem", lesson, "--data", str(tmp_path / "outside.csv"), "--format", "json")
    assert result.exit_code == 0 and '"loss": 4' in result.output


CSV_WITH_SECRETS = [
    f"{SECRET}\n",  # a one-line header that is not a name
    f"x,{SECRET}:1\n1,2\n",  # a column name that is not a name
    f"x;y {SECRET}\n1;2\n",  # not comma-separated
    f"x,y\n1,{SECRET}\n",  # a cell that is not a number
    "x,y\n1,nan\n",
]


@pytest.mark.parametrize("text", CSV_WITH_SECRETS)
def test_csv_errors_never_repeat_the_file(tmp_path, text):
    path = tmp_path / "d.csv"
    path.write_text(text)
    message = _one_line(run("explain", "--data", str(path)))
    assert SECRET not in message and "nan" not in message and "d.csv" in message


def test_csv_cell_error_names_row_and_column(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(f"x,y\n1,2\n3,{SECRET}\n")
    assert "row 3, column y" in _one_line(run("explain", "--data", str(path)))


def test_large_csv_errors_never_repeat_the_file(tmp_path):
    """A file big enough to be read by NumPy is checked by the same words."""
    path = tmp_path / "d.csv"
    path.write_text("x,y\n" + "1,2\n" * 2_200_000 + f"3,{SECRET}\n")
    message = _one_line(run("explain", "--data", str(path)))
    assert SECRET not in message and "column y" in message


def test_npy_with_a_damaged_header_is_not_repeated(tmp_path):
    path = tmp_path / "d.npy"
    path.write_bytes(b"\x93NUMPY\x01\x00\x20\x00{'descr': '" + SECRET.encode() + b"', }\n")
    message = _one_line(run("explain", "--data", str(path)))
    assert SECRET not in message and "d.npy" in message


def test_npz_with_a_column_name_that_is_not_a_name_is_not_repeated(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, **{"x": np.ones(2), SECRET + " y": np.ones(2)})
    message = _one_line(run("explain", "--data", str(path)))
    assert SECRET not in message and "column 2" in message


TOML_WITH_SECRETS = [
    f"{SECRET} = 1\n{SECRET} = 2\n",  # a key defined twice
    f"[{SECRET}]\n[{SECRET}]\n",  # a table defined twice
    f"a = {{ {SECRET} = 1, {SECRET} = 2 }}\n",  # a key twice in an inline table
    f"model = \"w*x\" {SECRET}\n",  # text after a value
    f"'{SECRET}-key' = 1\n",  # an unknown key that is not a name
    f"model = \"w\x01{SECRET}\"\n",  # a control character in a string
]


@pytest.mark.parametrize("text", TOML_WITH_SECRETS)
def test_toml_errors_never_repeat_the_file(tmp_path, text):
    message = _one_line(run("explain", "--problem", _lesson(tmp_path, text)))
    assert SECRET not in message and "lesson.toml" in message


def test_toml_syntax_error_names_line_and_column(tmp_path):
    assert "line 2, column" in _one_line(run("explain", "--problem", _lesson(tmp_path, 'model = "w*x"\nlr 0.1\n')))


def test_toml_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_bytes("\ufefflr = 0.5\n".encode("utf-8"))
    result = run("explain", "--problem", str(path), "--format", "json")
    assert result.exit_code == 0 and '"lr": 0.5' in result.output


def test_binary_lesson_file_is_one_line(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_bytes(b"model = 1\n\xff\xfe" + SECRET.encode())
    message = _one_line(run("explain", "--problem", str(path)))
    assert "UTF-8" in message and "line 2" in message and SECRET not in message


@pytest.mark.parametrize("value, words", [("nan", "finite"), ("inf", "finite"), ("-inf", "finite"),
                                          ("true", "not a bool")])
def test_predict_values_must_be_finite_numbers(tmp_path, value, words):
    lesson = _lesson(tmp_path, f"[predict]\nx = {value}\n")
    for command in ("train", "notes"):
        extra = ["-o", str(tmp_path / "n.ipynb")] if command == "notes" else []
        assert words in _one_line(run(command, "--problem", lesson, *extra))
    assert not (tmp_path / "n.ipynb").exists()


def test_lesson_data_that_is_a_pipe_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "d.csv")
    assert "regular file" in _one_line(run("explain", "--problem", _lesson(tmp_path, 'data = "d.csv"\n')))


@pytest.mark.parametrize("option", ["--data", "--problem"])
def test_an_endless_input_is_read_only_up_to_the_limit(monkeypatch, option):
    """/dev/zero has no size to check beforehand: the reading itself stops at the limit."""
    monkeypatch.setattr(data_module, "MAX_CSV_BYTES", 2**20)
    monkeypatch.setattr(io_module, "MAX_TEXT_BYTES", 2**20)
    assert "larger than 1 MiB" in _one_line(run("explain", option, "/dev/zero"))
