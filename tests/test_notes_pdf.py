"""The notes compile to PDF in English (pdflatex) and Chinese (xelatex), and say the right numbers.

Each language is compiled once per session. Without TeX these tests skip,
unless SYMBACK_REQUIRE_TEX is set (as CI does): then they fail.
"""

import subprocess

import pytest

from conftest import require_tools

from symback.errors import MissingExtra
from symback.lang import wording
from symback.notes import pdf
from symback.notes.content import notes_document
from symback.notes.latex import engine, render_notes_tex
from symback.notes.lesson import build_lesson

TITLE = r"Week 1: 50% & $x_1$ #1 {a}\ ~^ <b> |c|"



def _compile(lang, texts):
    doc = notes_document(build_lesson(texts=texts), wording(lang))
    require_tools("latexmk", engine(doc), "pdftotext")
    data, log = pdf.compile_with_log(render_notes_tex(doc), engine(doc))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return data, log, text.decode("utf-8")


@pytest.fixture(scope="module")
def english():
    return _compile("en", {"title": TITLE})


@pytest.fixture(scope="module")
def chinese():
    return _compile("zh", {})


def test_english_pdf_is_a_pdf(english):
    assert english[0].startswith(b"%PDF")


def test_english_pdf_says_1_02_and_the_prediction(english):
    text = english[2]
    assert "1.02" in text and "7.9999999999996945" in text and "x = 4" in text


def test_english_pdf_prints_the_teachers_title_literally(english):
    # (OT1 draws _ ~ ^ as rules and accents, which pdftotext reads otherwise)
    assert all(part in english[2] for part in ("Week 1: 50% & $x", "$ #1 {a}\\", "<b> |c|"))


def test_english_pdf_keeps_the_graph_on_the_first_page_by_its_text(english):
    first = english[2].split("\f")[0]
    assert "The computational graph" in first and "Figure 1" in first


def test_english_pdf_has_nothing_overfull(english):
    assert "Overfull" not in english[1]


def test_chinese_pdf_is_typeset_in_chinese(chinese):
    text = chinese[2]
    assert "反向传播" in text and "模型如何学习" in text


def test_chinese_pdf_says_1_02_and_the_prediction(chinese):
    assert "1.02" in chinese[2] and "7.9999999999996945" in chinese[2]


def test_chinese_pdf_has_nothing_overfull(chinese):
    assert "Overfull" not in chinese[1]


def test_without_tex_the_error_names_the_packages(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda tool: None)
    with pytest.raises(MissingExtra, match="texlive-latex-base.*latexmk"):
        pdf.require_tex("pdflatex")


def test_without_a_chinese_font_the_error_names_the_font_package(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda tool: "/usr/bin/" + tool)
    monkeypatch.setattr(pdf, "has_cjk_font", lambda: False)
    with pytest.raises(MissingExtra, match="fonts-wqy-microhei"):
        pdf.require_tex("xelatex")


def test_a_latex_error_is_one_line():
    require_tools("latexmk", "pdflatex")
    from symback.errors import SymbackError

    with pytest.raises(SymbackError) as failure:
        pdf.compile_pdf("\\documentclass{article}\\begin{document}\\undefinedcommand\\end{document}")
    assert "Undefined control sequence" in failure.value.message and "\n" not in failure.value.message


def test_shell_escape_is_off():
    require_tools("latexmk", "pdflatex")
    from symback.errors import SymbackError

    source = "\\documentclass{article}\\begin{document}\\immediate\\write18{touch pwned}x\\end{document}"
    _data, log = pdf._compile(source, "pdflatex", 300)  # TeX's own barrier, behind symback's source check
    assert "runsystem(touch pwned)...disabled" in log
    with pytest.raises(SymbackError):
        pdf._compile("\\documentclass{article}\\begin{document}\\input{/etc/passwd}\\end{document}", "pdflatex", 300)
