"""The notes as Markdown: $…$ maths, tables, and figures as SVG files beside it.

Renders on GitHub, in Jupyter and in most blog editors. Words are escaped
for Markdown; maths is LaTeX from SymPy's printer (a "|" inside a table cell
becomes \\vert, since Markdown tables split on it). ``figure_link`` says
where each figure is: a file name (for .md) or an attachment (notebooks).
"""

from __future__ import annotations

from urllib.parse import quote

from ..export.program import commented
from ..render.markdown import MarkdownFormat, escape
from .blocks import Figure, Grid, Listing, Output, joined_equation, plain


class NotesMarkdown(MarkdownFormat):
    """The Markdown format with the notes' blocks; ``figure_link(figure)`` says where a figure is."""

    def __init__(self, figure_link):
        self.figure_link = figure_link

    def _print_Equals(self, x, in_table: bool = False) -> str:
        inner = joined_equation(x, lambda s: self.tex._print(s, math=True), " = ", r" \approx ")
        return self.maths(inner, in_table)

    def _print_Grid(self, block: Grid) -> str:
        head = "| " + " | ".join(self.items(c, in_table=True) for c in block.header) + " |"
        rule = "|" + "|".join("---:" if a == "r" else "---" for a in block.align) + "|"
        rows = ["| " + " | ".join(self.items(c, in_table=True) or " " for c in row) + " |" for row in block.rows]
        return "\n".join([head, rule] + rows)

    def _print_Figure(self, block: Figure) -> str:
        alt = escape(plain(block.caption))
        return f"![{alt}]({self.figure_link(block)})\n\n*{self.items(block.label)}* {self.items(block.caption)}"

    def _print_Listing(self, block: Listing) -> str:
        return "```python\n" + commented(block.lines) + "```"

    def _print_Output(self, block: Output) -> str:
        return "```text\n" + block.text.replace("\t", "    ") + "\n```"


def figure_files(doc, stem: str) -> dict:
    """{figure name: file name} for the figures written beside ``stem``.md."""
    return {b.name: f"{stem}.{b.name}.svg" for b in doc.blocks(Figure)}


def render_notes_markdown(doc, stem: str) -> str:
    """The Markdown text; figures are linked as ``stem.graph.svg`` and ``stem.loss.svg``."""
    files = figure_files(doc, stem)
    return NotesMarkdown(lambda block: quote(files[block.name])).doprint(doc)
