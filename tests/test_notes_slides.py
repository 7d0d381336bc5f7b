"""symback notes --slides: a beamer deck, one idea per frame, the backward pass one edge per overlay.

The decks compile once per language per session (pdflatex, xelatex); without TeX these tests skip
unless SYMBACK_REQUIRE_TEX is set (as CI does).
"""

import subprocess

import pytest
from click.testing import CliRunner

from conftest import require_tools

from symback import problem
from symback.cli import cli
from symback.lang import wording
from symback.notes import pdf, render_files
from symback.notes.lesson import build_lesson
from symback.notes.slides import backward_steps, render_slides_tex

TITLE = r"Week 1: 50% & $x_1$ #1 {a}\ ~^ <b> |c|"


@pytest.fixture(scope="module")
def seed():
    return build_lesson(texts={"title": TITLE})


@pytest.fixture(scope="module")
def tex(seed):
    return render_slides_tex(seed, wording("en"))


def _compile(lesson, lang):
    source = render_slides_tex(lesson, wording(lang), "xelatex" if lang == "zh" else "pdflatex")
    engine = "xelatex" if lang == "zh" else "pdflatex"
    require_tools("latexmk", engine, "pdftotext", "pdftoppm")
    data, log = pdf.compile_with_log(source, engine)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return data, log, text.decode("utf-8")


@pytest.fixture(scope="module")
def english(seed):
    return _compile(seed, "en")


@pytest.fixture(scope="module")
def chinese():
    return _compile(build_lesson(), "zh")


def test_the_deck_is_beamer_with_one_frame_per_idea(tex):
    assert "\\documentclass[aspectratio=169,11pt]{beamer}" in tex
    # title, question, model, graph, forward, backward, update, PyTorch (the program on two frames, what it
    # prints, the first epoch), curve, learned
    assert tex.count("\\begin{frame}") == 13


def test_the_pytorch_frames_show_the_program_and_what_it_prints(english):
    text = english[2]
    assert "l.backward()" in text and "w.grad.zero" in text and "grad: 2.0 4.0 -7.84" in text  # (OT1 draws _ as a rule)


def test_the_backward_pass_has_one_step_per_edge_after_the_seed(seed):
    steps = backward_steps(seed.derivation, wording("en"))
    assert [str(node) for node, *_ in steps] == ["L", "r", "y_hat", "w"]


def test_a_node_used_twice_gets_a_step_that_adds_its_contributions():
    lesson = build_lesson(problem("w*x + w**2"))
    steps = backward_steps(lesson.derivation, wording("en"))
    adds = [s for s in steps if len(s[1]) == 2]
    assert len(adds) == 1 and str(adds[0][0]) == "w"


def test_each_step_is_an_overlay_with_its_strong_edge_and_equation(tex):
    assert all(f"\\only<{k}>{{" in tex for k in range(1, 5)) and "\\only<5>" not in tex
    assert "onslide={<2>{gradcol" in tex and "{\\uncover<4->{\\textcolor{gradcol}{grad $-2$}}}" in tex


def test_the_slides_escape_the_teachers_title(tex):
    assert r"\title{Week 1: 50\% \& \$x\_1\$ \#1 \{a\}\textbackslash{}" in tex


def test_english_slides_compile_and_say_the_numbers(english):
    text = english[2]
    assert english[0].startswith(b"%PDF") and "1.02" in text and "7.9999999999996945" in text
    assert "power rule" in text and "Week 1: 50% & $x" in text


def test_english_slides_have_nothing_overfull(english):
    assert "Overfull" not in english[1]


def _red_pixels(english, page, tmp_path):
    from PIL import Image

    (tmp_path / "deck.pdf").write_bytes(english[0])
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), str(tmp_path / "deck.pdf"),
                    str(tmp_path / f"frame{page}")], check=True)
    import numpy

    rgb = numpy.asarray(Image.open(next(tmp_path.glob(f"frame{page}*.png"))).convert("RGB")).astype(int)
    return int(((rgb[..., 0] > 140) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)).sum())  # gradcol, B3261E


def test_the_backward_overlays_draw_the_current_edge_strong(english, tmp_path):
    pages = english[2].split("\f")
    seed = next(i for i, p in enumerate(pages, start=1) if "respect to itself" in p)
    assert "power rule" in pages[seed]  # the next overlay: the edge into L, drawn strong
    assert _red_pixels(english, seed + 1, tmp_path) > _red_pixels(english, seed, tmp_path) + 40


def test_chinese_slides_compile_in_chinese(chinese):
    assert "反向传播" in chinese[2] and "1.02" in chinese[2] and "Overfull" not in chinese[1]


def test_a_name_ending_in_slides_tex_writes_the_deck(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "-o", str(tmp_path / "l.slides.tex")])
    assert result.exit_code == 0 and "{beamer}" in (tmp_path / "l.slides.tex").read_text(encoding="utf-8")


def test_the_slides_flag_writes_the_deck_under_any_tex_name(seed):
    assert "{beamer}" in render_files(seed, "deck.tex", slides=True)["deck.tex"]


def test_slides_as_html_are_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--slides", "-o", str(tmp_path / "l.html")])
    assert result.exit_code == 2 and "slides are written as .tex or .pdf" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _example_lesson(name):
    import os

    from symback.cli.options import build_problem, lesson_of
    from symback.train.run import settings

    path = os.path.join(os.path.dirname(__file__), "..", "examples", name)
    content = lesson_of(path)
    p = build_problem(None, None, (), None, None, path, content)
    return build_lesson(p, 0, settings(p, epochs=20, mode=content["mode"]), [content["predict"]])


@pytest.mark.parametrize("name", ["logistic.toml", "tanh-network.toml"])
def test_the_examples_slides_fit_their_frames(name):
    log = _compile(_example_lesson(name), "en")[1]
    assert "Overfull" not in log
