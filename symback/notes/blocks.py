"""Blocks the notes add to :mod:`symback.render.document`.

* ``Equals(sides)``: ``side₀ = side₁ = …`` inside a sentence or a table cell;
* ``Grid``: a table whose cells are tuples of items (words and maths mixed);
* ``Figure``: the computational graph or the loss curve, with a caption;
* ``Listing`` and ``Output``: a program with a note on each step, and what it prints.

A catalogue sentence becomes items with :func:`symback.render.document.phrase`,
so every format can typeset the maths inside it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from dataclasses import dataclass
from typing import Any

import sympy

from ..model.parse import symbol
from ..core.exact import Shown
from ..render.document import Math, Num, Text, equation


@dataclass(frozen=True)
class Equals:
    """``side₀ = side₁ = …``; sides are items (``≈`` before a side with a rounded number)."""

    sides: tuple
    arrow = False


@dataclass(frozen=True)
class Grid:
    """A table: a header and rows of cells, each cell a tuple of items.

    ``align`` has one letter per column: ``l``/``r`` (left, right) or ``w``
    (words that may wrap).
    """

    header: tuple
    rows: tuple
    align: str


@dataclass(frozen=True)
class Figure:
    """``kind`` "graph" (data: a layout.Picture) or "curve" (data: a figures.Curve)."""

    kind: str
    data: Any
    caption: tuple
    name: str
    label: tuple = ()


@dataclass(frozen=True)
class Listing:
    """A program: ``lines`` are (code, note), the note items saying what the line does (or ())."""

    lines: tuple


@dataclass(frozen=True)
class Output:
    """What a program prints, as it prints it (plain text; a tab is an indent)."""

    text: str


def joined(items, separator: str = ", ") -> tuple:
    """items with ``separator`` words between them."""
    out: list = []
    for i, item in enumerate(items):
        out += ([Text(separator)] if i else []) + [item]
    return tuple(out)


def rounded(value: float, digits: int = 6) -> Num:
    """A number rounded to ``digits`` significant digits, for reading; in an equation it is
    written after "≈" when the rounding changed it."""
    short = float(f"{value:.{digits}g}")
    if not math.isfinite(short):
        return Num(short)
    changed = short != float(value)
    return Num(Shown(short, Fraction(repr(short)), changed, changed))


def eq(lhs, rhs) -> sympy.Eq:
    return sympy.Eq(lhs, rhs, evaluate=False)


def exact(value: float) -> sympy.Expr:
    """A float as a SymPy number that prints the way Python does (2, not 2.0)."""
    return sympy.Integer(int(value)) if float(value).is_integer() and abs(value) < 1e16 else sympy.Float(value)


def point_items(point) -> tuple:
    """x = 4, x₂ = 1: a point's values as maths, separated by commas."""
    return joined([Math(eq(symbol(n), exact(v))) for n, v in dict(point).items()])


def plain(items) -> str:
    """Items as plain Unicode text (alt text of figures, titles of drawings)."""
    from ..render.text import item

    return "".join(joined_equation(x, lambda s: plain((s,)), " = ", " ≈ ") if isinstance(x, Equals) else item(x)
                   for x in items)


def joined_equation(x: Equals, show, equals: str, about: str) -> str:
    """``x`` printed by ``show``, its sides joined by ``equals``, or ``about`` before a rounded one."""
    sides, signs = equation(x, show, equals, equals, about)
    return sides[0] + "".join(sign + side for sign, side in zip(signs, sides[1:]))
