"""The notes as a standalone LaTeX document.

English compiles with pdflatex, Chinese with xelatex and a CJK font (the
font choice of :func:`symback.render.latex.preamble`, which needs no
xeCJK); a document whose own text (a teacher's title, say) needs more than
pdflatex's Latin characters is sent to xelatex too (:func:`engine`). Every
word is escaped; the few mathematical characters the wording uses (∂, ₁,
K̄, |, <, >) become maths. Packages: only those of texlive-latex-base,
-latex-recommended, -pictures and -xetex.
"""

from __future__ import annotations

import unicodedata

from sympy import Sum
from sympy.printing.precedence import PRECEDENCE

from ..render import latex as base
from ..render.document import Chains, Math, Num, Seq, equation
from ..render.latex import LatexFormat
from ..render.printers import TexPrinter
from ..render.text import item as plain_item
from .blocks import Equals, Figure, Grid, Listing, Output, joined_equation
from .geometry import text_width
from .tikz import COLOURS, curve_pgfplots, graph_tikz

_EXTRA = {
    "∂": r"$\partial$", "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "·": r"$\cdot$",
    "₁": r"\textsubscript{1}", "₂": r"\textsubscript{2}", "ₙ": r"\textsubscript{n}", "≈": r"$\approx$",
    "∞": r"$\infty$", "—": "---", "–": "--", "\u00a0": "~",
    "-": "-{}",  # never a ligature: --to stays two hyphens (dashes are written as – and —)
}
#: the non-ASCII characters pdflatex sets in the notes' fonts (OT1, LaTeX's UTF-8 input): found by
#: compiling U+00A0-U+024F (tests/test_notes_tex_safety.py compiles them all again); others need xelatex
PDFLATEX_RANGES = ((0xA0, 0xAA), (0xAC, 0xBA), (0xBC, 0xCF), (0xD1, 0xDD), (0xDF, 0xEF), (0xF1, 0xFD),
                   (0xFF, 0x103), (0x106, 0x10F), (0x112, 0x117), (0x11A, 0x125), (0x128, 0x12D), (0x130, 0x137),
                   (0x139, 0x13E), (0x141, 0x148), (0x14C, 0x165), (0x168, 0x171), (0x174, 0x17E), (0x192, 0x192),
                   (0x1C4, 0x1D4), (0x1E2, 0x1E3), (0x1E6, 0x1E9), (0x1F0, 0x1F0), (0x1F4, 0x1F5), (0x218, 0x21B),
                   (0x232, 0x233), (0x237, 0x237))
_PDFLATEX = frozenset(chr(c) for start, end in PDFLATEX_RANGES for c in range(start, end + 1))
#: an equation chain longer than this many characters is broken, one "=" per line
LONG_CHAIN = 70
#: a line of code longer than this may wrap in its table cell (the slides' cell is the narrower)
WRAPPED_CODE = 40


def escape(text: str) -> str:
    """Words safe in LaTeX text mode: a letter with a combining bar (K̄) becomes maths, any other
    character with a bar takes the text accent over its escaped form; control characters go
    (a line break or tab becomes a space)."""
    out, chars = [], list(text)
    for i, ch in enumerate(chars):
        if ch == "\u0304":
            continue
        if unicodedata.category(ch) in ("Cc", "Zs") and ch not in _EXTRA:
            out.append(" " if ch in "\n\t\r" or ch.isspace() else "")
        elif i + 1 < len(chars) and chars[i + 1] == "\u0304":
            out.append(rf"$\bar{{{ch}}}$" if ch.isascii() and ch.isalpha() else rf"\={{{_char(ch)}}}")
        else:
            out.append(_char(ch))
    return "".join(out)


def _char(ch: str) -> str:
    return _EXTRA.get(ch) or base.escape(ch)


