"""Printers: one Document of the explanation, several formats.

``render(derivation, fmt, lang)`` builds the Document once (wording from the
catalogue, content and order from :mod:`.explanation`) and hands it to the
format: ``text`` (terminal), ``latex`` (a fragment, or ``standalone=True`` for
a whole document), ``markdown``; ``json`` is built from the derivation itself
(the contract in DESIGN.md).
"""

from __future__ import annotations

FORMATS = ("text", "latex", "markdown", "json")


def render(derivation, fmt: str = "text", lang: str = "en", standalone: bool = False, summary: bool = False) -> str:
    """The explanation of a Derivation or BatchDerivation in ``fmt``."""
    from ..errors import SpecError

    if fmt not in FORMATS:
        raise SpecError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        from .jsonout import render_json

        return render_json(derivation)
    from ..lang import wording
    from .explanation import document

    doc = document(derivation, wording(lang))
    if fmt == "text":
        from .text import render_text

        return render_text(doc)
    if fmt == "latex":
        from .latex import render_latex

        return render_latex(doc, standalone=standalone, summary=summary)
    from .markdown import render_markdown

    return render_markdown(doc)
