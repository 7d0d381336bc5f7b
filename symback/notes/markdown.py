"""The notes as Markdown: $…$ maths, tables, and figures as SVG files beside it.

Renders on GitHub, in Jupyter and in most blog editors. Words are escaped
for Markdown; maths is LaTeX from SymPy's printer (a "|" inside a table cell
becomes \\vert, since Markdown tables split on it). ``figure_link`` says
where each figure is: a file name (for .md) or an attachment (notebooks).
"""

from __future__ import annotations

from urllib.parse import quote

from ..render import latex as tex
from ..render import markdown as base
from ..render.document import Chains, Fields, Para, Text
from .blocks import Equals, Figure, Grid, Listing, Output, commented, joined_equation, plain


def maths(x, in_table: bool = False) -> str:
    if isinstance(x, Equals):
        inner = joined_equation(x, _tex, " = ", r" \approx ")
    else:
        inner = _tex(x)
    if in_table:
        inner = inner.replace("|", r"\vert ")
    return f"${inner}$"


def _tex(x) -> str:
    return tex.item(x, True)


def item(x, in_table: bool = False) -> str:
    if isinstance(x, Text):
        return base.escape(x.text)
    return maths(x, in_table)


def items(xs, in_table: bool = False) -> str:
    return "".join(item(x, in_table) for x in xs)


def grid(block: Grid) -> str:
    head = "| " + " | ".join(items(c, True) for c in block.header) + " |"
    rule = "|" + "|".join("---:" if a == "r" else "---" for a in block.align) + "|"
    rows = ["| " + " | ".join(items(c, True) or " " for c in row) + " |" for row in block.rows]
    return "\n".join([head, rule] + rows)


def figure(block: Figure, link: str) -> str:
    alt = base.escape(plain(block.caption))
    return f"![{alt}]({link})\n\n*{items(block.label)}* {items(block.caption)}"


def block_md(block, figure_link) -> str:
    if isinstance(block, Listing):
        return "```python\n" + commented(block.lines) + "```"
    if isinstance(block, Output):
        return "```text\n" + block.text.replace("\t", "    ") + "\n```"
    if isinstance(block, Grid):
        return grid(block)
    if isinstance(block, Figure):
        return figure(block, figure_link(block))
    if isinstance(block, Para):
        return items(block.items)
    if isinstance(block, (Chains, Fields)):
        return base.block_md(block)
    raise TypeError(f"cannot print {block!r}")


def section_md(section, figure_link) -> str:
    parts = []
    if section.title:
        number = f"{section.number}. " if section.number else ""
        parts.append(f"## {base.escape(number + section.title)}")
    parts += [block_md(b, figure_link) for b in section.blocks]
    return "\n\n".join(parts)


def figure_files(doc, stem: str) -> dict:
    """{figure name: file name} for the figures written beside ``stem``.md."""
    return {b.name: f"{stem}.{b.name}.svg" for s in doc.sections for b in s.blocks if isinstance(b, Figure)}


def render_notes_markdown(doc, stem: str) -> str:
    """The Markdown text; figures are linked as ``stem.graph.svg`` and ``stem.loss.svg``."""
    files = figure_files(doc, stem)
    link = lambda block: quote(files[block.name])  # noqa: E731
    parts = [f"# {base.escape(doc.title)}"] + [section_md(s, link) for s in doc.sections]
    return "\n\n".join(p for p in parts if p) + "\n"
