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


CAPPED_MAP_CELL = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (1200 * 2**20, 1200 * 2**20))
from symback import explain, problem
from symback.notes.notebook import MAP_CODE
d = explain(problem(model="w*((x-2)**20+1)**20", data=(["x", "y"], [[2, 1], [2.1, 2]])))
namespace = {"d": d}
exec(compile(MAP_CODE, "cell", "exec").replace(co_filename="cell"), namespace)  # the cell, then its last line
print(eval(MAP_CODE.splitlines()[-1], namespace)[0] is not None)
"""


def test_the_map_cell_is_bounded_on_a_power_of_a_sum():
    """Unbounded, expand of this 20th power of a 20th power asks for gigabytes; the cell stays under 1.2 GB."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1])] + sys.path))
    done = subprocess.run([sys.executable, "-c", CAPPED_MAP_CELL], capture_output=True, text=True,
                          timeout=300, env=env)
    assert (done.returncode, done.stdout.strip()) == (0, "True"), done.stderr[-2000:]
