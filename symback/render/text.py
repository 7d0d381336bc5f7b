"""The terminal format: Unicode maths in aligned columns.

Equation chains in one group share their columns, so the "=" signs line
up; widths count East Asian wide characters as two columns, so Chinese
labels align too.
"""

from __future__ import annotations

import textwrap
import unicodedata

from ..numeric import format_float
from .document import Chains, Fields, Math, Num, Para, Seq, Table, Text, marked_sides, relations
from .printers import unicode

INDENT = "  "
WIDTH = 100


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def item(x, nested: bool = False) -> str:
    """One item as text; ``nested`` parenthesises negative numbers and sums."""
    if isinstance(x, Text):
        return x.text
    if isinstance(x, Num):
        text = format_float(x.value).replace("-", "−")
        return f"({text})" if nested and x.value < 0 else text
    if isinstance(x, Math):
        text = unicode(x.expr, x.values)
        return f"({text})" if nested and needs_parens(x) else text
    if isinstance(x, Seq):
        inner = (x.op if x.op == "/" else f" {x.op} ").join(item(i, nested=x.op != "+" or isinstance(i, Num)) for i in x.items)
        return f"({inner})" if nested and x.op == "+" else inner
    raise TypeError(f"cannot print {x!r}")


def needs_parens(x: Math) -> bool:
    """A sum (or a negated term) inside a product needs parentheses."""
    expr = x.expr
    if x.values and expr in x.values:
        return False
    return bool(getattr(expr, "is_Add", False) or (getattr(expr, "could_extract_minus_sign", None)
                                                   and expr.could_extract_minus_sign()))


def items(xs, sep: str = "") -> str:
    return sep.join(item(x) for x in xs)


def render_text(doc) -> str:
    lines = [doc.title, "═" * width(doc.title), ""]
    for section in doc.sections:
        title = f"{section.number}. {section.title}" if section.number else section.title
        lines += [title, "─" * width(title)]
        for block in section.blocks:
            lines += [INDENT + line if line else line for line in block_lines(block)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def block_lines(block) -> list[str]:
    if isinstance(block, Chains):
        return chain_lines(block)
    if isinstance(block, Fields):
        return field_lines(block)
    if isinstance(block, Table):
        return table_lines(block)
    if isinstance(block, Para):
        return textwrap.wrap(items(block.items), WIDTH - len(INDENT)) or [""]
    raise TypeError(f"cannot print {block!r}")


def chain_lines(block: Chains) -> list[str]:
    rows = [(items(c.label), marked_sides(c, item), items(c.note), c) for c in block.rows]
    rows = [(label, texts, note, (c, approx)) for label, (texts, approx), note, c in rows]
    label_w = max((width(r[0]) for r in rows), default=0)
    columns = max(len(r[1]) for r in rows)
    widths = [max((width(r[1][j]) for r in rows if len(r[1]) > j + 1), default=0) for j in range(columns)]
    body = []
    for label, sides, _note, (chain, approx) in rows:
        text = sides[0] if len(sides) == 1 else pad(sides[0], widths[0])
        signs = relations(chain, len(sides) - 1, " ← ", " = ", approx, " ≈ ")
        for j, (rel, side) in enumerate(zip(signs, sides[1:]), start=1):
            text += rel + (pad(side, widths[j]) if j + 1 < len(sides) else side)
        body.append((pad(label, label_w) + "  " if label_w else "") + text)
    return _with_notes(body, [r[2] for r in rows], label_w)


def _with_notes(body: list[str], notes: list[str], label_w: int) -> list[str]:
    """Notes in one column after the lines if all fit, else each under its line."""
    body = [line.rstrip() for line in body]
    column = max((width(line) for line, note in zip(body, notes) if note), default=0) + 3
    if all(column + width(note) <= WIDTH for note in notes if note):
        return [pad(line, column) + note if note else line for line, note in zip(body, notes)]
    indent = " " * (label_w + 2 if label_w else 0) + "    "
    out = []
    for line, note in zip(body, notes):
        out += [line, indent + note] if note else [line]
    return out


def field_lines(block: Fields) -> list[str]:
    label_w = max(width(label) for label, _ in block.rows)
    lines = []
    for label, values in block.rows:
        parts = [item(v) for v in values if item(v)]
        sep = ", " if all(isinstance(v, Math) for v in values) else "  "
        lines.append(pad(label, label_w) + "   " + sep.join(parts))
    return lines


def table_lines(block: Table) -> list[str]:
    cells = [[item(c) for c in block.header]] + [[item(c) for c in row] for row in block.rows]
    widths = [max(width(row[j]) for row in cells) for j in range(len(block.header))]
    out = ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    out.insert(1, "  ".join("─" * w for w in widths))
    return out
