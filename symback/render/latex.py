"""The LaTeX format: a fragment to paste into a document, or a whole document.

Equation chains become ``align*`` environments aligned on "="; the problem
statement and tables become ``tabular``. Text is escaped for LaTeX, and the
few symbols the wording uses (✓, …, η, ×) become LaTeX commands, so the
English document compiles with pdflatex; Chinese needs xelatex (xeCJK).
"""

from __future__ import annotations

from . import matrix
from .document import Chains, Fields, Num, Para, Table, marked_sides, needs_parens, relations
from .printer import DocumentPrinter, numbered
from .printers import TexPrinter, tex_number

ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    "✓": r"\checkmark{}", "✗": r"$\times$", "…": r"\ldots{}", "η": r"$\eta$", "×": r"$\times$",
    "←": r"$\leftarrow$", "≈": r"$\approx$", "Σ": r"$\Sigma$", "ŷ": r"$\hat{y}$", "−": "-", "σ": r"$\sigma$",
    "δ": r"$\delta$", "∂": r"$\partial$", "⊙": r"$\odot$", "ᵀ": r"$^\top$",
}
_OPS = {"×": r"\times", "·": r"\cdot", "+": "+", "/": "/", " ": r"\,"}


def escape(text: str) -> str:
    """``text`` safe in LaTeX text mode."""
    return "".join(ESCAPES.get(ch, ch) for ch in text)


class LatexFormat(DocumentPrinter):
    """A fragment: the title a ``\\section*``, each section a ``\\subsection*``; ``standalone``
    wraps it in a whole document, ``summary`` keeps only the closed form and the update as
    display maths (for notebooks: MathJax)."""

    def __init__(self, standalone: bool = False, summary: bool = False):
        self.standalone, self.summary = standalone, summary

    def doprint(self, doc) -> str:
        if self.summary:
            rows = tuple(c for s in doc.sections[-2:] for b in s.blocks if isinstance(b, Chains) for c in b.rows)
            return "$$" + self._print_Chains(Chains(rows), "aligned", notes=False) + "$$"
        text = super().doprint(doc)
        if not self.standalone:
            return text
        return preamble(doc.lang) + "\\begin{document}\n" + text + "\\end{document}\n"

    def title(self, doc) -> str:
        return rf"\section*{{{self.escape(doc.title)}}}"

    def heading(self, section) -> str:
        return rf"\subsection*{{{self.escape(numbered(section))}}}"

    escape = staticmethod(escape)

    # -- items, in math mode (``math``) or text mode; ``slash`` (table cells) writes ∂L/∂r --

    def _print_Text(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        if not x.text:
            return ""
        return rf"\text{{{self.escape(x.text)}}}" if math else self.escape(x.text)

    def _print_Num(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        text = tex_number(x.value)
        return _inline(rf"\left({text}\right)" if nested and x.value < 0 else text, math)

    def _print_Math(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        text = (SlashTexPrinter if slash else TexPrinter)(x.values).doprint(x.expr)
        return _inline(rf"\left({text}\right)" if nested and needs_parens(x) else text, math)

    def _print_Seq(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        inner = f" {_OPS[x.op]} ".join(self._print(i, math=True, nested=x.op != "+" or isinstance(i, Num))
                                       for i in x.items)
        return _inline(rf"\left({inner}\right)" if nested and x.op == "+" else inner, math)

    def _print_Mat(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        return _inline(matrix.mat_latex(x.entries, nested), math)

    def _print_Formula(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        return _inline(matrix.formula_latex(x, lambda part: self._print(part, math=True, nested=True)), math)

    # -- blocks -------------------------------------------------------------------

    def _print_Chains(self, block: Chains, env: str = "align*", notes: bool = True) -> str:
        lines = []
        for chain in block.rows:
            sides, approx = marked_sides(chain, lambda side: self._print(side, math=True))
            label = self.items(chain.label, math=True)
            head = (label + r"\colon\quad " if label else "") + sides[0]
            rel = relations(chain, len(sides) - 1, r"\leftarrow", "=", approx, r"\approx")
            body = head + " &" + " ".join(f"{r} {s}" for r, s in zip(rel, sides[1:]))
            # \tag* sets the note at the right margin, or on the next line if it does not fit
            note = self.items(chain.note) if notes else ""
            lines.append(body + (rf" \tag*{{{note}}}" if note else ""))
        return f"\\begin{{{env}}}\n  " + " \\\\\n  ".join(lines) + f"\n\\end{{{env}}}"

    def _print_Fields(self, block: Fields) -> str:
        rows = []
        for label, values in block.rows:
            rows.append(f"{self.escape(label)} & {self.field_value(values)}".rstrip() + r" \\")
        return "\\begin{tabular}{@{}ll@{}}\n" + "\n".join(rows) + "\n\\end{tabular}"

    def _print_Table(self, block: Table) -> str:
        cols = "r" * len(block.header)
        head = " & ".join(self._print(c) for c in block.header) + r" \\ \hline"
        body = "\n".join(" & ".join(self._print(c) for c in row) + r" \\" for row in block.rows)
        return f"\\begin{{center}}\n\\begin{{tabular}}{{{cols}}}\n{head}\n{body}\n\\end{{tabular}}\n\\end{{center}}"

    def _print_Para(self, block: Para) -> str:
        return self.items(block.items)


class SlashTexPrinter(TexPrinter):
    """∂L/∂r written with a slash, for table cells, where stacked fractions crowd the rows."""

    def _gradient(self, top, bottom):
        return rf"\partial {self._print(top)}/\partial {self._print(bottom)}"


def _inline(text: str, math: bool) -> str:
    """Maths as it stands in math mode, or between dollars in text mode."""
    return text if math else f"${text}$"


#: prints items as LaTeX for other formats (Markdown's maths)
TEX = LatexFormat()


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