def engine(doc) -> str:
    """xelatex for Chinese, or for any text pdflatex cannot set; else pdflatex."""
    if doc.lang == "zh":
        return "xelatex"
    return "xelatex" if any(_needs_unicode(ch) for ch in _all_text(doc)) else "pdflatex"


def _needs_unicode(ch: str) -> bool:
    known = ch in _EXTRA or ch in base.ESCAPES or ch in _PDFLATEX or ch == "\u0304"
    return not (ch.isascii() or known or unicodedata.category(ch) in ("Zs", "Cc"))


def _all_text(doc) -> str:
    texts = [doc.title]
    for section in doc.sections:
        texts.append(section.title)
        for block in section.blocks:
            texts.append(repr(block))  # words are inside; over-inclusion only means xelatex
    return "".join(texts)


class NotesLatex(LatexFormat):
    """The notes as a whole LaTeX file: the LaTeX format with its own words (:func:`escape`),
    chains that break when long, and the notes' blocks (grids, figures, listings, output)."""

    block_gap = section_gap = block_end = "\n"

    def doprint(self, doc) -> str:
        return super().doprint(doc) + "\\symbackflush\n\\end{document}\n"

    def title(self, doc) -> str:
        return f"{preamble(doc)}\n\\begin{{document}}\n{{\\raggedright\\LARGE\\bfseries {escape(doc.title)}\\par}}\n"

    def heading(self, section) -> str:
        number = f"{section.number}.\\ " if section.number else ""
        return rf"\symbackrelease\section*{{{number}{escape(section.title)}}}"

    escape = staticmethod(escape)  # the notes' own, which writes more characters as maths

    def _print_Equals(self, x, math: bool = False, nested: bool = False, slash: bool = False) -> str:
        text = joined_equation(x, lambda s: self._print(s, math=True, slash=slash), " = ", r" \approx ")
        return text if math else f"${text}$"

    def _print_Fields(self, block) -> str:
        return base.TEX._print(block)  # the problem statement as explain's LaTeX prints it

    def _print_Chains(self, block: Chains) -> str:
        """An align* group; if a chain is too long for one line, every chain of the group
        becomes a paragraph that may break (so the group stays alike)."""
        if all(_width(chain) <= LONG_CHAIN for chain in block.rows):
            return _align([self._aligned_row(chain) for chain in block.rows])
        return "\n".join(self._broken_row(chain) for chain in block.rows)

    def _sides(self, chain, render) -> tuple[list[str], list[str]]:
        """The sides (a repeat dropped) and the relations between them: ←, =, or ≈ before a rounded number."""
        return equation(chain, render, r"\leftarrow", "=", r"\approx")

    def _aligned_row(self, chain) -> str:
        sides, rel = self._sides(chain, lambda s: self._print(s, math=True))
        label = self.items(chain.label, math=True)
        head = (label + r"\colon\quad " if label else "") + sides[0]
        body = head + " &" + " ".join(f"{r} {s}" for r, s in zip(rel, sides[1:]))
        note = self.items(chain.note, math=True)
        return body + (rf" && {note}" if note else "")

    def _broken_row(self, chain) -> str:
        """The chain as display-style maths in a paragraph: TeX breaks it after "=",
        "+", "−" and between the factors of a product, and indents what follows."""
        sides, rel = self._sides(chain, self.breakable)
        maths = sides[0] + "".join(f" {r} \\allowbreak {s}" for r, s in zip(rel, sides[1:]))
        label = self.items(chain.label)
        note = self.items(chain.note)
        indent = r"\hspace*{3em}" if not sides[0] else ""  # a continuation of the chain above
        return ("\\begin{flushleft}\\hangindent=3em\\hangafter=1 " + indent + (label + ": " if label else "")
                + f"$\\displaystyle {maths}$" + (rf"\quad {note}" if note else "") + "\n\\end{flushleft}")

    def breakable(self, x) -> str:
        """Maths that may break: between the factors of a top-level product and the
        terms of a written-out sum (a SymPy sum breaks after its operators anyway)."""
        if isinstance(x, Seq):
            return self._breakable_seq(x)
        expr = getattr(x, "expr", None)
        if not isinstance(x, Math) or not getattr(expr, "is_Mul", False) or expr.could_extract_minus_sign() \
                or any((f.is_Pow and f.exp.is_negative) or (f.is_Rational and not f.is_Integer) or isinstance(f, Sum)
                       for f in expr.args):
            return self._print(x, math=True)
        printer = TexPrinter(x.values)
        printer._parents.append(expr)  # each factor stands inside the product: negative numbers get parentheses
        glue = r" \cdot \penalty700 " if x.values else r" \penalty700 "  # a break here only if it must
        return glue.join(printer.parenthesize(f, PRECEDENCE["Mul"]) for f in expr.args)

    def _breakable_seq(self, x: Seq) -> str:
        if x.op == "/" and len(x.items) == 2 and isinstance(x.items[0], Seq):
            return r"\bigl(" + self._breakable_seq(x.items[0]) + r"\bigr) / " + self._print(x.items[1], math=True)
        if x.op == "+":
            return r" + \allowbreak ".join(self._print(i, math=True, nested=isinstance(i, Num)) for i in x.items)
        return self._print(x, math=True)

    def _print_Grid(self, block: Grid) -> str:
        """A longtable (it may break across pages), header repeated on each page."""
        spec = _columns(block)
        head = " & ".join(self.items(c, slash=True) for c in block.header) + r" \\ \midrule"
        body = "\n".join(" & ".join(self.items(c, slash=True) for c in row) + r" \\" for row in block.rows)
        return (f"{{\\small\\setlength{{\\tabcolsep}}{{{_separation(block)}pt}}\n\\begin{{longtable}}{{@{{}}" + spec
                + "@{}}\n\\toprule\n" + head + "\n\\endhead\n"
                + body + "\n\\bottomrule\n\\end{longtable}}")

    def _print_Figure(self, block: Figure) -> str:
        """The drawing and its caption in one unbreakable box (they never part at a page break),
        placed by ``\\symbackfigure``: where it is written when it fits the rest of the page, shrunk
        to fit when that is enough, else at the top of the next page (the graph: after the next
        section, which fills the page first)."""
        caption = r"\textbf{" + self.items(block.label) + r"}\quad " + self.items(block.caption)
        hold = "[hold]" if block.kind == "graph" else ""
        return ("\\symbackfigure" + hold + "{\\symbackfit{" + drawing(block) + "}\n\n"
                "\\vspace{0.6em}\\begin{minipage}{0.92\\linewidth}\\small " + caption + "\\end{minipage}}")

    def _print_Listing(self, block: Listing) -> str:
        """The program as two columns: the code (typewriter, indents kept) and what each line does."""
        rows = []
        for code, note in block.lines:
            text = code_cell(code)
            if not code.strip() and note:  # a comment on a line of its own spans both columns
                rows.append(r"\multicolumn{2}{@{}l@{}}{\itshape\color{black!65}" + self.items(note, slash=True) + r"} \\")
            else:
                rows.append(text + " & " + (r"\color{black!65}" + self.items(note, slash=True) if note else "") + r" \\")
        return ("{\\footnotesize\\renewcommand{\\arraystretch}{1.15}\\setlength{\\tabcolsep}{5pt}\n"
                "\\begin{longtable}{@{}>{\\raggedright\\arraybackslash\\ttfamily}p{0.56\\linewidth}"
                ">{\\raggedright\\arraybackslash}p{0.40\\linewidth}@{}}\n" + "\n".join(rows) + "\n\\end{longtable}}")

    def _print_Output(self, block: Output) -> str:
        """What the program prints, verbatim (only numbers and ASCII words), in a size that fits the line."""
        lines = [_fold(line) for line in block.text.replace("\t", "    ").replace("…", "...").split("\n")]
        widest = max(len(x) for line in lines for x in line.split("\n"))
        size = "small" if widest <= 78 else "footnotesize" if widest <= 86 else "scriptsize"
        return "{\\" + size + "\n\\begin{verbatim}\n" + "\n".join(lines) + "\n\\end{verbatim}\n}"


