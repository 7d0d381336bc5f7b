"""The notebook validates against nbformat and its cells run (nbclient, ipykernel)."""

import pytest

from symback.notes import render_files
from symback.notes.lesson import build_lesson

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


@pytest.fixture(scope="module")
def ran():
    """The seed lesson's notebook after running every cell once."""
    text = render_files(build_lesson(), "n.ipynb")["n.ipynb"]
    notebook = nbformat.reads(text, as_version=4)
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    return notebook


def _outputs(notebook):
    return ["".join(o.get("data", {}).get("text/plain", "") or o.get("text", "") for o in c.outputs)
            for c in notebook.cells if c.cell_type == "code"]


def test_the_notebook_validates():
    text = render_files(build_lesson(), "n.ipynb", "zh")["n.ipynb"]
    nbformat.validate(nbformat.reads(text, as_version=4))


def test_every_cell_runs_without_error(ran):
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_the_cells_find_the_first_update(ran):
    assert "({'w': -2.0}, {'w': 1.02})" in _outputs(ran)


def test_the_cells_find_the_prediction(ran):
    assert "[7.9999999999996945]" in _outputs(ran)


def test_the_cells_derive_the_update_map(ran):
    assert any("2*eta*x*y" in out or "2 η x y" in out or "2⋅η⋅x⋅y" in out for out in _outputs(ran))
