"""The Markdown format: $…$ maths in lists and tables.

Lists of inline maths render the same on GitHub, in Jupyter and in most blog
editors (display environments such as ``aligned`` do not). Text is escaped
for Markdown; maths is LaTeX from the same printer as the LaTeX format.
"""

from __future__ import annotations

import re

from . import latex
from .document import marked_sides, relations
from .printer import DocumentPrinter, numbered

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~#])")
#: a line break inside a text (a lesson's title or description) would start new Markdown structure
_BREAK = re.compile(r"\s*[\r\n\u2028\u2029]\s*")


def escape(text: str) -> str:
    """``text`` safe in Markdown (no emphasis, links, HTML, maths, headings; on one line)."""
    return _SPECIAL.sub(r"\\\1", _BREAK.sub(" ", text))


class MarkdownFormat(DocumentPrinter):
    """``#`` and ``##`` headings; chains and the problem statement as lists, tables as tables.
    Items take ``in_table``: a ``|`` in the maths of a table cell becomes \\vert (tables split on it)."""

    tex = latex.TEX

    def title(self, doc) -> str:
        return f"# {escape(doc.title)}"

    def heading(self, section) -> str:
        return f"## {escape(numbered(section))}"

    def _print_Text(self, x, in_table: bool = False) -> str:
        return escape(x.text)

    def _print_Math(self, x, in_table: bool = False) -> str:
        return self.maths(self.tex._print(x, math=True), in_table)

    _print_Num = _print_Seq = _print_Mat = _print_Formula = _print_Math

    @staticmethod
    def maths(inner: str, in_table: bool = False) -> str:
        return "$" + (inner.replace("|", r"\vert ") if in_table else inner) + "$"

    def _print_Chains(self, block) -> str:
        return "\n".join(self.chain_line(c) for c in block.rows)

    def chain_line(self, chain) -> str:
        sides, approx = marked_sides(chain, lambda side: self.tex._print(side, math=True))
        rel = relations(chain, len(sides) - 1, r"\leftarrow", "=", approx, r"\approx")
        maths = (sides[0] + " " + " ".join(f"{r} {s}" for r, s in zip(rel, sides[1:]))).strip()
        if maths.startswith("="):
            maths = r"\phantom{x}" + maths
        label = self.items(chain.label)
        note = self.items(chain.note)
        return "- " + (f"**{label}**: " if label else "") + f"${maths}$" + (f" — {note}" if note else "")

    def _print_Fields(self, block) -> str:
        rows = []
        for label, values in block.rows:
            rows.append(f"- **{escape(label)}**: {self.field_value(values)}".rstrip())
        return "\n".join(rows)

    def _print_Table(self, block) -> str:
        head = "| " + " | ".join(self._print(c) for c in block.header) + " |"
        rule = "|" + "|".join("---:" for _ in block.header) + "|"
        body = ["| " + " | ".join(self._print(c) for c in row) + " |" for row in block.rows]
        return "\n".join([head, rule] + body)

    def _print_Para(self, block) -> str:
        return self.items(block.items)
