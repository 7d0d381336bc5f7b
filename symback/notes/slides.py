"""The lesson as beamer slides: one idea per frame, for teaching from a projector.

Frames: the title; the question and its data; the model and the loss; the
computational graph; the forward pass (its rows appear one at a time); the
backward pass, revealed one edge per overlay (the arrow drawn strong, its
gradient equation below, the box's gradient appearing once every
contribution has arrived); the first update; the loss curve; what the
model learned; and, as in the notes, the lesson's PyTorch program with what
each line does, what it prints, and (SGD) the first epoch update by update.
The numbers and wording are the notes' own (the same
:class:`~symback.notes.lesson.Lesson`, the same catalogue), the figures the
same TikZ and pgfplots; words are escaped as in :mod:`.latex`. English
compiles with pdflatex, Chinese with xelatex and a CJK font; the packages
are beamer (texlive-latex-recommended), TikZ and pgfplots.
"""

from __future__ import annotations

from sympy import Derivative

from ..render.latex import preamble as explain_preamble
from ..render.document import Chains, Fields, Math, Num, Para, Seq
from ..render.explanation import result
from .blocks import Equals, Figure, Grid
from .content import forward_section, graph_section, model_section, question_section
from .figures import graph_figure
from .latex import NotesLatex, drawing, escape
from .results import curve_section, learned_section
from .tikz import COLOURS, curve_pgfplots, graph_tikz

#: the share of a frame's text height a drawing or table may take
TALL, GRAPH_WITH_EQUATION = r"0.80\textheight", r"0.60\textheight"
#: the room for the graph on a 16:9 frame, in em (width, height): it runs across when it can
FRAME = (44.0, 16.0)

_MACROS = (
    r"\setbeamertemplate{navigation symbols}{}" "\n"
    # onslide=<n>{style}: a TikZ style that holds only on overlay n (an arrow drawn strong)
    r"\tikzset{onslide/.code args={<#1>#2}{\only<#1>{\pgfkeysalso{#2}}}}" "\n"
    # \symbackfitin{height}{content}: content centred, shrunk to the line width and to height
    r"\newsavebox{\symbackslidebox}" "\n"
    r"\newcommand{\symbackfitin}[2]{\sbox{\symbackslidebox}{#2}%" "\n"
    r"\ifdim\wd\symbackslidebox>\linewidth"
    r"\sbox{\symbackslidebox}{\resizebox{\linewidth}{!}{\usebox{\symbackslidebox}}}\fi" "\n"
    r"\ifdim\dimexpr\ht\symbackslidebox+\dp\symbackslidebox\relax>#1"
    r"\sbox{\symbackslidebox}{\resizebox*{!}{#1}{\usebox{\symbackslidebox}}}\fi" "\n"
    r"{\centering\usebox{\symbackslidebox}\par}}" "\n"
)


#: hyperref (which beamer loads) asks xelatex for the ZapfDingbats font pzdr, missing from a small
#: TeX install (texlive-fonts-recommended); it only spaces link boxes, so the null font does
_NO_LINK_FONT = (r"\AddToHook{package/hyperref/before}{\let\symbackfont\font\def\font#1=#2\relax{\let#1\nullfont}}"
                 "\n" r"\AddToHook{package/hyperref/after}{\let\font\symbackfont}" "\n")


def preamble(engine: str) -> str:
    """beamer, 16:9; with xelatex a CJK font for both roman and sans text (beamer sets sans)."""
    head = "\\documentclass[aspectratio=169,11pt]{beamer}\n"
    if engine == "xelatex":
        zh = explain_preamble("zh")
        choice = zh[zh.index("\\IfFontExistsTF"):zh.index("\\IfFileExists{xeCJK.sty}")]
        head = ("% Compile with xelatex.\n" + _NO_LINK_FONT + head + "\\usepackage{fontspec}\n" + choice
                + "\\IfFileExists{xeCJK.sty}{\\usepackage{xeCJK}\\setCJKmainfont{\\symbackcjk}"
                  "\\setCJKsansfont{\\symbackcjk}}{\\setmainfont{\\symbackcjk}\\setsansfont{\\symbackcjk}"
                  "\\XeTeXlinebreaklocale \"zh\"\\XeTeXlinebreakskip=0pt plus 1pt}\n")
    return head + ("\\usepackage{amsmath,amssymb,booktabs,graphicx,xcolor,array}\n"
                   "\\usepackage{tikz}\n\\usetikzlibrary{arrows.meta}\n\\usepackage{pgfplots}\n"
                   "\\pgfplotsset{compat=1.18}\n" + COLOURS + "\n" + _MACROS)


