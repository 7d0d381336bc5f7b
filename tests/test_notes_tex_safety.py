"""TeX in depth: what user text becomes in the source, which engine compiles it, what TeX may read,
and that a stopped compile leaves nothing behind."""

import dataclasses
import functools
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner
from sympy import Symbol
from sympy.printing.latex import modifier_dict, other_symbols

from conftest import require_tools

from symback.cli import cli
from symback.errors import SymbackError
from symback.lang import wording
from symback.notes import pdf
from symback.notes.content import notes_document
from symback.notes.latex import PDFLATEX_RANGES, engine, escape, render_notes_tex
from symback.notes.lesson import build_lesson
from symback.render.printers import tex, unicode

#: a name for every modifier SymPy's LaTeX printer knows, greek with modifiers, its named symbols, nestings
NAMES = (["x" + m for m in modifier_dict] + ["alpha" + m for m in ("hat", "scr", "bm", "abs")]
         + sorted(other_symbols) + ["wabshat", "wscr_1", "w_scr", "whatscr"])
SPECIALS = "%\\{}$#&_^~"


@functools.lru_cache(maxsize=None)
def _plain_doc(lang):
    return notes_document(build_lesson(), wording(lang))


def _doc(title="Notes", lang="en"):
    return dataclasses.replace(_plain_doc(lang), title=title)


@pytest.mark.parametrize("ch", list(SPECIALS))
def test_a_special_character_under_a_macron_is_escaped(ch):
    assert escape(ch + "\u0304") == r"\={" + escape(ch) + "}"


def test_a_letter_under_a_macron_is_maths():
    assert escape("K\u0304") == r"$\bar{K}$"


def test_control_characters_leave_the_source():
    assert escape("a\x00b\x07c\x1bd\ne") == "abcd e"


