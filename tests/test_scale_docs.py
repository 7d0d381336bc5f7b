"""docs/scale.md is current: its console blocks are what symback prints, its data file is what it says.

    python tests/test_scale_docs.py     # rewrite the blocks with the current output
"""

from __future__ import annotations

import pathlib

import pytest
from test_train_docs import BLOCK, output_of

PAGE = pathlib.Path(__file__).parent.parent / "docs" / "scale.md"


def blocks() -> list[tuple[str, str]]:
    return [(m["command"], m["output"]) for m in BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("command, output", blocks(), ids=[c[:60] for c, _ in blocks()])
def test_console_block_is_current(command, output):
    assert output_of(command) == output, "run: python tests/test_scale_docs.py"


def test_the_data_file_is_made_as_the_page_says(tmp_path):
    np = pytest.importorskip("numpy")
    text = PAGE.read_text(encoding="utf-8")
    snippet = text.split("```python\n", 2)[2].split("```", 1)[0]  # the second Python block makes line.npz
    snippet = "\n".join(line[2:] for line in snippet.splitlines())  # indented inside a list item
    exec(snippet.replace('"line.npz"', repr(str(tmp_path / "line.npz"))), {})  # noqa: S102 - our own docs
    made, committed = np.load(tmp_path / "line.npz"), np.load(PAGE.parent / "data" / "line.npz")
    assert made.files == committed.files == ["x", "y"]
    assert all(np.array_equal(made[k], committed[k]) for k in made.files)


def main() -> None:
    text = PAGE.read_text(encoding="utf-8")
    text = BLOCK.sub(lambda m: f"```console\n$ {m['command']}\n{output_of(m['command'])}```", text)
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
