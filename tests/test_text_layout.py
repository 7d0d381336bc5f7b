"""Text output fits the terminal: long equations wrap at a relation or an operator, outliers pad nothing."""

import os
import re

import pytest
from click.testing import CliRunner

from symback.cli import cli
from symback.render.wrap import terminal_width, width, wrap_math, wrap_words

FANOUT = ["--model", "exp(w*x)/(1+w) + sqrt(w)*sin(x) + log(w) + abs(w-2)", "--param", "w=0.5"]


def explain(*args, columns=None):
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(cli, ["explain", *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.output.splitlines()


@pytest.mark.parametrize("columns", [100, 72, 60])
def test_every_line_fits_the_terminal(columns):
    assert max(width(line) for line in explain(*FANOUT, columns=columns)) <= columns


def test_chinese_fits_the_terminal_counting_wide_characters():
    assert max(width(line) for line in explain("--lang", "zh", columns=50)) <= 50


def test_width_is_100_when_not_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(os, "get_terminal_size", lambda *a: (_ for _ in ()).throw(OSError("not a terminal")))
    assert terminal_width() == 100


def test_columns_sets_the_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "73")
    assert terminal_width() == 73


def test_a_file_gets_the_default_width_whatever_the_terminal(tmp_path):
    path = tmp_path / "out.txt"
    CliRunner().invoke(cli, ["explain", *FANOUT, "-o", str(path)], env={"COLUMNS": "50"}, catch_exceptions=False)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 50 < max(map(width, lines)) <= 100


def test_one_long_row_pads_no_other_row():
    lines = explain(*FANOUT, columns=100)
    short = next(line for line in lines if line.lstrip().startswith("u₃ = w·x"))
    assert width(short.rstrip()) < 50, short  # the long ŷ row does not push the other rows' columns


def test_a_long_chain_continues_under_its_first_relation():
    lines = explain(*FANOUT, columns=100)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("at w"))
    first, second = lines[at], lines[at + 1]
    assert "+ (−0.7342" in second or second.lstrip().startswith(("+", "="))
    relation = next(i for i, ch in enumerate(first) if ch in "=≈")  # ≈ before a rounded number
    assert relation <= len(second) - len(second.lstrip())  # a hanging indent


def test_a_sum_breaks_before_its_sign_outside_parentheses():
    assert wrap_math("(a + b)·c + d + e", 12, 12) == ["(a + b)·c", "+ d + e"]


def test_a_relation_is_the_preferred_break():
    assert wrap_math("a + b = c + d", 10, 10) == ["a + b", "= c + d"]


def test_a_piece_without_a_break_stays_whole():
    assert wrap_math("0.12345678901234567", 5, 5) == ["0.12345678901234567"]


def test_chinese_punctuation_never_starts_a_line():
    lines = wrap_words("从损失回到参数：把从上游传来的梯度乘以局部导数。", 10)
    assert all(width(line) <= 10 for line in lines) and not any(line.startswith("。") for line in lines)


def test_a_wide_batch_table_splits_into_column_groups_with_rules_as_wide_as_columns():
    lines = explain("--problem", "examples/tanh-network.toml", "--mode", "batch", columns=90)
    rules = [i for i, line in enumerate(lines) if re.fullmatch(r"  ─[─ ]*", line)]
    assert len(rules) >= 2  # the table did not fit in 90 columns, so it comes in groups
    for i in rules:
        header, rule, body = lines[i - 1], lines[i], lines[i + 1:i + 6]
        segments = [len(m.group()) for m in re.finditer("─+", rule)]
        cells = [re.split(r"\s{2,}", row.strip()) for row in [header, *body]]
        assert segments == [max(width(row[j]) for row in cells) for j in range(len(segments))]


def test_a_product_of_brackets_breaks_before_its_dot():
    assert wrap_math("2v(1 − t²)·(c + v·t − y)·x", 12, 20) == ["2v(1 − t²)", "·(c + v·t − y)·x"]


def test_the_train_reports_sentences_fit_the_terminal():
    result = CliRunner().invoke(cli, ["train", "--model", "exp(w*x)", "--lr", "1"], env={"COLUMNS": "60"})
    sentences = [line for line in result.stdout.splitlines() if not re.match(r"(epoch|\d)", line)]
    assert len(sentences) > 6 and max(map(width, sentences)) <= 60
    assert any(line.startswith("  ") for line in sentences)  # a continued sentence hangs under its start


def test_the_check_reports_sentences_fit_the_terminal():
    result = CliRunner().invoke(cli, ["check", "--answer", "2*(w*x - y)"], env={"COLUMNS": "70"})
    assert result.exit_code == 1 and max(map(width, result.stdout.splitlines())) <= 70