def test_a_lesson_title_with_a_control_character_is_refused(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('title = "Week\\u0007 1"\n')
    result = CliRunner().invoke(cli, ["notes", "--problem", str(lesson), "-o", str(tmp_path / "n.tex")])
    assert result.exit_code == 2 and "U+0007" in result.output and "title" in result.output
    assert not (tmp_path / "n.tex").exists()


def test_a_description_may_have_line_breaks(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('description = """First line.\n\tSecond line."""\n')
    result = CliRunner().invoke(cli, ["notes", "--problem", str(lesson), "-o", str(tmp_path / "n.tex"),
                                      "--epochs", "2"])
    assert result.exit_code == 0, result.output


def _pdflatex_chars():
    return [chr(c) for start, end in PDFLATEX_RANGES for c in range(start, end + 1)]


def test_latin_extended_b_picks_an_engine_that_has_it():
    chosen = {chr(c): engine(_doc("Week " + chr(c))) for c in range(0x180, 0x250)}
    assert {ch for ch, e in chosen.items() if e == "pdflatex"} == set(_pdflatex_chars()) & set(chosen)
    assert chosen["ƀ"] == chosen["ɏ"] == "xelatex"


def test_every_character_given_to_pdflatex_compiles_with_it():
    """The table of characters pdflatex sets is checked by setting them all in a title."""
    doc = _doc("Title " + "".join(_pdflatex_chars()))
    require_tools("latexmk", "pdflatex")
    assert engine(doc) == "pdflatex"
    data, log = pdf.compile_with_log(render_notes_tex(doc), "pdflatex")
    assert data.startswith(b"%PDF") and "not set up for use" not in log


def test_a_title_beyond_pdflatex_compiles_with_xelatex():
    doc = _doc("Ǎ ƀ ɏ " + SPECIALS + "\u0304" + "%\u0304")
    require_tools("latexmk", "xelatex")
    assert engine(doc) == "xelatex"
    assert pdf.compile_pdf(render_notes_tex(doc), "xelatex").startswith(b"%PDF")


@pytest.mark.parametrize("name", NAMES)
def test_names_print_without_undefined_commands(name):
    assert r"\mathscr" not in tex(Symbol(name)) and r"\bm{" not in tex(Symbol(name))


@pytest.mark.parametrize("name", ["wabs", "wmag", "wnorm", "wavg", "wabs_1", "wabshat"])
def test_a_name_is_not_shown_as_an_operation(name):
    assert "|" not in unicode(Symbol(name)) + tex(Symbol(name)) and "‖" not in unicode(Symbol(name))


def _model_with_every_name():
    return " + ".join(f"{n}*x" for n in NAMES), [f"{n}=0.01" for n in NAMES]


def test_every_modifier_name_compiles_in_the_notes(tmp_path):
    model, params = _model_with_every_name()
    require_tools("latexmk", "pdflatex")
    args = ["notes", "--model", model, "--epochs", "2", "-o", str(tmp_path / "n.pdf")]
    result = CliRunner().invoke(cli, args + [a for p in params for a in ("--param", p)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")


def test_every_modifier_name_compiles_standalone(tmp_path):
    model, params = _model_with_every_name()
    require_tools("pdflatex")
    args = ["explain", "--model", model, "--format", "latex", "--standalone", "-o", str(tmp_path / "e.tex")]
    assert CliRunner().invoke(cli, args + [a for p in params for a in ("--param", p)]).exit_code == 0
    run = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "e.tex"],
                         cwd=tmp_path, capture_output=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]


@pytest.mark.parametrize("command", pdf.FILE_COMMANDS)
def test_a_source_with_a_file_command_is_refused(command):
    with pytest.raises(SymbackError, match="not compiled"):
        pdf.check_source("\\documentclass{article}\\begin{document}\\" + command + " {/etc/passwd}\\end{document}")


def test_a_refused_source_never_reaches_tex(monkeypatch):
    monkeypatch.setattr(pdf, "require_tex", lambda engine: None)
    monkeypatch.setattr(pdf, "_run", lambda *args: pytest.fail("TeX was run"))
    with pytest.raises(SymbackError, match="not compiled"):
        pdf.compile_pdf("\\documentclass{article}\\begin{document}\\pdfobj stream file {/etc/passwd}\\end{document}")


def test_a_source_spelling_a_command_with_carets_is_not_compiled():
    with pytest.raises(SymbackError, match="not compiled"):
        pdf.check_source(r"\documentclass{article}\begin{document}\^^69nput{/etc/passwd}\end{document}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_notes_pass_the_source_check(lang):
    pdf.check_source(render_notes_tex(_doc(r"50% & $x$ \input{x} ^^69" + SPECIALS, lang)))


def test_tex_gets_a_minimal_environment(monkeypatch):
    seen = {}

    def fake_run(command, cwd, env, timeout):
        seen.update(env)
        return 1, ""

    monkeypatch.setenv("TEXINPUTS", "/etc//:")
    monkeypatch.setenv("SYMBACK_SECRET", "x")
    monkeypatch.setattr(pdf, "_run", fake_run)
    monkeypatch.setattr(pdf, "require_tex", lambda engine: None)
    with pytest.raises(SymbackError):
        pdf.compile_pdf("\\documentclass{article}\\begin{document}x\\end{document}")
    assert "TEXINPUTS" not in seen and "SYMBACK_SECRET" not in seen
    assert seen["openin_any"] == "p" and seen["openout_any"] == "p" and "PATH" in seen


def test_sigterm_during_a_compile_leaves_no_temporary_folder(tmp_path):
    require_tools("latexmk", "pdflatex")
    script = textwrap.dedent("""
        from symback.notes.pdf import compile_pdf
        compile_pdf(r"\\documentclass{article}\\begin{document}\\def\\x{\\x}\\x\\end{document}", timeout=120)
    """)
    env = dict(os.environ, TMPDIR=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("symback-notes-*/notes.log")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob("symback-notes-*")), "the compile did not start"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(tmp_path.glob("symback-notes-*")) == []
