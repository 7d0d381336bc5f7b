"""Notes of a matrix model: the graph with shapes, the matrix rules, the backward pass in bmatrix, the
training curve; Markdown, HTML, LaTeX and PDF (en and zh); the command line."""

import subprocess

import pytest
from click.testing import CliRunner

from conftest import require_tools

from symback.cli import cli
from symback.lang import wording
from symback.model.tensor_spec import tensor_problem
from symback.notes import render_files
from symback.notes.blocks import Figure
from symback.notes.latex import engine, render_notes_tex
from symback.notes.matrix import build_matrix_lesson, matrix_notes_document
from symback.notes.svg import box_lines
from symback.train.tensor_run import tensor_settings

LESSON = "examples/matrix/tanh-mlp.toml"


@pytest.fixture(scope="module")
def lesson():
    problem = tensor_problem("h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2", "mse",
                             params={"W1": [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], "b1": [0, 0.1, 0],
                                     "W2": [[0.3, -0.1, 0.2]], "b2": [0.0]},
                             samples=[{"x": [1.0, 2.0], "y": [0.5]}, {"x": [-1.0, 0.5], "y": [0.1]}], lr=0.1)
    return build_matrix_lesson(problem, tensor_settings(problem, epochs=4, mode="batch"),
                               [{"x": [0.5, 0.5]}], {"title": "Two layers"})


def _files(lesson, tmp_path, name, lang="en"):
    return render_files(lesson, str(tmp_path / name), lang)


def _figure(doc, kind):
    return next(b for s in doc.sections for b in s.blocks if isinstance(b, Figure) and b.kind == kind)


def test_graph_figure_gives_every_box_its_shape(lesson):
    picture = _figure(matrix_notes_document(lesson, wording("en")), "graph").data
    lines = {box.key: box_lines(box, picture) for box in picture.boxes}
    assert lines["W1"] == ["W₁", "∈ ℝ³ˣ²"]
    assert lines["u1"] == ["u₁ = W₁x", "∈ ℝ³"]
    assert lines["x"] == ["x", "∈ ℝ²"]


def test_notes_have_the_loss_curve_of_the_training_run(lesson):
    curve = _figure(matrix_notes_document(lesson, wording("en")), "curve").data
    assert len(curve.series[0].points) == 5  # the start and four epochs


def test_latex_has_the_backward_pass_in_bmatrix_and_the_figures(lesson, tmp_path):
    tex = _files(lesson, tmp_path, "n.tex")[str(tmp_path / "n.tex")]
    assert r"\frac{\partial L}{\partial W_{1}} = \allowbreak {\delta_{u_{1}}}\,{x}^\top = \allowbreak {\begin{bmatrix}" in tex
    assert r"\begin{tikzpicture}" in tex and r"\begin{axis}" in tex


def test_markdown_has_the_rules_table_and_writes_its_figures(lesson, tmp_path):
    files = _files(lesson, tmp_path, "n.md")
    page = files[str(tmp_path / "n.md")]
    assert "| node: rule | the gradient passed down | the same, entry by entry |" in page
    assert r"\partial L/\partial {W_{1}}_{ij} = \delta _i {x}_j" in page
    assert sorted(p.rsplit("/", 1)[1] for p in files) == ["n.graph.svg", "n.loss.svg", "n.md"]


def test_full_batch_notes_update_with_the_mean_gradient(lesson, tmp_path):
    page = _files(lesson, tmp_path, "n.md")[str(tmp_path / "n.md")]
    assert "Every sample, then the mean" in page
    assert r"\tfrac{1}{{2}} \textstyle\sum_k \partial {L}_k/\partial {W_{1}}" in page
    assert "The mean loss goes from" in page


def test_html_prints_matrices_as_mathml_tables(lesson, tmp_path):
    page = _files(lesson, tmp_path, "n.html")[str(tmp_path / "n.html")]
    assert "<mtable>" in page and "<svg" in page
    assert "{a0}" not in page and "{up}" not in page


def test_chinese_notes(lesson, tmp_path):
    page = _files(lesson, tmp_path, "n.md", "zh")[str(tmp_path / "n.md")]
    assert "矩阵法则" in page and "向下传的梯度" in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_typesets(lesson, lang):
    doc = matrix_notes_document(lesson, wording(lang))
    require_tools("latexmk", engine(doc), "pdftotext")
    from symback.notes import pdf

    data = pdf.compile_pdf(render_notes_tex(doc), engine(doc))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    assert data.startswith(b"%PDF") and "1.2" in text.decode("utf-8")


def test_command_writes_matrix_notes(tmp_path):
    out = tmp_path / "mlp.md"
    result = CliRunner().invoke(cli, ["notes", "--problem", LESSON, "--epochs", "3", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Backward pass" in out.read_text(encoding="utf-8") and (tmp_path / "mlp.graph.svg").exists()


@pytest.mark.parametrize("extra, name", [([], "mlp.ipynb"), (["--slides"], "mlp.pdf"), (["--exercises", "2"], "mlp.md")])
def test_scalar_only_outputs_are_refused_in_one_line(tmp_path, extra, name):
    result = CliRunner().invoke(cli, ["notes", "--problem", LESSON, "--epochs", "1", "-o", str(tmp_path / name), *extra])
    assert result.exit_code == 2 and "matrix model" in result.stderr and "Traceback" not in result.output
