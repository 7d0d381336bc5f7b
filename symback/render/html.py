"""HTML for the blocks of a Document, with maths as native MathML.

Words are HTML-escaped; maths comes from :mod:`.mathml`. An equation chain
is a table row: its label, the left side, then the rest as inline maths
that may wrap, so the first "=" of every chain lines up and a long chain
still fits a narrow screen. Nothing here loads anything from a network.
"""

from __future__ import annotations

import string
from html import escape

from sympy.printing.precedence import PRECEDENCE

from .document import Chains, Fields, Math, Num, Para, Seq, Table, equation, needs_parens
from .mathml import MathMLPrinter
from .printer import DocumentPrinter, numbered
from .text import item as plain

_OPS = {"×": "×", "·": "·", "+": "+", "/": "/", " ": "\u2009"}


#: the style sheet of every page symback writes (a few lines of our own; fonts the reader has)
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


#: ✓ drawn, not typed: some fonts draw the character like a square root √
TICK = ('<svg class="tick" viewBox="0 0 10 10" width="12" height="12" role="img" aria-label="✓">'
        '<path d="M1.2 5.6 L4 8.4 L8.8 1.6" fill="none" stroke="#1a7f37" stroke-width="1.7" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>')


class HtmlFormat(DocumentPrinter):
    """The body of a page: an <h1>, then each section a <section> with an <h2>; maths as
    MathML. Items take ``math``: a fragment inside a <math> element, else running text."""

    block_gap = section_gap = "\n"

    def title(self, doc) -> str:
        return f"<h1>{escape(doc.title)}</h1>"

    def heading(self, section) -> str:
        return f"<h2>{escape(numbered(section))}</h2>"

    def _print_Section(self, section) -> str:
        return "<section>\n" + super()._print_Section(section) + "\n</section>"

    # -- items ---------------------------------------------------------------------

    def _print_Text(self, x, math: bool = False, nested: bool = False) -> str:
        if math:
            return f"<mtext>{escape(x.text)}</mtext>" if x.text else ""
        return escape(x.text).replace("✓", TICK)

    def _print_Num(self, x, math: bool = False, nested: bool = False) -> str:
        inner = MathMLPrinter()._number(x.value).toxml()
        return _inline(_paren(inner) if nested and x.value < 0 else inner, math)

    def _print_Math(self, x, math: bool = False, nested: bool = False) -> str:
        inner = MathMLPrinter(x.values).doprint(x.expr)
        return _inline(_paren(inner) if nested and needs_parens(x) else inner, math)

    def _print_Seq(self, x, math: bool = False, nested: bool = False) -> str:
        parts = [self._print(i, math=True, nested=x.op != "+" or isinstance(i, Num)) for i in x.items]
        inner = "<mrow>" + f"<mo>{_OPS[x.op]}</mo>".join(parts) + "</mrow>"
        return _inline(_paren(inner) if nested and x.op == "+" else inner, math)

    def _print_Mat(self, x, math: bool = False, nested: bool = False) -> str:
        return _inline(mat_mathml(x.entries, nested), math)

    def _print_Formula(self, x, math: bool = False, nested: bool = False) -> str:
        """The formula's words as <mtext>, each part printed in its place (a matrix as a table)."""
        if not x.parts:
            return _inline(f"<mtext>{escape(x.text)}</mtext>", math)
        parts, out = dict(x.parts), []
        for literal, field, _spec, _conv in string.Formatter().parse(x.text):
            out.append(f"<mtext>{escape(literal).replace(' ', NBSP)}</mtext>" if literal else "")  # kept spaces
            out.append(self._print(parts[field], math=True, nested=True) if field else "")
        return _inline("<mrow>" + "".join(out) + "</mrow>", math)

    def fragment(self, x, nested: bool = False) -> str:
        """One item as MathML inside a <math> element (no <math> around it)."""
        return self._print(x, math=True, nested=nested)

    # -- blocks ----------------------------------------------------------------------

    def _print_Para(self, block: Para) -> str:
        return f"<p>{self.items(block.items)}</p>"

    def _print_Chains(self, block: Chains) -> str:
        """label | left side | = the other sides … note, one row per chain."""
        rows = []
        for chain in block.rows:
            sides, rel = equation(chain, self.fragment, "←", "=", "≈")
            shown = [s for i, s in enumerate(chain.sides)
                     if i == 0 or self.fragment(s) != self.fragment(chain.sides[i - 1])]
            rest = " ".join(self._wrapping(r, side) for r, side in zip(rel, shown[1:]))
            note = f' <span class="note">{self.items(chain.note)}</span>' if chain.note else ""
            lhs = f"<math>{sides[0]}</math>" if sides[0] else ""
            rows.append(f'<tr><td class="label">{self.items(chain.label)}</td><td class="lhs">{lhs}</td>'
                        f'<td class="rhs">{rest}{note}</td></tr>')
        return '<table class="chains">\n' + "\n".join(rows) + "\n</table>"

    def _wrapping(self, relation: str, side) -> str:
        """"= side" as several <math> elements, so a browser can wrap a long side between them."""
        parts = self.pieces(side)
        parts[0] = f"<mo>{relation}</mo>" + parts[0]
        return " ".join(f"<math>{p}</math>" for p in parts)

    def pieces(self, x) -> list[str]:
        """MathML fragments of ``x`` that read as one expression when set side by side:
        the terms of a written-out sum, the factors of a product, else ``x`` whole.
        Short ones stay whole."""
        if len(plain(x)) <= SHORT:
            return [self.fragment(x)]
        if isinstance(x, Seq) and x.op == "/" and len(x.items) == 2 and isinstance(x.items[0], Seq) \
                and x.items[0].op == "+":
            terms = self._terms(x.items[0])
            terms[0] = _OPEN + terms[0]
            terms[-1] += _CLOSE + "<mo>/</mo>" + self.fragment(x.items[1])
            return terms
        if isinstance(x, Seq) and x.op == "+":
            return self._terms(x)
        expr = getattr(x, "expr", None)
        if isinstance(x, Math) and getattr(expr, "is_Mul", False) and not expr.could_extract_minus_sign() \
                and not any((f.is_Pow and f.exp.is_negative) or (f.is_Rational and not f.is_Integer)
                            for f in expr.args):
            printer = MathMLPrinter(x.values)
            printer._parents.append(expr)  # each factor stands inside the product
            factors = [printer.parenthesize(f, PRECEDENCE["Mul"]).toxml() for f in expr.args]
            glue = "<mo>·</mo>" if x.values else "<mo>\u2062</mo>"
            return [f + glue for f in factors[:-1]] + factors[-1:]
        return [self.fragment(x)]

    def _terms(self, x: Seq) -> list[str]:
        parts = [self.fragment(i, nested=isinstance(i, Num)) for i in x.items]
        return [p + "<mo>+</mo>" for p in parts[:-1]] + parts[-1:]

    def _print_Fields(self, block: Fields) -> str:
        rows = []
        for label, values in block.rows:
            rows.append(f"<tr><th>{escape(label)}</th><td>{self.field_value(values)}</td></tr>".replace(" </td>", "</td>"))
        return '<table class="fields">\n' + "\n".join(rows) + "\n</table>"

    def _print_Table(self, block: Table) -> str:
        head = "".join(f"<th>{self._print(c)}</th>" for c in block.header)
        body = "\n".join("<tr>" + "".join(f"<td>{self._print(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        return f'<table class="data">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def mat_mathml(entries, nested: bool = False) -> str:
    """A number, or a vector (a column) or matrix in brackets as an <mtable>; large ones elided
    (⋮, ⋯) with their shape as a subscript."""
    import numpy as np  # only matrix models get here

    from .matrix import HEAD, MAX_SHOWN, TAIL

    a = np.asarray(entries, dtype=object)
    number = lambda v: MathMLPrinter()._number(v).toxml()  # noqa: E731
    if a.ndim == 0:
        inner = number(a.item())
        return _paren(inner) if nested and "−" in inner[:12] else inner
    kept = lambda n: list(range(n)) if n <= MAX_SHOWN else list(range(HEAD)) + [None] + list(range(n - TAIL, n))  # noqa: E731
    grid = a.reshape(-1, 1) if a.ndim == 1 else a
    rows = [["<mo>⋮</mo>"] * len(kept(grid.shape[1])) if i is None else
            ["<mo>⋯</mo>" if j is None else number(grid[i, j]) for j in kept(grid.shape[1])] for i in kept(grid.shape[0])]
    table = "<mtable>" + "".join("<mtr>" + "".join(f"<mtd>{c}</mtd>" for c in row) + "</mtr>" for row in rows)
    out = f"<mrow><mo>[</mo>{table}</mtable><mo>]</mo></mrow>"
    if max(a.shape) > MAX_SHOWN:
        out = f"<msub>{out}<mtext>{'×'.join(map(str, a.shape))}</mtext></msub>"
    return out


class HtmlPage(HtmlFormat):
    """A whole page: the body in <main>, with :data:`STYLE`; ``extra_style`` and ``tail`` (the
    end of the body) are the interactive page's. Nothing is loaded from a network."""

    def __init__(self, extra_style: str = "", tail: str = ""):
        self.extra_style, self.tail = extra_style, tail

    def doprint(self, doc) -> str:
        head = ["<!DOCTYPE html>", f'<html lang="{escape(doc.lang)}">', "<head>", '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{escape(doc.title)}</title>", f"<style>{STYLE}{self.extra_style}</style>", "</head>",
                "<body>", "<main>"]
        tail = ["</main>"] + ([self.tail.rstrip("\n")] if self.tail else []) + ["</body>", "</html>"]
        return "\n".join(head + [super().doprint(doc).rstrip("\n")] + tail) + "\n"


def _inline(inner: str, math: bool) -> str:
    return inner if math else f"<math>{inner}</math>"


def _paren(inner: str) -> str:
    stretchy = "" if "<mfrac" in inner else ' stretchy="false"'
    return f"<mrow><mo{stretchy}>(</mo>{inner}<mo{stretchy}>)</mo></mrow>"


#: a space MathML keeps inside <mtext>
NBSP = "\u00a0"
#: a side printing at most this many characters is never split
SHORT = 40
_OPEN, _CLOSE = '<mo stretchy="false">(</mo>', '<mo stretchy="false">)</mo>'
