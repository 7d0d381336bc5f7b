"""The notes as one self-contained HTML page.

Maths is native MathML (:mod:`symback.render.mathml`), the figures are
inline SVG, the style sheet is :data:`symback.render.html.STYLE`: the page
needs no network, no scripts and no other file, and prints well.
"""

from __future__ import annotations

from html import escape

from ..render.html import SHORT, HtmlPage
from .blocks import Figure, Grid, Listing, Output, joined_equation, plain
from .svg import figure_svg

class NotesHtml(HtmlPage):
    """The notes as one page: the HTML page with the notes' blocks (grids, figures, listings, output)."""

    def _print_Equals(self, x, math: bool = False, nested: bool = False) -> str:
        """In running text, a long Equals is split at its "=" signs so it can wrap."""
        if math:
            return joined_equation(x, self.fragment, "<mo>=</mo>", "<mo>≈</mo>")
        if len(plain((x,))) <= SHORT:
            return "<math>" + joined_equation(x, self.fragment, "<mo>=</mo>", "<mo>≈</mo>") + "</math>"
        return joined_equation(x, lambda s: f"<math>{self.fragment(s)}</math>", " <math><mo>=</mo></math> ",
                               " <math><mo>≈</mo></math> ")

    def _print_Grid(self, block: Grid) -> str:
        cls = lambda j: ' class="r"' if block.align[j] == "r" else ""  # noqa: E731
        head = "".join(f"<th{cls(j)}>{self.items(c)}</th>" for j, c in enumerate(block.header))
        body = "\n".join("<tr>" + "".join(f"<td{cls(j)}>{self.items(c)}</td>" for j, c in enumerate(row)) + "</tr>"
                         for row in block.rows)
        return (f'<div class="wide"><table class="grid">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
                "</tbody>\n</table></div>")

    def _print_Figure(self, block: Figure, marks=None) -> str:
        """The drawing (``marks``: the interactive page's keys of the graph) and its caption."""
        svg = figure_svg(block, plain(block.caption), marks)
        return (f'<figure>\n<div class="drawing">\n{svg}</div>\n<figcaption><strong>{self.items(block.label)}'
                f'</strong> {self.items(block.caption)}</figcaption>\n</figure>')

    def _print_Listing(self, block: Listing) -> str:
        """The program as two columns, as in the PDF: the code, and what each line does."""
        rows = []
        for code, note in block.lines:
            if note and not code.strip():  # a comment on a line of its own spans both columns
                rows.append(f'<tr><td colspan="2" class="note">{self.items(note)}</td></tr>')
            else:
                rows.append(f"<tr><td><code>{escape(code) or ' '}</code></td>"
                            f"<td class=\"note\">{self.items(note)}</td></tr>")
        return '<div class="wide"><table class="listing">\n' + "\n".join(rows) + "\n</table></div>"

    def _print_Output(self, block: Output) -> str:
        return f'<pre class="output">{escape(block.text.replace(chr(9), "    "))}</pre>'


def render_notes_html(doc, extra_style: str = "", tail: str = "") -> str:
    """The Document as a whole HTML page; ``tail`` goes at the end of the body (the interactive
    page's data and script)."""
    return NotesHtml(extra_style, tail).doprint(doc)
