"""The notes in each format: LaTeX source, Markdown with figures, one HTML page, a notebook."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from symback.notes import notes_format, render_files, write_notes
from symback.notes.lesson import build_lesson

HOSTILE = r"50% & $x_1$ #1 {a}\ ~^ <script>alert(1)</script> | *b* [l](u) `c`"
VOID = {"meta", "br", "hr", "img", "input", "link", "path", "rect", "line", "polyline", "mprescripts", "none"}


@pytest.fixture(scope="module")
def seed():
    return build_lesson(texts={"title": "Week 1: " + HOSTILE, "question": "Q? " + HOSTILE})


@pytest.fixture(scope="module")
def html(seed):
    return render_files(seed, "notes.html")["notes.html"]


class _Tags(HTMLParser):
    """Collects tags and checks that every element that opens also closes, in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.seen, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def _parse(text):
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_the_format_follows_the_suffix():
    assert [notes_format(f"a.{s}") for s in ("tex", "PDF", "md", "html", "ipynb")] == ["tex", "pdf", "md", "html",
                                                                                       "ipynb"]


def test_an_unknown_suffix_is_an_error():
    from symback.errors import SpecError

    with pytest.raises(SpecError, match=r"\.tex, \.pdf, \.md, \.html or \.ipynb"):
        notes_format("notes.docx")


def test_html_is_well_formed(html):
    parser = _parse(html)
    assert parser.errors == [] and parser.stack == []


def test_html_has_maths_and_both_figures(html):
    tags = [t for t, _ in _parse(html).seen]
    assert tags.count("svg") == 2 + html.count('<svg class="tick"') and tags.count("math") > 50


def test_html_draws_the_tick_rather_than_trusting_a_font(html):
    assert '<svg class="tick"' in html and 'aria-label="✓"' in html and ">✓" not in html


def test_html_needs_no_network_and_runs_no_script(html):
    parser = _parse(html)
    assert "script" not in [t for t, _ in parser.seen]
    links = [v for _, attrs in parser.seen for k, v in attrs.items() if k in ("src", "href")]
    assert links == []
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)


def test_html_escapes_the_teachers_words(html):
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_says_1_02_and_the_prediction(html):
    assert "<mn>1.02</mn>" in html and "<mn>7.9999999999996945</mn>" in html


def test_html_svg_figures_are_xml(html):
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        ET.fromstring(svg)


def test_latex_escapes_the_teachers_words(seed):
    tex = render_files(seed, "n.tex")["n.tex"]
    assert r"50\% \& \$x\_1\$ \#1 \{a\}\textbackslash{} \textasciitilde{}\^{}" in tex
    assert r"\textless{}script\textgreater{}" in tex


def test_latex_draws_with_tikz_and_pgfplots(seed):
    tex = render_files(seed, "n.tex")["n.tex"]
    assert tex.count(r"\begin{tikzpicture}") == 2 and r"\begin{axis}" in tex and r"\begin{document}" in tex


def test_chinese_latex_is_for_xelatex(seed):
    assert render_files(seed, "n.tex", "zh")["n.tex"].startswith("% Compile with xelatex.")


def test_a_chinese_title_in_english_notes_needs_xelatex():
    from symback.lang import wording
    from symback.notes.content import notes_document
    from symback.notes.latex import engine

    lesson = build_lesson(texts={"title": "第一课"})
    assert engine(notes_document(lesson, wording("en"))) == "xelatex"
    assert engine(notes_document(build_lesson(), wording("en"))) == "pdflatex"


def test_markdown_links_its_figures_and_writes_them_beside(tmp_path, seed):
    written = write_notes(seed, str(tmp_path / "week 1.md"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week 1.graph.svg", "week 1.loss.svg", "week 1.md"]
    text = (tmp_path / "week 1.md").read_text(encoding="utf-8")
    assert "(week%201.graph.svg)" in text and "(week%201.loss.svg)" in text
    assert written[-1] == str(tmp_path / "week 1.md")


def test_markdown_escapes_the_teachers_words(seed):
    text = render_files(seed, "n.md")["n.md"]
    assert r"\<script\>" in text and r"\$x\_1\$" in text and r"\*b\*" in text


def test_markdown_tables_keep_bars_out_of_their_cells():
    from symback import problem

    lesson = build_lesson(problem(model="w*x", loss="abs"))
    text = render_files(lesson, "n.md")["n.md"]
    rows = [line for line in text.splitlines() if line.startswith("| ") and r"\vert" in line]
    assert rows and all(re.sub(r"\\\|", "", r).count("|") == r.count("|") for r in rows)


def test_markdown_says_1_02(seed):
    assert r"= 1.02$" in render_files(seed, "n.md")["n.md"]


def test_nothing_is_written_for_an_unknown_suffix(tmp_path, seed):
    from symback.errors import SpecError

    with pytest.raises(SpecError):
        write_notes(seed, str(tmp_path / "n.odt"))
    assert list(tmp_path.iterdir()) == []


def test_the_notebook_is_json_with_markdown_and_code(seed):
    notebook = json.loads(render_files(seed, "n.ipynb")["n.ipynb"])
    kinds = {c["cell_type"] for c in notebook["cells"]}
    assert kinds == {"markdown", "code"} and notebook["nbformat"] == 4


def test_the_notebooks_figures_are_attachments(seed):
    notebook = json.loads(render_files(seed, "n.ipynb")["n.ipynb"])
    names = [n for c in notebook["cells"] for n in c.get("attachments", {})]
    assert names == ["graph.svg", "loss.svg"]


from conftest import MODEL_IDS, MODELS, make_problem  # noqa: E402


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_model_makes_notes_in_every_text_format(row):
    from symback.train.run import Settings

    lesson = build_lesson(make_problem(row), settings=Settings(epochs=3))
    for suffix in (".tex", ".md", ".ipynb"):
        assert render_files(lesson, "n" + suffix)["n" + suffix]
    parser = _parse(render_files(lesson, "n.html")["n.html"])
    assert parser.errors == [] and parser.stack == []


def test_markdown_text_cannot_start_a_heading_or_a_new_line():
    from symback.render.markdown import escape

    assert escape("line\n# H\r\n- item\u2028x") == r"line \# H - item x"
