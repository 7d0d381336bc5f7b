"""Every lesson in examples/ turns into notes: explained, trained, written in each format, compiled.

The PDFs are compiled in English (pdflatex), and the widest lesson, the tanh
network, in Chinese too; nothing may overflow the page.
"""

import pathlib
import shlex
import subprocess

import pytest

from conftest import require_tools
from click.testing import CliRunner

from conftest import MODELS, make_problem
from symback.cli import cli
from symback.cli.options import build_problem, lesson_of
from symback.lang import wording
from symback.notes import render_files
from symback.notes.content import notes_document
from symback.notes.exercises import check_command
from symback.notes.latex import engine, render_notes_tex
from symback.notes.lesson import build_lesson
from symback.train.run import settings

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
LESSONS = sorted(p.name for p in EXAMPLES.glob("*.toml"))
#: what each lesson's notes must say: its prediction (the History's, to every digit)
PREDICTIONS = {
    "study-hours.toml": "7.9999999999996945",
    "linear.toml": "9.000017565457727",
    "quadratic.toml": "8.544170120967523",
    "logistic.toml": "0.6543420567718532",
    "tanh-network.toml": "0.471227604828593",
}


def lesson(name, exercises=0):
    """The Lesson of an example file, as `symback notes --problem` builds it."""
    path = str(EXAMPLES / name)
    content = lesson_of(path)
    problem = build_problem(None, None, (), None, None, path, content)
    chosen = settings(problem, epochs=content["epochs"], mode=content["mode"])
    texts = {k: content[k] for k in ("title", "question", "description") if k in content}
    return build_lesson(problem, 0, chosen, [content["predict"]], texts, exercises=exercises)


@pytest.fixture(scope="module", params=LESSONS)
def example(request):
    return request.param, lesson(request.param)


def test_there_are_the_five_lessons():
    assert set(LESSONS) == set(PREDICTIONS)


def test_the_lesson_trains_without_diverging(example):
    assert example[1].history.diverged is None


@pytest.mark.parametrize("suffix", [".tex", ".md", ".html", ".ipynb"])
def test_the_notes_hold_the_prediction(example, suffix):
    value = PREDICTIONS[example[0]]
    files = render_files(example[1], "n" + suffix)
    assert value in files["n" + suffix]


def test_the_command_line_writes_the_notes(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--problem", str(EXAMPLES / "logistic.toml"), "-o",
                                      str(tmp_path / "l.html")], catch_exceptions=False)
    assert result.exit_code == 0 and PREDICTIONS["logistic.toml"] in (tmp_path / "l.html").read_text("utf-8")



def _pdf(lesson_value, lang):
    from symback.notes.pdf import compile_with_log

    doc = notes_document(lesson_value, wording(lang))
    require_tools("latexmk", engine(doc), "pdftotext")
    data, log = compile_with_log(render_notes_tex(doc), engine(doc))
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return log, text


@pytest.fixture(scope="module", params=LESSONS)
def exercised(request):
    return lesson(request.param, exercises=6)


def test_the_exercises_answers_are_graded_right_by_symback_check(exercised):
    exercises = exercised
    commands = [check_command(exercises, e) for e in exercises.exercises if e.check]
    assert len(commands) >= 4
    for command in commands:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0 and "✓" in result.output, (command, result.output)


def test_an_exercise_asked_again_has_another_answer(exercised):
    answers = [(e.kind, e.d.loss) for e in exercised.exercises]
    assert len(set(answers)) == len(answers)


@pytest.fixture(scope="module")
def example_pdf(example):
    return _pdf(example[1], "en")


def test_the_pdf_compiles_fits_the_page_and_holds_the_prediction(example, example_pdf):
    log, text = example_pdf
    assert "Overfull" not in log
    assert PREDICTIONS[example[0]] in text


def _graph_pages(text, graph, figure, forward):
    """The pages (from 0) of section 2's heading, of Figure 1 and of section 3's heading."""
    pages = text.split("\f")
    return tuple(next(i for i, page in enumerate(pages) if words in page) for words in (graph, figure, forward))


def _graph_stays_by_its_text(graph, figure, forward):
    """On the page of its text; or, too tall for the rest of it, at the top of the next page
    while the forward pass fills this one (never a page left half empty)."""
    return figure == graph or (figure == graph + 1 and forward == graph)


def test_the_graph_figure_stays_by_its_text_in_the_pdf(example_pdf):
    text = example_pdf[1]
    pages = _graph_pages(text, "2. The computational graph", "Figure 1", "3. Forward pass")
    assert _graph_stays_by_its_text(*pages)
    assert text.index("Figure 1") < text.index("4. Backward pass")


def test_the_network_in_chinese_fits_the_page_with_the_graph_by_its_text():
    log, text = _pdf(lesson("tanh-network.toml"), "zh")
    assert "Overfull" not in log and "反向传播" in text
    assert _graph_stays_by_its_text(*_graph_pages(text, "2. 计算图", "图 1", "3. 前向传播"))


#: models whose notes stretch the page: a fan-out sum, a quotient, seven parameters, a curved update map
WIDE = ["(w*x + b)/(1 + exp(-w))", "h1 = tanh(w1*x + b1); h2 = sigmoid(w2*x + b2); y_hat = v1*h1 + v2*h2 + c",
        "exp(-(x - w)**2)", "w*x*tanh(w*x)"]


@pytest.mark.parametrize("model", WIDE)
def test_wide_notes_fit_the_page(model):
    from symback.train.run import Settings

    row = next(r for r in MODELS if r[0] == model)
    log, _text = _pdf(build_lesson(make_problem(row), settings=Settings(epochs=3)), "en")
    assert "Overfull" not in log
