"""Errors name settings, not flags: the library says lr, the command line --lr (from the same error)."""

from click.testing import CliRunner

import pytest

from symback.cli import cli, flags
from symback.errors import SpecError, option, spelled
from symback.model.spec import problem


def test_an_error_carries_the_setting_and_the_value():
    with pytest.raises(SpecError) as caught:
        problem(lr=-1)
    assert (caught.value.option, caught.value.value) == ("lr", -1.0)


def test_the_library_names_the_setting():
    with pytest.raises(SpecError, match=r"not -1; try lr 0\.01$"):
        problem(lr=-1)


def test_the_command_line_names_the_flag():
    result = CliRunner().invoke(cli, ["explain", "--lr", "-1"])
    assert result.exit_code == 2
    assert result.output == "symback: error: the learning rate must be positive, not -1; try --lr 0.01\n"


def test_the_spelling_ends_with_the_command():
    CliRunner().invoke(cli, ["explain", "--lr", "-1"])
    assert option("lr") == "lr"


def test_the_flags_are_read_from_the_commands():
    table = flags(cli)
    assert (table["params"], table["batch_size"], table["inputs"], table["wrt"]) == (
        "--param", "--batch-size", "--input", "--wrt")


def test_a_name_two_commands_spell_differently_is_left_out():
    assert "answers" not in flags(cli)


def test_a_spelling_applies_inside_its_block_only():
    with spelled({"lr": "--learning-rate"}):
        inside = option("lr")
    assert (inside, option("lr"), option("seed")) == ("--learning-rate", "lr", "seed")
