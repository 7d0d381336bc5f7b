"""Lecture notes: one lesson about a problem, as LaTeX/PDF, Markdown, HTML or a notebook.

    from symback.notes import build_lesson, write_notes
    lesson = build_lesson()                      # the original lesson, trained
    write_notes(lesson, "lesson.html", "en")     # or .tex .pdf .md .ipynb

:func:`build_lesson` computes everything once (Derivation, History,
predictions, the update-map analysis); :func:`notes_document` decides what
the notes say; each format prints that Document. Heavy work (TeX) happens
only for .pdf.
"""

from __future__ import annotations

import os

from ..errors import SpecError

#: the first line of every figure file written beside a .md: such a file may be replaced by the next run
FIGURE_MARK = "<!-- a figure of symback notes -->\n"

#: file suffix -> format
SUFFIXES = {".tex": "tex", ".pdf": "pdf", ".md": "md", ".html": "html", ".ipynb": "ipynb"}


def notes_format(path: str) -> str:
    """The format a file name asks for; a SpecError names the choices."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUFFIXES:
        raise SpecError(f"notes are written as .tex, .pdf, .md, .html or .ipynb; '{os.path.basename(path)}' "
                        "ends in none of these")
    return SUFFIXES[suffix]


def wants_slides(path: str, slides: bool = False) -> bool:
    """Slides for ``--slides``, or a name ending in .slides.pdf or .slides.tex; only as .tex or .pdf."""
    name = os.path.basename(path).lower()
    slides = slides or name.endswith((".slides.pdf", ".slides.tex"))
    if slides and notes_format(path) not in ("tex", "pdf"):
        raise SpecError(f"slides are written as .tex or .pdf, not '{os.path.basename(path)}'")
    return slides


def check_interactive(path: str, interactive: bool) -> None:
    """The interactive page is HTML."""
    if interactive and notes_format(path) != "html":
        raise SpecError(f"the interactive page is written as .html, not '{os.path.basename(path)}'")


def render_files(lesson, path: str, lang: str = "en", slides: bool = False,
                 interactive: bool = False, answers: str | None = None) -> dict[str, str | bytes]:
    """{file path: content} for the notes at ``path``: the file, and the SVG figures beside a .md.

    ``slides`` (or a name ending in .slides.pdf/.slides.tex): a beamer deck instead of the notes;
    ``interactive`` (.html only): the page with the step-through of the sample;
    ``answers``: the exercises' answer key goes to this file (any notes format), not at the end."""
    from ..lang import wording
    from .content import answers_document, notes_document

    notes_format(path)
    words = wording(lang)
    if getattr(lesson, "is_tensor", False):
        return _matrix_files(lesson, words, path, slides, interactive, answers)
    doc = notes_document(lesson, words, answers_apart=answers is not None)
    files = _notes_files(doc, lesson, words, path, slides, interactive)
    if answers is not None:
        notes_format(answers)
        files = {**_document_files(answers_document(lesson, words), lesson, words, answers), **files}
    return files


def _matrix_files(lesson, words, path: str, slides: bool, interactive: bool, answers) -> dict:
    """The notes of a matrix model: .tex, .pdf, .md or .html (the other outputs are scalar lessons')."""
    from .matrix import matrix_notes_document

    asked = [what for what, given in (("slides", wants_slides(path, slides)), ("an interactive page", interactive),
                                      ("exercises", answers is not None),
                                      ("a notebook", notes_format(path) == "ipynb")) if given]
    if asked:
        raise SpecError(f"the notes of a matrix model are written as .tex, .pdf, .md or .html, without {asked[0]}")
    return _document_files(matrix_notes_document(lesson, words), lesson, words, path)


def _notes_files(doc, lesson, words, path: str, slides: bool, interactive: bool) -> dict:
    fmt = notes_format(path)
    if wants_slides(path, slides):
        from .latex import engine
        from .slides import render_slides_tex

        tex = render_slides_tex(lesson, words, engine(doc), doc.title)
        if fmt == "tex":
            return {path: tex}
        from .pdf import compile_pdf

        return {path: compile_pdf(tex, engine(doc))}
    check_interactive(path, interactive)
    if fmt == "html" and interactive:
        from .interactive import render_interactive_html

        return {path: render_interactive_html(doc, lesson, words)}
    return _document_files(doc, lesson, words, path)


def _document_files(doc, lesson, words, path: str) -> dict:
    """The Document in the format ``path`` names (a .md with its figures beside it)."""
    fmt = notes_format(path)
    if fmt in ("tex", "pdf"):
        from .latex import engine, render_notes_tex

        tex = render_notes_tex(doc)
        if fmt == "tex":
            return {path: tex}
        from .pdf import compile_pdf

        return {path: compile_pdf(tex, engine(doc))}
    if fmt == "html":
        from .html import render_notes_html

        return {path: render_notes_html(doc)}
    if fmt == "ipynb":
        from .notebook import render_notebook

        return {path: render_notebook(doc, lesson, words)}
    return _markdown_files(doc, path)


def _markdown_files(doc, path: str) -> dict:
    from .blocks import Figure
    from .markdown import figure_files, render_notes_markdown
    from .svg import figure_svg

    directory, stem = os.path.split(path)
    stem = os.path.splitext(stem)[0]
    names = figure_files(doc, stem)
    files = {}
    for block in doc.blocks(Figure):
        name = os.path.join(directory, names[block.name])
        _refuse_foreign(name, path)
        files[name] = FIGURE_MARK + figure_svg(block)
    files[path] = render_notes_markdown(doc, stem)  # last: the page appears once its figures are there
    return files


def _refuse_foreign(name: str, path: str) -> None:
    """A figure file replaces only a figure symback wrote (it starts with FIGURE_MARK), never another file."""
    import stat

    try:
        regular = stat.S_ISREG(os.stat(name).st_mode)  # never open a pipe to read it: that would wait
    except FileNotFoundError:
        return
    except OSError:
        regular = False
    head = b""
    if regular:
        try:
            with open(name, "rb") as handle:
                head = handle.read(len(FIGURE_MARK))
        except OSError:
            pass
    if head != FIGURE_MARK.encode():
        raise SpecError(f"{name} exists and symback did not write it; the figures of {path} would replace it: "
                        "move it or choose another name for the notes")


def write_notes(lesson, path: str, lang: str = "en", slides: bool = False, interactive: bool = False,
                answers: str | None = None) -> list[str]:
    """Write the notes (all files or none, each atomically); return the paths written."""
    from ..io import write_files

    files = render_files(lesson, path, lang, slides, interactive, answers)
    write_files(files)
    return list(files)


def __getattr__(name):
    if name == "build_lesson":
        from .lesson import build_lesson

        return build_lesson
    if name == "notes_document":
        from .content import notes_document

        return notes_document
    raise AttributeError(name)


__all__ = ["build_lesson", "notes_document", "render_files", "write_notes", "notes_format", "SUFFIXES"]
