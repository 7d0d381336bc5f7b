"""How the core's values show themselves in Jupyter, without the core importing the printers.

A Derivation has ``_repr_markdown_`` and ``_repr_latex_`` (Jupyter calls
them); each asks :func:`shown` for the printer of its format, which
:mod:`symback.render` registers when it is imported (``from symback import
explain`` imports it). Without a printer the answer is None, and Jupyter
shows the plain ``repr``.
"""

from __future__ import annotations

from typing import Callable

#: format ("markdown", "latex") -> the function that prints a value in it
_PRINTERS: dict[str, Callable[[object], str]] = {}


def register(fmt: str, printer: Callable[[object], str]) -> None:
    """Show values in ``fmt`` with ``printer``."""
    _PRINTERS[fmt] = printer


def shown(value, fmt: str) -> str | None:
    """``value`` printed in ``fmt``, or None when no printer is registered."""
    printer = _PRINTERS.get(fmt)
    return printer(value) if printer else None
