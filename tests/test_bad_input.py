"""Hostile and mistaken input: one clear line, exit code 2, no traceback, no file, nothing run."""

import os

import pytest
from click.testing import CliRunner

from symback.cli import cli

CANARY = "/tmp/symback-canary-{}".format(os.getpid())

BAD_MODELS = [
    f"__import__('os').system('touch {CANARY}')",
    f"exec('open(\"{CANARY}\", \"w\")')",
    "w.__class__",
    "x.real*w",
    "(lambda: w)()",
    "[w for w in x]",
    "f'{w}'",
    "'w'*x",
    "w if x else 1",
    "w < x",
    "w and x",
    "w[0]",
    "(w, x)",
    "{w: x}",
    "w @ x",
    "w % x",
    "w // x",
    "~w",
    "not w",
    "foo(w*x)",
    "open(w)",
    "exp(w, x)",
    "exp(x=w)",
    "exp",
    "w*",
    "w*x)",
    "2w",
    "w = = x",
    "lambda*x",
    "w__x*x",
    "w*x + é",
    "1e999*w*x",
    "1e300*w*x",
    "9**9**9**9",
    "w*x**1000",
    "exp(" * 60 + "w" + ")" * 60,
    "-" * 3000 + "w",
    "+".join(["w*x"] * 800),
    "w*x/0",
    "log(0)*w",
    "sqrt(-1)*w",
    "(-8)**(1/3)*w",
    "y*w",
    "y_hat*w",
    "w*x; y_hat = w",
    "h = w*x; h = 2*h; y_hat = h",
    "y_hat = h2; h2 = w*x",
    "",
    "   ",
    "w*x\x00",
]


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_clean_error(result):
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("symback: error: ")
    assert len(lines[0]) > len("symback: error: ") + 10


@pytest.mark.parametrize("model", BAD_MODELS, ids=[repr(m[:40]) for m in BAD_MODELS])
def test_bad_model_is_one_line_exit_2(model):
    assert_clean_error(run("explain", "--model", model))
    assert not os.path.exists(CANARY)


BAD_OPTIONS = [
    ["--param", "w=abc"],
    ["--param", "w"],
    ["--param", "w=nan"],
    ["--param", "w=inf"],
    ["--param", "w=1e400"],
    ["--param", "w=1", "--param", "w=2"],
    ["--param", "z=1"],
    ["--param", "y=1"],
    ["--param", "lambda=1"],
    ["--param", "__class__=1"],
    ["--lr", "0"],
    ["--lr", "-0.1"],
    ["--lr", "abc"],
    ["--lr", "nan"],
    ["--loss", "y_hat - z"],
    ["--loss", "y**2"],
    ["--loss", "__import__('os')"],
    ["--loss", "mse2"],
    ["--sample", "x=1"],
    ["--sample", "x=1,y=2,z=3"],
    ["--sample", "x=one,y=2"],
    ["--mode", "batch", "--sample", "x=1,y=2"],
    ["--mode", "everything"],
    ["--format", "pdf"],
    ["--lang", "fr"],
    ["--model", "w1*x + b"],
    ["--model", "log(w*x)", "--sample", "x=-1,y=2"],
    ["--data", "/nonexistent/file.csv"],
    ["--problem", "/nonexistent/lesson.toml"],
    ["--unknown-option"],
]


@pytest.mark.parametrize("args", BAD_OPTIONS, ids=[" ".join(a) for a in BAD_OPTIONS])
def test_bad_option_is_one_line_exit_2(args):
    assert_clean_error(run("explain", *args))


BAD_CSV = {
    "missing_column.csv": "x,z\n1,2\n",
    "empty_cell.csv": "x,y\n1,\n",
    "text_cell.csv": "x,y\n1,two\n",
    "duplicate_header.csv": "x,x,y\n1,2,3\n",
    "semicolons.csv": "x;y\n1;2\n",
    "tabs.csv": "x\ty\n1\t2\n",
    "empty.csv": "",
    "header_only.csv": "x,y\n",
    "ragged.csv": "x,y\n1,2,3\n",
    "nan_cell.csv": "x,y\n1,nan\n",
    "inf_cell.csv": "x,y\ninf,1\n",
    "bad_header.csv": "x,y z\n1,2\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CSV))
def test_bad_csv_is_one_line_exit_2(tmp_path, name):
    path = tmp_path / name
    path.write_text(BAD_CSV[name], encoding="utf-8")
    assert_clean_error(run("explain", "--data", str(path)))


def test_binary_csv_is_one_line_exit_2(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00x,y\n")
    assert_clean_error(run("explain", "--data", str(path)))


def test_csv_with_bom_is_fine(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffx,y\n1,2\n".encode("utf-8"))
    assert run("explain", "--data", str(path)).exit_code == 0


def test_bad_input_writes_no_file(tmp_path):
    out = tmp_path / "out.txt"
    assert_clean_error(run("explain", "--model", "foo(w)", "-o", str(out)))
    assert not out.exists()


def test_output_into_missing_directory_is_one_line(tmp_path):
    assert_clean_error(run("explain", "-o", str(tmp_path / "no" / "such" / "dir.txt")))


def test_canary_was_never_created():
    run("explain", "--model", f"__import__('os').system('touch {CANARY}')")
    run("explain", "--loss", f"__import__('os').system('touch {CANARY}')")
    run("explain", "--param", f"w=__import__('os').system('touch {CANARY}')")
    assert not os.path.exists(CANARY)


HUGE = "9" * 400  # beyond float64 (about 1.8e308)


@pytest.mark.parametrize("args", [
    ["explain", "--model", f"w*x + {HUGE}"],
    ["explain", "--model", f"h = {HUGE}*w*x; y_hat = h"],
    ["explain", "--loss", f"(y_hat - y)**2 + {HUGE}"],
    ["check", "--answer", f"{HUGE}*x"],
    ["explain", "--param", f"w={HUGE}"],
    ["explain", "--sample", f"x={HUGE},y=1"],
], ids=["model", "definition", "loss", "answer", "param", "sample"])
def test_literal_too_large_for_a_float_exits_2(args):
    result = run(*args)
    assert_clean_error(result)
    assert "too large" in result.stderr or "finite" in result.stderr
    assert HUGE not in result.stderr  # the message stays one readable line


def test_csv_cell_too_large_for_a_float_exits_2(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(f"x,y\n{HUGE},1\n", encoding="utf-8")
    result = run("explain", "--data", str(path))
    assert_clean_error(result)
    assert "too large to be a number" in result.stderr



def test_a_missing_extra_says_how_to_install_it_from_pypi_and_from_a_checkout(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    result = run("train", "--plot", str(tmp_path / "loss.png"))
    assert_clean_error(result)
    assert "pip install 'symback[plot]'" in result.stderr and "pip install -e '.[plot]'" in result.stderr


def test_train_help_gives_both_install_forms():
    helptext = " ".join(run("train", "--help").output.split())
    assert "pip install 'symback[numba]'" in helptext and "pip install -e '.[numba]'" in helptext
    assert "pip install 'symback[plot]'" in helptext and "pip install -e '.[plot]'" in helptext
