"""symback check through the command line: exit codes, text, JSON, Chinese, hostile answers."""

import json
import os

import pytest
from click.testing import CliRunner

from symback.cli import cli

LINEAR = ["--model", "w*x + b", "--param", "w=1", "--param", "b=0"]
CANARY = "/tmp/symback-check-canary-{}".format(os.getpid())


def run(*args):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def as_json(*args):
    result = run(*args, "--format", "json")
    return result, json.loads(result.stdout)


def test_right_answer_exits_0():
    result = run("--answer", "2*x*(w*x - y)")
    assert result.exit_code == 0
    assert "✓" in result.stdout


def test_wrong_answer_exits_1():
    assert run("--answer", "2*(w*x - y)").exit_code == 1


def test_wrong_answer_is_diagnosed_in_words():
    out = run("--answer", "2*(w*x - y)").stdout
    assert "missing inner derivative" in out
    assert "∂ŷ/∂w = x" in out


def test_wrong_answer_shows_values_side_by_side():
    out = run("--answer", "-2*x*(w*x - y)").stdout
    assert "your answer   2" in out and "expected      −2" in out


def test_coincidence_at_the_sample_is_pointed_out():
    assert "by coincidence" in run("--answer", "2*(w*x - y)").stdout


def test_wrong_answer_shows_the_correct_derivation():
    out = run("--answer", "x*(w*x - y)").stdout
    assert "∂L/∂w = ∂L/∂r·∂r/∂ŷ·∂ŷ/∂w" in out
    assert "= 2r · 1 · x" in out


def test_unexplained_answer_says_so_and_shows_the_derivation():
    result = run("--answer", "sin(x)")
    assert result.exit_code == 1
    assert "none of the common mistakes" in result.stdout
    assert "2x(w·x − y)" in result.stdout


def test_json_has_the_contract_fields():
    result, data = as_json("--answer", "2*(w*x - y)")
    assert result.exit_code == 1
    assert data["correct"] is False
    assert data["diagnosis"]["kind"] == "missing_inner_derivative"
    assert data["expected"] == "2*x*(w*x - y)"
    assert data["answer"] == "2*w*x - 2*y"


def test_json_for_a_right_answer():
    result, data = as_json("--answer", "2*r*x")
    assert result.exit_code == 0
    assert data["correct"] is True and data["diagnosis"] is None


def test_json_values_are_plain_numbers():
    _, data = as_json("--answer", "2*(w*x - y)")
    assert data["values"] == {"answer": -2.0, "expected": -2.0}
    assert data["differs_at"]["answer"] != data["differs_at"]["expected"]


def test_json_points_to_the_step():
    _, data = as_json("--answer", "2*x*(w*x - y)**2")
    assert data["diagnosis"]["step"] == {"of": "L", "wrt": "r", "local": "2*r", "rule": "power"}


def test_chinese_wording():
    result = run("--answer", "2*(w*x - y)", "--lang", "zh")
    assert result.exit_code == 1
    assert "不正确" in result.stdout and "漏了内层导数" in result.stdout


def test_chinese_json_message():
    _, data = as_json("--answer", "2*x*(w*x - y)", "--lang", "zh")
    assert data["message"] == "✓ 正确。"


def test_wrt_picks_the_parameter():
    assert run(*LINEAR, "--wrt", "b", "--answer", "2*r").exit_code == 0


def test_several_parameters_need_wrt():
    result = run(*LINEAR, "--answer", "2*r")
    assert result.exit_code == 2
    assert "--wrt" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_wrt_is_an_error():
    result = run("--wrt", "q", "--answer", "2*x")
    assert result.exit_code == 2 and "not a parameter or node" in result.stderr


def test_step_option():
    assert run("--step", "dL/dr = 2*r").exit_code == 0


def test_steps_are_checked_line_by_line():
    result, data = as_json("--step", "dL/dr = 2*r", "--step", "dr/dy_hat = -1")
    assert result.exit_code == 1
    assert data["correct"] is False
    assert [c["correct"] for c in data["checks"]] == [True, False]


def test_answer_and_steps_together():
    result = run("--answer", "2*r*x", "--step", "dL/dr = 2*r")
    assert result.exit_code == 0 and result.stdout.count("✓") == 2


def test_sample_option_sets_the_values():
    result, data = as_json("--answer", "2*x*(w*x - y)", "--sample", "x=2,y=4")
    assert data["values"]["expected"] == -8.0


def test_output_file(tmp_path):
    target = tmp_path / "grade.json"
    result = run("--answer", "2*r*x", "--format", "json", "-o", str(target))
    assert result.exit_code == 0 and json.loads(target.read_text())["correct"] is True


def test_nothing_to_check_is_a_usage_error():
    result = run()
    assert result.exit_code == 2 and "--answer" in result.stderr


def test_wrt_without_answer_is_a_usage_error():
    assert run("--wrt", "w", "--step", "dL/dr = 2*r").exit_code == 2


HOSTILE = [
    f"__import__('os').system('touch {CANARY}')",
    f"exec('open(\"{CANARY}\", \"w\")')",
    "x.__class__",
    "(lambda: x)()",
    "[x for x in y]",
    "f'{x}'",
    "'x'*2",
    "x if y else w",
    "x[0]",
    "9**9**9**9",
    "exp(" * 60 + "x" + ")" * 60,
    "x+" * 3000 + "x",
    "2x",
    "2*x*(w*x - y",
    "",
    "   ",
    "gamma(x)",
    "z*x",
    "1/0",
    "x = 2",
]


@pytest.mark.parametrize("answer", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answer_is_one_clear_line(answer):
    result = run("--answer", answer)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symback: error:")
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("step", [f"dL/dr = __import__('os').system('touch {CANARY}')", "dL/dr", "dq/dr = 1"])
def test_hostile_step_is_one_clear_line(step):
    result = run("--step", step)
    assert result.exit_code == 2 and result.stderr.startswith("symback: error:")


def test_injected_code_never_ran():
    for answer in HOSTILE[:2]:
        run("--answer", answer)
    run("--step", f"dL/dr = __import__('os').system('touch {CANARY}')")
    assert not os.path.exists(CANARY)


def test_every_check_sentence_exists_in_both_languages():
    from symback.lang import wording

    en = {k for k in wording("en").keys() if k.startswith("check.")}
    zh = {k for k in wording("zh").keys() if k.startswith("check.")}
    assert en == zh and len(en) > 40


def test_a_number_answer_does_not_give_the_formula_away():
    out = " ".join(run("--answer", "-2").stdout.split())  # a sentence may wrap to fit the terminal
    assert "a number is not a derivation" in out and "write ∂L/∂w as an expression in w, x, y" in out
    assert "w·x − y" not in out and "The correct derivation" not in out


def test_the_answer_is_shown_as_written():
    assert "your answer   2*(w*x - y)" in run("--answer", "2*(w*x - y)").stdout


def test_a_repeated_answer_is_an_error():
    result = run("--answer", "1", "--answer", "2")
    assert result.exit_code == 2 and "--answer is given more than once" in result.output


def test_a_number_for_a_step_asks_for_the_graphs_names_too():
    out = " ".join(run("--step", "dL/dr = -2").stdout.split())  # a sentence may wrap to fit the terminal
    assert "write ∂L/∂r as an expression in w, x, y, y_hat, r" in out
