"""HTML for the blocks of a Document, with maths as native MathML.

Words are HTML-escaped; maths comes from :mod:`.mathml`. An equation chain
is a table row: its label, the left side, then the rest as inline maths
that may wrap, so the first "=" of every chain lines up and a long chain
still fits a narrow screen. Nothing here loads anything from a network.
"""

from __future__ import annotations

from html import escape

from sympy.printing.precedence import PRECEDENCE

from .document import Chains, Fields, Math, Num, Para, Seq, Table, Text, equation, needs_parens
from .mathml import MathMLPrinter

_OPS = {"×": "×", "·": "·", "+": "+", "/": "/", " ": "\u2009"}


def fragment(x, nested: bool = False) -> str:
    """One item as MathML inside a <math> element (no <math> around it)."""
    printer = MathMLPrinter(getattr(x, "values", None))
    if isinstance(x, Text):
        return f"<mtext>{escape(x.text)}</mtext>" if x.text else ""
    if isinstance(x, Num):
        inner = printer._number(x.value).toxml()
        return _paren(inner) if nested and x.value < 0 else inner
    if isinstance(x, Math):
        inner = printer.doprint(x.expr)
        return _paren(inner) if nested and needs_parens(x) else inner
    if isinstance(x, Seq):
        parts = [fragment(i, nested=x.op != "+" or isinstance(i, Num)) for i in x.items]
        inner = "<mrow>" + f"<mo>{_OPS[x.op]}</mo>".join(parts) + "</mrow>"
        return _paren(inner) if nested and x.op == "+" else inner
    raise TypeError(f"cannot print {x!r}")


def _paren(inner: str) -> str:
    stretchy = "" if "<mfrac" in inner else ' stretchy="false"'
    return f"<mrow><mo{stretchy}>(</mo>{inner}<mo{stretchy}>)</mo></mrow>"


#: ✓ drawn, not typed: some fonts draw the character like a square root √
TICK = ('<svg class="tick" viewBox="0 0 10 10" width="12" height="12" role="img" aria-label="✓">'
        '<path d="M1.2 5.6 L4 8.4 L8.8 1.6" fill="none" stroke="#1a7f37" stroke-width="1.7" '
        'stroke-linecap="round" stroke-linejoin="round"/></svg>')


def item(x) -> str:
    """An item in running text: words escaped, anything else an inline <math>."""
    if isinstance(x, Text):
        return escape(x.text).replace("✓", TICK)
    return f"<math>{fragment(x)}</math>"


def items(xs) -> str:
    return "".join(item(x) for x in xs)


def chains(block: Chains) -> str:
    """label | left side | = the other sides … note, one row per chain."""
    rows = []
    for chain in block.rows:
        sides, rel = equation(chain, fragment, "←", "=", "≈")
        shown = [s for i, s in enumerate(chain.sides) if i == 0 or fragment(s) != fragment(chain.sides[i - 1])]
        rest = " ".join(_wrapping(r, side) for r, side in zip(rel, shown[1:]))
        note = f' <span class="note">{items(chain.note)}</span>' if chain.note else ""
        lhs = f"<math>{sides[0]}</math>" if sides[0] else ""
        rows.append(f'<tr><td class="label">{items(chain.label)}</td><td class="lhs">{lhs}</td>'
                    f'<td class="rhs">{rest}{note}</td></tr>')
    return '<table class="chains">\n' + "\n".join(rows) + "\n</table>"


def _wrapping(relation: str, side) -> str:
    """"= side" as several <math> elements, so a browser can wrap a long side between them."""
    parts = pieces(side)
    parts[0] = f"<mo>{relation}</mo>" + parts[0]
    return " ".join(f"<math>{p}</math>" for p in parts)


def pieces(x) -> list[str]:
    """MathML fragments of ``x`` that read as one expression when set side by side:
    the terms of a written-out sum, the factors of a product, else ``x`` whole.
    Short ones stay whole."""
    from .text import item as plain

    if len(plain(x)) <= SHORT:
        return [fragment(x)]
    if isinstance(x, Seq) and x.op == "/" and len(x.items) == 2 and isinstance(x.items[0], Seq) \
            and x.items[0].op == "+":
        terms = _terms(x.items[0])
        terms[0] = _OPEN + terms[0]
        terms[-1] += _CLOSE + "<mo>/</mo>" + fragment(x.items[1])
        return terms
    if isinstance(x, Seq) and x.op == "+":
        return _terms(x)
    expr = getattr(x, "expr", None)
    if isinstance(x, Math) and getattr(expr, "is_Mul", False) and not expr.could_extract_minus_sign() \
            and not any((f.is_Pow and f.exp.is_negative) or (f.is_Rational and not f.is_Integer) for f in expr.args):
        printer = MathMLPrinter(x.values)
        printer._depth = 0  # each factor stands inside a product
        factors = [printer.parenthesize(f, PRECEDENCE["Mul"]).toxml() for f in expr.args]
        glue = "<mo>·</mo>" if x.values else "<mo>\u2062</mo>"
        return [f + glue for f in factors[:-1]] + factors[-1:]
    return [fragment(x)]


#: a side printing at most this many characters is never split
SHORT = 40
_OPEN, _CLOSE = '<mo stretchy="false">(</mo>', '<mo stretchy="false">)</mo>'


def _terms(x: Seq) -> list[str]:
    parts = [fragment(i, nested=isinstance(i, Num)) for i in x.items]
    return [p + "<mo>+</mo>" for p in parts[:-1]] + parts[-1:]


def fields(block: Fields) -> str:
    rows = []
    for label, values in block.rows:
        maths = ", ".join(item(v) for v in values if isinstance(v, Math))
        words = " ".join(item(v) for v in values if not isinstance(v, Math) and item(v))
        rows.append(f"<tr><th>{escape(label)}</th><td>{maths} {words}</td></tr>".replace(" </td>", "</td>"))
    return '<table class="fields">\n' + "\n".join(rows) + "\n</table>"


def table(block: Table) -> str:
    head = "".join(f"<th>{item(c)}</th>" for c in block.header)
    body = "\n".join("<tr>" + "".join(f"<td>{item(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    return f'<table class="data">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def block_html(block) -> str:
    if isinstance(block, Para):
        return f"<p>{items(block.items)}</p>"
    if isinstance(block, Chains):
        return chains(block)
    if isinstance(block, Fields):
        return fields(block)
    if isinstance(block, Table):
        return table(block)
    raise TypeError(f"cannot print {block!r}")
