"""The LaTeX format: a fragment to paste into a document, or a whole document.

Equation chains become ``align*`` environments aligned on "="; the problem
statement and tables become ``tabular``. Text is escaped for LaTeX, and the
few symbols the wording uses (✓, …, η, ×) become LaTeX commands, so the
English document compiles with pdflatex; Chinese needs xelatex (xeCJK).
"""

from __future__ import annotations

from .document import Chains, Fields, Math, Num, Para, Seq, Table, Text, marked_sides, needs_parens, relations
from .printers import tex, tex_number

ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    "✓": r"\checkmark{}", "✗": r"$\times$", "…": r"\ldots{}", "η": r"$\eta$", "×": r"$\times$",
    "←": r"$\leftarrow$", "≈": r"$\approx$", "Σ": r"$\Sigma$", "ŷ": r"$\hat{y}$", "−": "-", "σ": r"$\sigma$",
}
_OPS = {"×": r"\times", "·": r"\cdot", "+": "+", "/": "/", " ": r"\,"}


def escape(text: str) -> str:
    """``text`` safe in LaTeX text mode."""
    return "".join(ESCAPES.get(ch, ch) for ch in text)


def item(x, math: bool, nested: bool = False) -> str:
    """One item in math mode (``math``) or text mode."""
    if isinstance(x, Text):
        if not x.text:
            return ""
        return rf"\text{{{escape(x.text)}}}" if math else escape(x.text)
    if isinstance(x, Num):
        text = tex_number(x.value)
        text = rf"\left({text}\right)" if nested and x.value < 0 else text
    elif isinstance(x, Math):
        text = tex(x.expr, x.values)
        text = rf"\left({text}\right)" if nested and needs_parens(x) else text
    elif isinstance(x, Seq):
        inner = f" {_OPS[x.op]} ".join(item(i, True, nested=x.op != "+" or isinstance(i, Num)) for i in x.items)
        text = rf"\left({inner}\right)" if nested and x.op == "+" else inner
    else:
        raise TypeError(f"cannot print {x!r}")
    return text if math else f"${text}$"


def items(xs, math: bool) -> str:
    return "".join(item(x, math) for x in xs)


def chains(block: Chains, env: str = "align*", notes: bool = True) -> str:
    lines = []
    for chain in block.rows:
        sides, approx = marked_sides(chain, lambda side: item(side, True))
        label = items(chain.label, True)
        head = (label + r"\colon\quad " if label else "") + sides[0]
        rel = relations(chain, len(sides) - 1, r"\leftarrow", "=", approx, r"\approx")
        body = head + " &" + " ".join(f"{r} {s}" for r, s in zip(rel, sides[1:]))
        # \tag* sets the note at the right margin, or on the next line if it does not fit
        note = items(chain.note, False) if notes else ""
        lines.append(body + (rf" \tag*{{{note}}}" if note else ""))
    return f"\\begin{{{env}}}\n  " + " \\\\\n  ".join(lines) + f"\n\\end{{{env}}}"


def fields(block: Fields) -> str:
    rows = []
    for label, values in block.rows:
        maths = ", ".join(item(v, False) for v in values if isinstance(v, Math))
        words = " ".join(item(v, False) for v in values if not isinstance(v, Math) and item(v, False))
        rows.append(f"{escape(label)} & {maths} {words}".rstrip() + r" \\")
    return "\\begin{tabular}{@{}ll@{}}\n" + "\n".join(rows) + "\n\\end{tabular}"


def table(block: Table) -> str:
    cols = "r" * len(block.header)
    head = " & ".join(item(c, False) for c in block.header) + r" \\ \hline"
    body = "\n".join(" & ".join(item(c, False) for c in row) + r" \\" for row in block.rows)
    return f"\\begin{{tabular}}{{{cols}}}\n{head}\n{body}\n\\end{{tabular}}"


def block_tex(block) -> str:
    if isinstance(block, Chains):
        return chains(block)
    if isinstance(block, Fields):
        return fields(block)
    if isinstance(block, Table):
        return "\\begin{center}\n" + table(block) + "\n\\end{center}"
    if isinstance(block, Para):
        return items(block.items, False)
    raise TypeError(f"cannot print {block!r}")


def body(doc, summary: bool = False) -> str:
    if summary:  # for notebooks (MathJax): the closed form and the update, display maths only
        rows = tuple(c for s in doc.sections[-2:] for b in s.blocks if isinstance(b, Chains) for c in b.rows)
        return "$$" + chains(Chains(rows), "aligned", notes=False) + "$$"
    parts = [rf"\section*{{{escape(doc.title)}}}"]
    for section in doc.sections:
        title = f"{section.number}. {section.title}" if section.number else section.title
        parts.append(rf"\subsection*{{{escape(title)}}}")
        parts += [block_tex(b) for b in section.blocks]
    return "\n\n".join(parts) + "\n"


#: CJK fonts tried in order (Debian: fonts-noto-cjk, fonts-wqy-microhei)
CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei")


def _cjk_font_choice() -> str:
    choice = "\\PackageError{symback}{No Chinese font found}{Install fonts-wqy-microhei or fonts-noto-cjk}"
    for font in reversed(CJK_FONTS):
        choice = f"\\IfFontExistsTF{{{font}}}{{\\def\\symbackcjk{{{font}}}}}{{{choice}}}"
    return choice + "\n"


def preamble(lang: str) -> str:
    """A preamble for pdflatex (English) or xelatex with a CJK font (Chinese).

    Chinese uses xeCJK where it is installed, else fontspec with a CJK main
    font and XeTeX's own line breaking between CJK characters.
    """
    common = "\\usepackage{amsmath,amssymb}\n\\usepackage[margin=2cm]{geometry}\n"
    if lang != "zh":
        # OT1, TeX's default: crisp Type 1 fonts without cm-super
        return "\\documentclass[11pt]{article}\n" + common
    return (
        "% Compile with xelatex.\n\\documentclass[11pt]{article}\n\\usepackage{fontspec}\n"
        + _cjk_font_choice()
        + "\\IfFileExists{xeCJK.sty}{\\usepackage{xeCJK}\\setCJKmainfont{\\symbackcjk}}"
        "{\\setmainfont{\\symbackcjk}\\XeTeXlinebreaklocale \"zh\"\\XeTeXlinebreakskip=0pt plus 1pt}\n"
        + common
    )


def render_latex(doc, standalone: bool = False, summary: bool = False) -> str:
    text = body(doc, summary)
    if not standalone:
        return text
    return preamble(doc.lang) + "\\begin{document}\n" + text + "\\end{document}\n"