def render_slides_tex(lesson, words, engine: str = "pdflatex", title: str = "") -> str:
    """The whole deck as a LaTeX file."""
    frames = [_frame("", "\\titlepage")] + [f for f in _frames(lesson, words) if f]
    head = f"\\title{{{escape(title or lesson.texts.get('title') or words('notes.title'))}}}\n\\date{{}}\n"
    return preamble(engine) + head + "\\begin{document}\n" + "\n".join(frames) + "\\end{document}\n"


def _frames(lesson, words) -> list[str]:
    d = lesson.derivation
    return [question_frame(lesson, words), model_frame(lesson, words), graph_frame(d, words),
            forward_frame(d, words), backward_frame(d, words), update_frame(lesson, words),
            *bridge_frames(lesson, words), curve_frame(lesson, words), learned_frame(lesson, words)]


def _frame(title: str, body: str) -> str:
    return f"\\begin{{frame}}{{{escape(title)}}}\n{body}\n\\end{{frame}}\n"


def _fit(content: str, height: str = TALL) -> str:
    return f"\\symbackfitin{{{height}}}{{{content}}}"


class SlidesFormat(NotesLatex):
    """A notes block on a slide: tables as tabulars fitted to the frame, figures drawn without captions."""

    def _print_Grid(self, block: Grid) -> str:
        return _fit("{\\large " + tabular(block) + "}")

    def _print_Figure(self, block: Figure) -> str:
        return _fit(drawing(block))


SLIDE = SlidesFormat()
block = SLIDE._print


def tabular(grid: Grid, reveal_from: int | None = None) -> str:
    """A booktabs tabular; with ``reveal_from`` row i appears on overlay reveal_from + i."""
    spec = "".join("r" if a == "r" else "l" for a in grid.align)
    head = " & ".join(SLIDE.items(c, slash=True) for c in grid.header) + r" \\ \midrule"
    rows = []
    for i, row in enumerate(grid.rows):
        cells = [SLIDE.items(c, slash=True) for c in row]
        if reveal_from is not None:
            cells = [rf"\uncover<{reveal_from + i}->{{{c}}}" for c in cells]
        rows.append(" & ".join(cells) + r" \\")
    return f"\\begin{{tabular}}{{@{{}}{spec}@{{}}}}\\toprule\n{head}\n" + "\n".join(rows) + "\n\\bottomrule\\end{tabular}"


def question_frame(lesson, words) -> str:
    section = question_section(lesson, words)
    return _frame(section.title, "\n\n\\medskip\n".join(block(b) for b in section.blocks))


def model_frame(lesson, words) -> str:
    section = model_section(lesson, words)
    facts = [b for b in section.blocks if isinstance(b, Fields)]
    return _frame(section.title, "\n\n".join(block(b) for b in facts))


def graph_frame(d, words) -> str:
    section = graph_section(d, words)
    drawn = graph_figure(d, words, FRAME)
    body = _fit(graph_tikz(drawn, escape)) if drawn else "\n\n".join(block(b) for b in section.blocks)
    return _frame(section.title, body)


def forward_frame(d, words) -> str:
    section = forward_section(d, words)
    grid = next(b for b in section.blocks if isinstance(b, Grid))
    table = "{\\large " + tabular(grid, reveal_from=1) + "}"
    return _frame(section.title, SLIDE.items(section.blocks[0].items) + "\n\n\\medskip\n" + _fit(table))


def backward_steps(d, words) -> list[tuple]:
    """One overlay per step: (node whose gradient it completes or None, equation, rule words).

    The seed ∂L/∂L = 1, then every edge from the loss down (upstream × local), and for a node
    used more than once a last step that adds its contributions."""
    L = d.graph.loss
    steps = [(L, (), Equals((Math(Derivative(L, L)), Num(1.0))), words("explain.seed"))]
    local_of = {(l.node.name, l.child): l for l in d.locals}
    for adjoint in d.adjoints[1:]:
        u, many = adjoint.node, len(adjoint.contributions) > 1
        for c in adjoint.contributions:
            local = local_of[(c.via, u)]
            local_side = Math(Derivative(c.via, u) if local.expr.is_Number else local.expr)
            equation = Equals((Math(Derivative(L, u)), Seq("×", (Math(Derivative(L, c.via)), local_side)),
                               Seq("×", (Num(c.upstream), Num(c.local))), result(c.value)))
            steps.append((None if many else u, ((u, c.via),), equation, words("explain.rule." + local.rule.key)))
        if many:
            total = Equals((Math(Derivative(L, u)), Seq("+", tuple(Num(c.value) for c in adjoint.contributions)),
                            result(adjoint.value)))
            edges = tuple((u, c.via) for c in adjoint.contributions)
            steps.append((u, edges, total, words("notes.sum_row", n=len(adjoint.contributions))))
    return steps