def drawing(block: Figure) -> str:
    """The figure's TikZ picture or pgfplots axis."""
    return graph_tikz(block.data, escape) if block.kind == "graph" else curve_pgfplots(block.data, escape)


def _align(rows) -> str:
    return "\\begin{align*}\n  " + " \\\\\n  ".join(rows) + "\n\\end{align*}"


def _width(chain) -> float:
    """Rough printed width of a chain, in characters of its Unicode form."""
    return _length(tuple(chain.label) + tuple(chain.sides) + tuple(chain.note)) + 3 * len(chain.sides)


#: fraction of the line one character of a \small table cell takes, and the gap between columns
CHAR, GAP = 0.0112, 0.018


def _length(cell) -> float:
    """Characters a cell prints (its Unicode form; a Chinese character counts as two)."""
    return sum(_length(x.sides) + 3 * len(x.sides) if isinstance(x, Equals) else text_width(plain_item(x)) / 0.56
               for x in cell)


#: half the gap between columns, in pt: wide where the table leaves room (tables of numbers)
SEPARATION, TIGHT = 9, 4
LINE_PT = 470


def _separation(block: Grid) -> int:
    """Columns of numbers stand well apart when the line has room for it."""
    if any(a not in "lr" for a in block.align):
        return TIGHT
    table = (block.header,) + tuple(block.rows)
    natural = sum(CHAR * max(_length(row[j]) for row in table) for j in range(len(block.align)))
    wide = natural + 2 * SEPARATION * (len(block.align) - 1) / LINE_PT <= 0.97
    return SEPARATION if wide else TIGHT


