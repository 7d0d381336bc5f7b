"""symback explain through the command line."""

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import require_tools
from symback.cli import cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_default_explains_the_lesson():
    result = run("explain")
    assert result.exit_code == 0
    assert "w ← w − η·∂L/∂w = 1 − 0.01·(−2) = 1.02" in result.output
    assert "2x(w·x − y)" in result.output


def test_sections_come_in_the_lessons_order():
    out = run("explain").output
    marks = ["Problem", "Forward pass", "Local derivatives", "Backward pass", "Closed form", "update"]
    positions = [out.index(m) for m in marks]
    assert positions == sorted(positions)


def test_json_has_the_contract_fields():
    data = json.loads(run("explain", "--format", "json").output)
    for key in ("loss", "gradient", "gradient_expr", "params_before", "params_after", "lr", "steps"):
        assert key in data
    assert data["gradient"] == {"w": -2.0}
    assert data["params_after"] == {"w": 1.02}
    assert all("rule" in s and "claim" in s for s in data["steps"])


def test_sample_option_picks_the_sample():
    data = json.loads(run("explain", "--format", "json", "--sample", "x=2,y=4").output)
    assert data["gradient"] == {"w": -8.0}


def test_batch_mode_gives_the_mean_gradient():
    data = json.loads(run("explain", "--format", "json", "--mode", "batch").output)
    assert data["gradient"]["w"] == pytest.approx(-28 / 3)
    assert data["loss"] == pytest.approx(14 / 3)


def test_output_file_is_written(tmp_path):
    out = tmp_path / "seed.md"
    result = run("explain", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# How backpropagation")


def test_output_leaves_no_temporary_files(tmp_path):
    run("explain", "-o", str(tmp_path / "a.txt"))
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_chinese():
    assert "反向传播" in run("explain", "--lang", "zh").output


def test_csv_data_with_two_inputs(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n1,2,3\n2,1,0\n", encoding="utf-8")
    result = run("explain", "--model", "w1*x1 + w2*x2 + b", "--param", "w1=1", "--param", "w2=1",
                 "--param", "b=0", "--data", str(path), "--format", "json")
    assert json.loads(result.output)["gradient"] == {"w1": 0.0, "w2": 0.0, "b": 0.0}


def test_lesson_file(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('model = "w*x + b"\nlr = 0.1\n[params]\nw = 1.0\nb = 0.0\n', encoding="utf-8")
    data = json.loads(run("explain", "--problem", str(path), "--format", "json").output)
    assert data["lr"] == 0.1 and set(data["gradient"]) == {"w", "b"}


def test_options_override_the_lesson_file(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('model = "w*x"\nlr = 0.1\n', encoding="utf-8")
    data = json.loads(run("explain", "--problem", str(path), "--lr", "0.5", "--format", "json").output)
    assert data["lr"] == 0.5


def test_lesson_file_with_unknown_key_is_an_error(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('modle = "w*x"\n', encoding="utf-8")
    result = run("explain", "--problem", str(path))
    assert result.exit_code == 2 and "unknown key 'modle'" in result.stderr


def test_help_does_not_import_sympy():
    code = "import sys; from symback.cli import main\ntry:\n main(['--help'])\nexcept SystemExit: pass\n" \
           "assert 'sympy' not in sys.modules, 'sympy imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_usage_error_is_one_line():
    result = run("explain", "--format", "pdf")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_readme_example_is_the_real_output():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    block = re.search(r"<!-- example: symback explain -->\n```text\n(.*?)\n```", readme, re.S).group(1)
    assert block == run("explain").output.rstrip()


def test_standalone_latex_compiles_with_pdflatex(tmp_path):
    require_tools("pdflatex")
    run("explain", "--format", "latex", "--standalone", "-o", str(tmp_path / "seed.tex"))
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "seed.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "seed.pdf").exists()


def test_standalone_chinese_latex_compiles_with_xelatex(tmp_path):
    require_tools("xelatex")
    run("explain", "--format", "latex", "--standalone", "--lang", "zh", "-o", str(tmp_path / "seed.tex"))
    result = subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-shell-escape", "seed.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:]


def test_digits_round_numbers_and_mark_them():
    out = " ".join(run("explain", "--model", "tanh(w*x)", "--digits", "3").output.split())
    assert "tanh(1) ≈ 0.762" in out
    assert "= 1·1 = 1" in out  # exact results keep '='


def test_digits_leave_exact_numbers_alone():
    assert run("explain", "--digits", "5").output == run("explain").output


def test_digits_do_not_change_json():
    assert run("explain", "--format", "json", "--digits", "2").output == run("explain", "--format", "json").output


def test_digits_out_of_range_is_an_error():
    result = run("explain", "--digits", "0")
    assert result.exit_code == 2


def test_output_file_is_readable_by_others_as_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        run("explain", "-o", str(tmp_path / "a.txt"))
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_a_full_sample_explains_a_model_with_several_inputs_without_data():
    result = run("explain", "--model", "w1*x1 + w2*x2 + b", "--param", "w1=0.5", "--param", "w2=-1",
                 "--param", "b=0.1", "--sample", "x1=2,x2=3,y=1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["gradient"] == pytest.approx({"w1": -11.6, "w2": -17.4, "b": -5.8})


def test_a_partial_sample_of_a_model_with_several_inputs_names_what_is_missing():
    result = run("explain", "--model", "w1*x1 + w2*x2", "--param", "w1=1", "--param", "w2=1", "--sample", "x1=2,y=1")
    assert result.exit_code == 2
    assert "the sample has no x2" in result.stderr


def _explain_text(*args):
    from click.testing import CliRunner
    from symback.cli import cli

    result = CliRunner().invoke(cli, ["explain", *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_relu_at_its_kink_says_h0_is_0_as_pytorch_and_explains_h_once():
    out = _explain_text("--model", "relu(w*x - 1) + relu(w)", "--sample", "x=1,y=2")
    assert "= 0, the kink of relu(u): there H(0) = 0 is taken, as PyTorch does" in out
    assert out.count("H is the step function") == 1


def test_abs_at_its_kink_says_sign0_is_0_as_pytorch():
    out = _explain_text("--model", "abs(w*x - 1)", "--sample", "x=1,y=2")
    assert "the kink of |u|: there sign(0) = 0 is taken, as PyTorch does" in out


def test_no_kink_note_away_from_the_kink():
    assert "kink" not in _explain_text("--model", "relu(w*x - 1)", "--param", "w=2", "--sample", "x=1,y=2")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_standalone_without_latex_is_an_error(fmt):
    result = run("explain", "--standalone", "--format", fmt)
    assert result.exit_code == 2 and "--format latex" in result.stderr
