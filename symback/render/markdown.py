"""The Markdown format: $…$ maths in lists and tables.

Lists of inline maths render the same on GitHub, in Jupyter and in most blog
editors (display environments such as ``aligned`` do not). Text is escaped
for Markdown; maths is LaTeX from the same printer as the LaTeX format.
"""

from __future__ import annotations

import re

from . import latex
from .document import Chains, Fields, Math, Para, Table, Text, marked_sides, relations

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~#])")
#: a line break inside a text (a lesson's title or description) would start new Markdown structure
_BREAK = re.compile(r"\s*[\r\n\u2028\u2029]\s*")


def escape(text: str) -> str:
    """``text`` safe in Markdown (no emphasis, links, HTML, maths, headings; on one line)."""
    return _SPECIAL.sub(r"\\\1", _BREAK.sub(" ", text))


def item(x) -> str:
    if isinstance(x, Text):
        return escape(x.text)
    return f"${latex.item(x, True)}$"


def items(xs) -> str:
    return "".join(item(x) for x in xs)


def chain_line(chain) -> str:
    sides, approx = marked_sides(chain, lambda side: latex.item(side, True))
    rel = relations(chain, len(sides) - 1, r"\leftarrow", "=", approx, r"\approx")
    maths = (sides[0] + " " + " ".join(f"{r} {s}" for r, s in zip(rel, sides[1:]))).strip()
    if maths.startswith("="):
        maths = r"\phantom{x}" + maths
    label = items(chain.label)
    note = items(chain.note)
    return "- " + (f"**{label}**: " if label else "") + f"${maths}$" + (f" — {note}" if note else "")


def block_md(block) -> str:
    if isinstance(block, Chains):
        return "\n".join(chain_line(c) for c in block.rows)
    if isinstance(block, Fields):
        rows = []
        for label, values in block.rows:
            maths = ", ".join(item(v) for v in values if isinstance(v, Math))
            words = " ".join(item(v) for v in values if not isinstance(v, Math) and item(v))
            rows.append(f"- **{escape(label)}**: {maths} {words}".rstrip())
        return "\n".join(rows)
    if isinstance(block, Table):
        head = "| " + " | ".join(item(c) for c in block.header) + " |"
        rule = "|" + "|".join("---:" for _ in block.header) + "|"
        body = ["| " + " | ".join(item(c) for c in row) + " |" for row in block.rows]
        return "\n".join([head, rule] + body)
    if isinstance(block, Para):
        return items(block.items)
    raise TypeError(f"cannot print {block!r}")


def render_markdown(doc) -> str:
    parts = [f"# {escape(doc.title)}"]
    for section in doc.sections:
        title = f"{section.number}. {section.title}" if section.number else section.title
        parts.append(f"## {escape(title)}")
        parts += [block_md(b) for b in section.blocks]
    return "\n\n".join(parts) + "\n"
