"""The format-independent shape of an explanation: sections of blocks.

A printer for a format (text, LaTeX, Markdown) turns these blocks into its
syntax; the wording and the order of the content are decided once, in
:mod:`symback.render.explanation`. Maths stays as SymPy expressions until a
format prints it.

Items inside blocks:
  Text(str)                 words, from the catalogue or user names
  Math(expr, values)        a SymPy expression, with parts shown as numbers
  Num(value)                a float
  Seq(op, items)            items joined by an operator: "×", "+", "·", " "
A Chain is an equation chain ``side₀ = side₁ = …`` (the first relation may
be "←"), with an optional label before it and a note after it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Math:
    expr: Any
    values: Mapping | None = None


def needs_parens(x: Math) -> bool:
    """A sum (or a negated term) inside a product needs parentheses (a part shown as a number does not)."""
    expr = x.expr
    if x.values and expr in x.values:
        return False
    return bool(getattr(expr, "is_Add", False) or (getattr(expr, "could_extract_minus_sign", None)
                                                   and expr.could_extract_minus_sign()))


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Seq:
    op: str
    items: tuple


@dataclass(frozen=True)
class Chain:
    """``label  side₀ = side₁ = …   note``."""

    sides: tuple
    label: tuple = ()
    note: tuple = ()
    arrow: bool = False


@dataclass(frozen=True)
class Chains:
    """Equation chains printed as one aligned group."""

    rows: tuple[Chain, ...]


@dataclass(frozen=True)
class Fields:
    """A list of ``label: items`` lines (the problem statement)."""

    rows: tuple[tuple[str, tuple], ...]


@dataclass(frozen=True)
class Table:
    """A table; cells are items."""

    header: tuple
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class Para:
    """A sentence or two of prose (items, so maths can appear inline)."""

    items: tuple


@dataclass(frozen=True)
class Remark(Para):
    """A sentence about the block before it (the epochs a table leaves out): a Para, but the
    terminal prints it as it is, unwrapped."""


@dataclass(frozen=True)
class Detail(Para):
    """A sentence that belongs to the one before it (the diagnosis under a verdict): a Para,
    which the terminal indents."""


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple
    number: int | None = None


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    lang: str = "en"

    def blocks(self, kind: type = object) -> list:
        """Every block of the document in order (only those of ``kind``)."""
        return [block for section in self.sections for block in section.blocks if isinstance(block, kind)]


@dataclass(frozen=True)
class Appendix:
    """A whole Document inside another (every step of the explanation, at the end of a check)."""

    document: Document


def phrase(words, key: str, **items) -> tuple:
    """The sentence ``key`` as items: each {placeholder} becomes the given item, or items (a tuple).

    "at {node}" with node=Math(r) -> (Text("at "), Math(r)), so each format can typeset the
    name as maths.
    """
    out: list = []
    for literal, name, _spec, _conv in string.Formatter().parse(words(key)):
        if literal:
            out.append(Text(literal))
        if name is not None:
            value = items[name]
            out.extend(value if isinstance(value, tuple) else (value,))
    return tuple(out)


def marked_sides(chain: Chain, show) -> tuple[list[str], list[bool]]:
    """The sides printed by ``show`` without a side equal to the one before it
    ("∂r/∂ŷ = 1 = 1" says nothing twice), and for each whether it holds a rounded number."""
    from ..core.numeric import watch_rounding

    texts: list[str] = []
    approx: list[bool] = []
    for side in chain.sides:
        with watch_rounding() as rounded:
            text = show(side)
        if not texts or text != texts[-1] or not text:
            texts.append(text)
            approx.append(bool(rounded))
        else:
            approx[-1] = approx[-1] or bool(rounded)
    return texts, approx


def equation(chain, show, arrow: str, equals: str, about: str) -> tuple[list[str], list[str]]:
    """The sides printed by ``show`` (a repeat dropped) and the relation before each side after
    the first: ``arrow`` first in an update, ``about`` before a side with a rounded number, else ``equals``."""
    texts, approx = marked_sides(chain, show)
    return texts, relations(chain, len(texts) - 1, arrow, equals, approx, about)


def relations(chain: Chain, count: int, arrow: str, equals: str, approx=None, about: str = "≈") -> list[str]:
    """The ``count`` relation signs between sides: "←" first for an update, else "=";
    ``about`` (≈) before a side whose numbers were rounded (``approx`` from marked_sides)."""
    signs = []
    for j in range(count):
        if chain.arrow and j == 0:
            signs.append(arrow)
        elif approx is not None and approx[j + 1]:
            signs.append(about)
        else:
            signs.append(equals)
    return signs
