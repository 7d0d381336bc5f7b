"""A printed "=" is exact: the shown arithmetic of explain, train and the notes."""

import json
from fractions import Fraction

import sympy
from click.testing import CliRunner

from symback.cli import cli
from symback.core.exact import decimal_text, evaluate, round_significant, typed

NOISY = ["--model", "w*x + b", "--param", "w=0.3", "--param", "b=-0.2", "--sample", "x=1.5,y=1.65"]
TANH = ["--problem", "examples/tanh-network.toml"]


def run(*args, code=0):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "300"}, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_decimals_print_as_python_writes_floats():
    assert [decimal_text(Fraction(n, d)) for n, d in [(196, 100), (-2, 1), (15, 10**8), (10**16, 1)]] == \
        ["1.96", "-2", "1.5e-07", "1e+16"]


def test_rounding_keeps_sixteen_significant_digits():
    assert decimal_text(round_significant(Fraction(-2, 3), 16)) == "-0.6666666666666667"


def test_a_square_of_a_decimal_is_exact():
    x = sympy.Symbol("x", real=True)
    value = evaluate(x**2, {x: typed(-1.4)}, (-1.4) ** 2)
    assert (value.exact, value.rounded, float(value)) == (Fraction(196, 100), False, 1.9599999999999997)


def test_an_irrational_value_is_rounded_and_marked():
    x = sympy.Symbol("x", real=True)
    value = evaluate(sympy.tanh(x), {x: typed(0.5)}, 0.46211715726000974)
    assert value.rounded and decimal_text(value.exact) == "0.4621171572600098"  # tanh(1/2) = 0.462117157260009758…


def test_a_rational_root_is_exact():
    x = sympy.Symbol("x", real=True)
    assert evaluate(sympy.sqrt(x), {x: typed(2.25)}, 1.5).exact == Fraction(3, 2)


def test_explain_shows_no_float_noise():
    text = " ".join(run("explain", *NOISY).split())
    assert "0.3·1.5 + (−0.2) = 0.25" in text and "(−1.4)² = 1.96" in text and "1.9599999999999997" not in text


def test_an_irrational_step_is_written_with_approx():
    line = next(x for x in run("explain", *TANH, "--mode", "sample").splitlines() if x.lstrip().startswith("h "))
    assert line.split() == ["h", "=", "tanh(u₁)", "=", "tanh(−1)", "≈", "−0.7615941559557649"]


def test_batch_sums_that_cancel_are_zero():
    lines = run("explain", *TANH, "--mode", "batch").splitlines()
    mean_b1 = next(line for line in lines if line.lstrip().startswith("∂L/∂b₁ = (1/5)"))
    assert mean_b1.endswith("= 0")


def test_the_loss_after_the_update_follows_the_rule():
    assert "goes from 1.96 to ≈ 1.71348." in run("explain", *NOISY)  # 1.713481, to six digits
    assert "goes from 49 to 18.8356." in run("explain", "--model", "w*x**2", "--sample", "x=3,y=2")


def test_json_keeps_float64_results_and_marks_approx_steps():
    payload = json.loads(run("explain", *TANH, "--mode", "sample", "--format", "json"))
    assert payload["loss"] == 0.056837346474444175
    assert any(s.get("approx") for s in payload["steps"]) and not all(s.get("approx") for s in payload["steps"])


def test_train_digits_rounds_and_marks_a_rounded_parameter():
    text = run("train", "--epochs", "3", "--digits", "4")
    assert "w ≈ 1.596" in text and "1.5959051959019805" not in text


def test_train_digits_leave_json_whole():
    payload = json.loads(run("train", "--epochs", "3", "--digits", "4", "--format", "json"))
    assert payload["final_params"]["w"] == 1.5959051959019805


def test_notes_mark_a_rounded_value_in_tables_and_equations(tmp_path):
    path = tmp_path / "n.md"
    run("notes", *TANH, "--epochs", "2", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert "| ≈ $-0.7615941559557649$ |" in text and r"\approx" in text


def test_notes_digits_round_the_shown_numbers(tmp_path):
    path = tmp_path / "n.md"
    run("notes", *TANH, "--epochs", "2", "--digits", "4", "-o", str(path))
    assert r"\approx 0.4768" in path.read_text(encoding="utf-8")


def test_verify_accepts_an_explanation(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(run("explain", *TANH, "--mode", "batch", "--format", "json"), encoding="utf-8")
    assert "claims hold" in run("verify", str(path))


def test_verify_reads_standard_input():
    payload = run("explain", "--format", "json")
    result = CliRunner().invoke(cli, ["verify", "-"], input=payload)
    assert result.exit_code == 0 and result.output.startswith("18 of 18 claims hold")


def test_verify_fails_on_a_false_claim(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"steps": [{"rule": "forward", "claim": "(-1.4)**2 = 1.9599999999999997"}]}))
    assert "✗ false: (-1.4)**2 = 1.9599999999999997" in run("verify", str(path), code=1)


def test_verify_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "e.json"
    path.write_text("not json")
    result = CliRunner().invoke(cli, ["verify", str(path)])
    assert result.exit_code == 2 and "is not JSON" in result.output


def test_verify_never_evaluates_the_claims(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"steps": [{"claim": "__import__('os') = 1"}]}))
    assert CliRunner().invoke(cli, ["verify", str(path)]).exit_code == 2


def test_check_writes_an_exact_derivative_with_equals():
    text = run("check", "--model", "w*x", "--sample", "x=1,y=2", "--answer", "2*x*(w*x - y) + 2*(w-1)", code=1)
    assert "but ∂L/∂w = −21." in text


def test_check_writes_an_irrational_derivative_with_approx():
    text = run("check", "--model", "sigmoid(w*x + b)", "--loss", "bce", "--param", "w=0.5", "--param", "b=0",
               "--sample", "x=2,y=1", "--wrt", "w", "--answer", "-x*y*(1 - sigmoid(w*x + b))", code=1)
    assert "but ∂L/∂w ≈ −0.2879290900106218." in text


def test_latex_writes_approx_in_a_sentence_as_maths():
    assert r"goes from 1.96 to $\approx$ 1.71348." in run("explain", *NOISY, "--format", "latex")


def test_a_tiny_decimal_is_printed_from_its_digits():
    """0.001**1500 = 1e-4500: the fives of its denominator are counted by squaring (once, one at a time)."""
    assert decimal_text(Fraction(1, 1000) ** 1500) == "1e-4500"
    assert decimal_text(Fraction(-3, 8 * 10**300)) == "-3.75e-301"
