"""Regenerate the lecture-notes samples in docs/samples/ with the tool itself.

    python docs/make_notes_samples.py

Writes the original lesson in every format (the PDFs only where TeX is
installed), the tanh-network example as HTML, and the matrix lessons of examples/matrix.
tests/test_notes_samples.py fails when a text sample no longer matches what the tool writes.
"""

from __future__ import annotations

import pathlib
import shutil

HERE = pathlib.Path(__file__).parent / "samples"
EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"

#: file name -> symback notes arguments (the output file is added)
SAMPLES = {
    "notes-seed.tex": [],
    "notes-seed.md": [],  # with notes-seed.graph.svg and notes-seed.loss.svg beside it
    "notes-seed.html": [],
    "notes-seed.zh.html": ["--lang", "zh"],
    "notes-seed.ipynb": [],
    "notes-network.html": ["--problem", str(EXAMPLES / "tanh-network.toml")],
    "notes-seed.exercises.html": ["--exercises", "6"],
    "notes-seed.pdf": [],
    "notes-seed.zh.pdf": ["--lang", "zh"],
    "notes-seed.slides.pdf": [],
    "notes-mlp.html": ["--problem", str(EXAMPLES / "matrix" / "tanh-mlp.toml")],
    "notes-mlp.pdf": ["--problem", str(EXAMPLES / "matrix" / "tanh-mlp.toml")],
    "notes-classes.zh.pdf": ["--problem", str(EXAMPLES / "matrix" / "three-classes.toml"), "--lang", "zh"],
}
#: the files each sample writes besides itself
BESIDE = {"notes-seed.md": ["notes-seed.graph.svg", "notes-seed.loss.svg"]}


def write_sample(name: str, directory: pathlib.Path) -> list[pathlib.Path]:
    """Write one sample (and what it writes beside it) into ``directory``."""
    from click.testing import CliRunner

    from symback.cli import cli

    result = CliRunner().invoke(cli, ["notes", *SAMPLES[name], "-o", str(directory / name)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return [directory / n for n in [name] + BESIDE.get(name, [])]


def main() -> None:
    import os

    # the same PDF bytes for the same source (pdfTeX and XeTeX read these)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ.setdefault("FORCE_SOURCE_DATE", "1")
    HERE.mkdir(exist_ok=True)
    for name in SAMPLES:
        if name.endswith(".pdf") and not shutil.which("latexmk"):
            print("skipped", name, "(no TeX)")
            continue
        for path in write_sample(name, HERE):
            print("wrote", path)


if __name__ == "__main__":
    main()
