"""The formats a Document is printed in, by name (symback explain --format)."""

from __future__ import annotations

from .html import HtmlPage
from .latex import LatexFormat
from .markdown import MarkdownFormat
from .text import TextFormat


def print_document(doc, fmt: str, columns: int | None = None, standalone: bool = False, summary: bool = False) -> str:
    """A Document as ``text`` (fitted to ``columns``), ``latex`` (a fragment, a whole document
    with ``standalone``, the closing display maths with ``summary``), ``html`` (a page) or ``markdown``."""
    if fmt == "text":
        return TextFormat(columns).doprint(doc)
    if fmt == "latex":
        return LatexFormat(standalone, summary).doprint(doc)
    if fmt == "html":
        return HtmlPage().doprint(doc)
    return MarkdownFormat().doprint(doc)


def printer_for(fmt: str):
    """The printer of a report in ``markdown`` or ``html`` (a page)."""
    return HtmlPage() if fmt == "html" else MarkdownFormat()