def backward_frame(d, words) -> str:
    """The graph with each edge drawn strong on its overlay and its equation below."""
    drawn = graph_figure(d, words, FRAME)
    steps = backward_steps(d, words)
    title = words("notes.backward")
    if drawn is None:
        return _frame(title, "\n".join(_equation(k, s) for k, s in enumerate(steps, start=1)))
    grad_from = {node: k for k, (node, *_rest) in enumerate(steps, start=1) if node is not None}
    edge_at: dict = {}
    for k, (_node, edges, *_rest) in enumerate(steps, start=1):
        for edge in edges:
            edge_at.setdefault(edge, []).append(str(k))
    picture = graph_tikz(drawn, escape, (grad_from, {e: ",".join(ks) for e, ks in edge_at.items()}))
    body = _fit(picture, GRAPH_WITH_EQUATION) + "\n\\vspace{0.5em}\n" + "\n".join(
        _equation(k, s) for k, s in enumerate(steps, start=1))
    return _frame(title, body)


def _equation(k: int, step) -> str:
    _node, _edges, equation, rule = step
    return (f"\\only<{k}>{{\\begin{{center}}\\large$\\displaystyle {SLIDE._print(equation, math=True)}$\\\\[0.3em]"
            f"{{\\small\\color{{black!65}}{escape(rule)}}}\\end{{center}}}}")


def update_frame(lesson, words) -> str:
    from .content import first_update_section

    section = first_update_section(lesson, words)
    last = [b for b in section.blocks if isinstance(b, Chains)][-1:]
    after = [b for b in section.blocks[section.blocks.index(last[0]) + 1:] if isinstance(b, Para)] if last else []
    return _frame(section.title, "\n\n".join(block(b) for b in last + after))


#: program lines on one frame of the PyTorch bridge
LISTING_LINES = 11


def bridge_frames(lesson, words) -> list[str]:
    """The lesson's PyTorch program (each line with the step it performs), what it prints, and
    for SGD the first epoch update by update: the notes' section "The same in PyTorch"."""
    from ..export.program import Refs
    from .blocks import Listing, Output
    from .bridge import bridge_section

    where = Refs(words("notes.forward"), words("notes.backward"), words("notes.first_update"))
    section = bridge_section(lesson, words, where)
    listing = next(b for b in section.blocks if isinstance(b, Listing))
    lines = [line for line in listing.lines if line[0].strip() or line[1]]
    size = -(-len(lines) // -(-len(lines) // LISTING_LINES))  # as many lines on each frame, at most LISTING_LINES
    frames = [_frame(section.title, _fit(_listing(lines[i:i + size]))) for i in range(0, len(lines), size)]
    at = section.blocks.index(listing)
    printed = next(b for b in section.blocks if isinstance(b, Output))
    rest = section.blocks[section.blocks.index(printed) + 1:]
    body = [SLIDE.items(section.blocks[at + 1].items), _fit(_printout(printed.text), r"0.45\textheight")]
    body += [f"{{\\small {SLIDE.items(rest[0].items)}}}"] if rest and isinstance(rest[0], Para) else []
    frames.append(_frame(section.title, "\n\n".join(body)))
    if len(rest) > 1:  # SGD: the first epoch, update by update
        frames.append(_frame(section.title, "\n\n".join(block(b) for b in rest[1:])))
    return frames


def _listing(lines) -> str:
    """Program lines: the code in typewriter type (indents kept), what each line does beside it."""
    from .latex import code_cell

    rows = []
    for code, note in lines:
        rows.append(code_cell(code) + " & " + (r"\leavevmode\color{black!65}" + SLIDE.items(note, slash=True) if note else "") + r" \\")
    return ("{\\footnotesize\\begin{tabular}{@{}>{\\raggedright\\arraybackslash\\ttfamily}p{0.55\\textwidth}"
            ">{\\raggedright\\arraybackslash}p{0.42\\textwidth}@{}}\n" + "\n".join(rows) + "\n\\end{tabular}}")


def _printout(text: str) -> str:
    """What a program prints, line by line in typewriter type (no verbatim: frames stay plain)."""
    from .latex import _code

    lines = [_code(line.replace("\t", "    ").replace("…", "...")).replace(" ", "~") for line in text.split("\n")]
    return "{\\ttfamily\\small\\begin{tabular}{@{}l@{}}" + " \\\\\n".join(lines) + "\\end{tabular}}"


def curve_frame(lesson, words) -> str | None:
    section = curve_section(lesson, words)
    if section is None:
        return None
    figure = section.blocks[0]
    curve = _fit(curve_pgfplots(figure.data, escape), GRAPH_WITH_EQUATION)
    return _frame(section.title, curve + "\n\n{\\small " + SLIDE.items(figure.caption) + "}")


def learned_frame(lesson, words) -> str:
    section = learned_section(lesson, words)
    return _frame(section.title, "\n\n".join(block(b) for b in section.blocks))


__all__ = ["render_slides_tex", "backward_steps", "preamble"]
