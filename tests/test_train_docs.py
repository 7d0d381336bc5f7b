"""Every ```console block of docs/train.md is what `symback train` prints today.

    python tests/test_train_docs.py     # rewrite the blocks with the current output
"""

from __future__ import annotations

import pathlib
import re
import shlex

import pytest

DOCS = pathlib.Path(__file__).parent.parent / "docs"
PAGE = DOCS / "train.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]*)\n(?P<output>.*?)```", re.S)


def blocks() -> list[tuple[str, str]]:
    return [(m["command"], m["output"]) for m in BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def output_of(command: str) -> str:
    """What the terminal shows for ``command`` (stdout and stderr), run from docs/."""
    import os

    from click.testing import CliRunner

    from symback.cli import cli

    args = shlex.split(command)
    assert args[0] == "symback", command
    cwd = os.getcwd()
    os.chdir(DOCS)
    try:
        result = CliRunner().invoke(cli, args[1:], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.output


@pytest.mark.parametrize("command, output", blocks(), ids=[c for c, _ in blocks()])
def test_console_block_is_current(command, output):
    assert output_of(command) == output, "run: python tests/test_train_docs.py"


def main() -> None:
    text = PAGE.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: f"```console\n$ {m['command']}\n{output_of(m['command'])}```", text)
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