def _columns(block: Grid) -> str:
    """l and r as they are; w (wrapping) columns share what the others leave; n is narrow."""
    table = (block.header,) + tuple(block.rows)
    natural = [CHAR * max(_length(row[j]) for row in table) if a in "lr" else 0.0 for j, a in enumerate(block.align)]
    narrow = 0.12
    free = 0.97 - GAP * (len(block.align) - 1) - narrow * block.align.count("n") - sum(natural)
    share = max(free / max(1, block.align.count("w")), 0.12)
    spec = []
    for a in block.align:
        if a in "lr":
            spec.append(a)
        else:
            spec.append(rf">{{\raggedright\arraybackslash}}p{{{narrow if a == 'n' else share:.3f}\linewidth}}")
    return "".join(spec)


def code_cell(code: str) -> str:
    """A line of code in a table cell: its indent kept, and a line too long for the cell
    continued further in (hanging), so the continuation never reads as a line of its own."""
    indent = 0.5 * (len(code) - len(code.lstrip(" ")))
    hang = r"\hangindent=%.1fem\hangafter=1 " % (indent + 1.5) if len(code) > WRAPPED_CODE else ""
    return hang + (r"\hspace*{%.1fem}" % indent if indent else "") + _code(code.lstrip(" ") if indent else code)


def _code(text: str) -> str:
    """Code in typewriter type: escaped, straight quotes; it may break at its spaces."""
    return "".join(r"\textquotesingle{}" if ch == "'" else escape(ch) for ch in text) if text else r"\mbox{}"


def _fold(line: str, width: int = 104) -> str:
    """A line longer than ``width`` broken at spaces, the rest indented."""
    out = []
    while len(line) > width and " " in line[:width]:
        cut = line.rindex(" ", 0, width)
        out.append(line[:cut])
        line = "        " + line[cut + 1:]
    return "\n".join(out + [line])


