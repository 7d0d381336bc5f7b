"""docs/check.md shows what symback check prints today."""

import pathlib
import re
import shlex

import pytest
from click.testing import CliRunner

from symback.cli import cli

PAGE = pathlib.Path(__file__).parent.parent / "docs" / "check.md"
#: a ```sh block holding one symback check command, then a ```text block with its output
PAIR = re.compile(r"```sh\n(symback check [^\n]*)\n```\n\n```text\n(.*?)```", re.S)
EXAMPLES = PAIR.findall(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("command, shown", EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_example_output_is_current(command, shown):
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.output == shown, "regenerate the output block in docs/check.md"
