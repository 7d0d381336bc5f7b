"""The lecture-notes samples in docs/samples/ are what the tool writes today."""

import pathlib
import sys

import pytest

DOCS = pathlib.Path(__file__).parent.parent / "docs"
sys.path.insert(0, str(DOCS))

from make_notes_samples import BESIDE, SAMPLES, write_sample  # noqa: E402

TEXT = sorted(n for n in SAMPLES if not n.endswith(".pdf"))


@pytest.mark.parametrize("name", TEXT)
def test_sample_is_current(name, tmp_path):
    for path in write_sample(name, tmp_path):
        assert (DOCS / "samples" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), \
            "run: python docs/make_notes_samples.py"


@pytest.mark.parametrize("name", sorted(n for n in SAMPLES if n.endswith(".pdf")))
def test_pdf_sample_exists(name):
    assert (DOCS / "samples" / name).read_bytes().startswith(b"%PDF")


def test_every_file_beside_a_sample_is_listed():
    written = {p.name for p in (DOCS / "samples").glob("notes-*")}
    assert written == set(SAMPLES) | {n for names in BESIDE.values() for n in names}


def test_the_python_example_of_the_guide_runs(tmp_path, monkeypatch):
    import re

    guide = (DOCS / "notes.md").read_text(encoding="utf-8")
    block = re.search(r"## From Python\n\n```python\n(.*?)```", guide, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/notes.md", "exec"), {})
    assert (tmp_path / "week3.html").exists()