_FIT = (r"\newsavebox{\symbackbox}" "\n"
        r"\newcommand{\symbackfit}[1]{\sbox{\symbackbox}{#1}\ifdim\wd\symbackbox>\linewidth"
        r"\resizebox{\linewidth}{!}{\usebox{\symbackbox}}\else\usebox{\symbackbox}\fi}" "\n")
#: a figure goes where it is written: whole if it fits the room left on the page (\pagegoal minus
#: \pagetotal, as the needspace package measures it), shrunk to fit if no less than 2/3 of it is
#: needed, else whole at the top of the next page (a float would drift past the longtables). The
#: graph (``\symbackfigure[hold]``) that fits none of these ways is held back instead, so the next
#: section fills the page rather than leaving it half empty: \symbackrelease, written before every
#: heading, sets it before the heading after that one (at the top of the next page, the page its
#: text ended on being full); \symbackflush at the end of the document sets one still held
_NEAR = (r"\newsavebox{\symbackfigbox}\newsavebox{\symbackheldbox}\newcount\symbackholding"
         r"\newlength{\symbackroom}\newlength{\symbackneed}" "\n"
         r"\newcommand{\symbackplace}{\begin{center}\usebox{\symbackfigbox}\end{center}}" "\n"
         r"\newcommand{\symbackfigure}[2][]{\par"
         r"\sbox{\symbackfigbox}{\begin{minipage}{\linewidth}\centering #2\end{minipage}}%" "\n"
         r"\setlength{\symbackneed}{\dimexpr\ht\symbackfigbox+\dp\symbackfigbox\relax}%" "\n"
         r"\setlength{\symbackroom}{\dimexpr\pagegoal-\pagetotal-2\baselineskip\relax}%" "\n"
         r"\ifdim\symbackneed<\symbackroom\symbackplace\else\ifdim\dimexpr\symbackneed*2/3\relax<\symbackroom"
         r"\sbox{\symbackfigbox}{\resizebox*{!}{\symbackroom}{\usebox{\symbackfigbox}}}\symbackplace" "\n"
         r"\else\if\relax\detokenize{#1}\relax\symbackplace"
         r"\else\global\setbox\symbackheldbox\copy\symbackfigbox\global\symbackholding=2 \fi\fi\fi}" "\n"
         r"\newcommand{\symbackrelease}{\ifnum\symbackholding>0 \global\advance\symbackholding by -1 "
         r"\ifnum\symbackholding=0 \par\sbox{\symbackfigbox}{\usebox{\symbackheldbox}}\symbackplace\fi\fi}" "\n"
         r"\newcommand{\symbackflush}{\ifnum\symbackholding>0 \global\symbackholding=1 \symbackrelease\fi}" "\n")


def preamble(doc) -> str:
    """Packages, colours and the fit-to-width box; CJK fonts where the engine is xelatex."""
    head = "\\documentclass[11pt,a4paper]{article}\n"
    if engine(doc) == "xelatex":
        zh = base.preamble("zh")  # fontspec and the CJK font choice, without xeCJK
        head = "% Compile with xelatex.\n" + head + zh[zh.index("\\usepackage{fontspec}"):]
        head = head.replace("\\usepackage{amsmath,amssymb}\n\\usepackage[margin=2cm]{geometry}\n", "")
    return head + (
        "\\usepackage{amsmath,amssymb}\n\\usepackage[margin=2.2cm]{geometry}\n"
        "\\usepackage{graphicx,longtable,booktabs,array,xcolor}\n"
        "\\usepackage{tikz}\n\\usetikzlibrary{arrows.meta}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"
        "\\setlength{\\parindent}{0pt}\n\\setlength{\\parskip}{0.55em}\n\\setlength{\\LTpre}{0.3em}\n\\renewcommand{\\arraystretch}{1.45}\n"
        "\\allowdisplaybreaks\n" + COLOURS + "\n" + _FIT + _NEAR
    )


def render_notes_tex(doc) -> str:
    """The Document as a whole LaTeX file."""
    return NotesLatex().doprint(doc)
