"""docs/cli.md names every option each command has."""

import pathlib
import re

import pytest

from symback.cli import cli

PAGE = (pathlib.Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")


def _section(name: str) -> str:
    match = re.search(rf"## symback {name}\n(.*?)(\n## |\Z)", PAGE, re.S)
    assert match, f"docs/cli.md has no section for symback {name}"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_is_documented(name):
    text = _section(name) + _section_problem()
    command = cli.commands[name]
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in text, f"{opt} of symback {name} is missing from docs/cli.md"


def _section_problem() -> str:
    return re.search(r"## Problem options.*?(?=\n## )", PAGE, re.S).group(0)
