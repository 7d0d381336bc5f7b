"""The notes as one self-contained HTML page.

Maths is native MathML (:mod:`symback.render.mathml`), the figures are
inline SVG, the style sheet is a few lines written here: the page needs no
network, no scripts and no other file, and prints well.
"""

from __future__ import annotations

from html import escape

from ..render.html import SHORT, HtmlFormat
from .blocks import Figure, Grid, Listing, Output, joined_equation, plain
from .svg import figure_svg

STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --accent: #1d4f91; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 17px/1.6 "Noto Serif", "DejaVu Serif", Georgia, "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif; }
main { max-width: 50rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.4rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--rule); }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "DejaVu Math TeX Gyre", math; font-size: 1.05em; }
math[display="block"] { margin: 0.6rem 0; }
table { border-collapse: collapse; margin: 0.8rem 0; }
/* a wide table may use the whole window, centred on the text; only past that it scrolls,
   with room below its last row for the scroll bar */
.wide { overflow-x: auto; width: max-content; min-width: 100%; max-width: calc(100vw - 2rem);
  position: relative; left: 50%; transform: translateX(-50%); padding-bottom: 0.4rem; }
table.grid, table.data { font-size: 0.92rem; }
table.grid math, table.data math { font-size: 1.12em; }
table.grid td.r { white-space: nowrap; }
svg.tick { width: 0.85em; height: 0.85em; vertical-align: -0.05em; }
table.grid th, table.data th { text-align: left; font-weight: 600; border-bottom: 1.5px solid var(--ink); padding: 0.3rem 0.7rem; }
table.grid td, table.data td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.7rem; vertical-align: top; }
table.grid td.r, table.grid th.r, table.data td { text-align: right; }
table.fields th { text-align: left; font-weight: normal; color: var(--muted); padding: 0.15rem 1.2rem 0.15rem 0; }
table.chains { margin: 0.8rem 0 0.8rem 1.2rem; }
table.chains td { padding: 0.25rem 0.3rem; vertical-align: baseline; }
table.chains td.label { color: var(--muted); padding-right: 0.8rem; white-space: nowrap; }
table.chains td.lhs { text-align: right; white-space: nowrap; }
.note { color: var(--muted); margin-left: 1.2rem; white-space: nowrap; }
figure { margin: 1.2rem 0; text-align: center; }
figure .drawing { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.92rem; color: var(--muted); text-align: left; margin-top: 0.4rem; }
pre, table.listing code { font: 0.82rem/1.45 "DejaVu Sans Mono", "Noto Sans Mono", Menlo, Consolas, monospace; }
table.listing { background: #f6f8fa; border: 1px solid var(--rule); width: 100%; line-height: 1.35; }
table.listing td { padding: 0.05rem 0.7rem; vertical-align: top; }
table.listing code { white-space: pre; }
table.listing td.note { color: var(--muted); font-size: 0.85rem; white-space: normal; min-width: 14rem; }
pre.output { overflow-x: auto; padding: 0.7rem 0.9rem; background: #fbfbf4; border-left: 3px solid var(--accent); }
@media print { body { font-size: 11pt; } pre { white-space: pre-wrap; } main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  figure, table { break-inside: avoid; } }
"""


class NotesHtml(HtmlFormat):
    """The notes as one page: the HTML format with the notes' blocks, in a page with its style;
    ``extra_style`` and ``tail`` (the end of the body) are the interactive page's."""

    def __init__(self, extra_style: str = "", tail: str = ""):
        self.extra_style, self.tail = extra_style, tail

    def _print_Document(self, doc) -> str:
        head = ["<!DOCTYPE html>", f'<html lang="{escape(doc.lang)}">', "<head>", '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{escape(doc.title)}</title>", f"<style>{STYLE}{self.extra_style}</style>", "</head>",
                "<body>", "<main>"]
        tail = ["</main>"] + ([self.tail.rstrip("\n")] if self.tail else []) + ["</body>", "</html>"]
        return "\n".join(head + [super()._print_Document(doc).rstrip("\n")] + tail) + "\n"

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
