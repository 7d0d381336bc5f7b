"""Printers: one Document of the explanation, several formats.

``render(derivation, fmt, lang)`` builds the Document once (wording from the
catalogue, content and order from :mod:`.explanation`) and hands it to the
format: ``text`` (terminal), ``latex`` (a fragment, or ``standalone=True`` for
a whole document), ``markdown``; ``json`` is built from the derivation itself
(the contract in DESIGN.md).
"""

from __future__ import annotations

FORMATS = ("text", "latex", "markdown", "html", "json")


def render(derivation, fmt: str = "text", lang: str = "en", standalone: bool = False, summary: bool = False,
           digits: int | None = None, columns: int | None = None) -> str:
    """The explanation of a Derivation or BatchDerivation in ``fmt``.

    ``digits``: print numbers with that many significant digits (relations to
    rounded numbers become ≈); JSON always keeps every digit. ``columns``:
    the width text is fitted to (default: the terminal's, see
    :func:`symback.render.wrap.terminal_width`).
    """
    from ..errors import SpecError

    if fmt not in FORMATS:
        raise SpecError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if digits is not None and not 1 <= digits <= 17:
        raise SpecError(f"digits must be between 1 and 17, not {digits}")
    if getattr(derivation, "is_tensor", False):
        from .tensor import render_tensor

        return render_tensor(derivation, fmt, lang, standalone, digits, columns)
    if fmt == "json":
        from .jsonout import render_json

        return render_json(derivation)
    from ..core.numeric import significant_digits

    with significant_digits(digits):
        return _render_document(derivation, fmt, lang, standalone, summary, columns)


def _render_document(derivation, fmt, lang, standalone, summary, columns=None) -> str:
    from ..core.batch import BatchDerivation
    from ..lang import wording

    if isinstance(derivation, BatchDerivation):
        from .batch_sections import batch_document as document
    else:
        from .explanation import document
    from .formats import print_document

    return print_document(document(derivation, wording(lang)), fmt, columns, standalone, summary)


from ..display import register  # noqa: E402 - after render is defined
from ..namesake import callable_module  # noqa: E402

callable_module(__name__, render)
register("markdown", lambda value: render(value, "markdown"))
register("latex", lambda value: render(value, "latex", summary=True))
