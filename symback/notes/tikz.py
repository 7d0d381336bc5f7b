"""The figures in LaTeX: the graph in TikZ, the loss curve in pgfplots.

Both compile with pdflatex or xelatex and need nothing outside TeX
(texlive-pictures). Positions come from :mod:`.geometry` in em; one em is
10 pt here (the size of \\small in an 11 pt document). Node text is maths
from SymPy's LaTeX printer; words are escaped.
"""

from __future__ import annotations

import math

from ..core.numeric import format_float
from ..render.printers import tex
from .geometry import place, short
from .svg import box_lines

PT_PER_EM = 10
NEWLINE = r"\\ "
STYLE = {
    "param": "draw=paramline, fill=paramfill",
    "data": "draw=dataline, fill=datafill, dashed",
    "node": "draw=nodeline, fill=nodefill",
}
#: colours shared with the SVG figures
COLOURS = (r"\definecolor{paramfill}{HTML}{FFF4CC}\definecolor{paramline}{HTML}{B7860B}"
           r"\definecolor{datafill}{HTML}{F2F2F2}\definecolor{dataline}{HTML}{8A8A8A}"
           r"\definecolor{nodefill}{HTML}{E8F0FB}\definecolor{nodeline}{HTML}{3B6EA5}"
           r"\definecolor{valuecol}{HTML}{1D4F91}\definecolor{gradcol}{HTML}{B3261E}"
           r"\definecolor{seriesa}{HTML}{1D4F91}\definecolor{seriesb}{HTML}{D9822B}")


def graph_tikz(picture, escape, overlays=None) -> str:
    """A tikzpicture of the graph; ``escape`` makes words safe in LaTeX text.

    ``overlays`` (beamer slides): ``(grad_from, edge_at)``, the overlay from which each box's
    gradient shows ({key: n}) and the overlays at which each arrow is drawn strong
    ({(source, target): "n,m"}); needs the ``onslide`` TikZ key of :mod:`.slides`.
    """
    rects, arrows, _w, _h = place(picture, lambda b: box_lines(b, picture))
    grad_from, edge_at = overlays or ({}, {})
    lines = [rf"\begin{{tikzpicture}}[x={PT_PER_EM}pt, y=-{PT_PER_EM}pt, font=\small]"]
    for box in picture.boxes:
        r = rects[box.key]
        label = box.label.latex if hasattr(box.label, "latex") else tex(box.label)
        value = box.value.latex if hasattr(box.value, "latex") else _num(box.value)
        text = [rf"\textbf{{${label}$}}",
                rf"\textcolor{{valuecol}}{{{escape(picture.value_word)} ${value}$}}".replace("{ $", "{$")]
        if box.grad is not None:
            grad = rf"\textcolor{{gradcol}}{{{escape(picture.grad_word)} ${_num(box.grad)}$}}"
            # braced: \uncover straight after a node's \\ breaks TikZ
            text.append(rf"{{\uncover<{grad_from[box.key]}->{{{grad}}}}}" if box.key in grad_from else grad)
        content = NEWLINE.join(text)
        lines.append(rf"\node[{STYLE[box.role]}, rounded corners=3pt, line width=0.6pt, align=center, "
                     rf"inner sep=1pt, minimum width={r.w * PT_PER_EM:.1f}pt, minimum height={r.h * PT_PER_EM:.1f}pt] "
                     rf"at ({r.x:.3f},{r.y:.3f}) {{{content}}};")
    for edge, points in zip(picture.edges, arrows):
        path = " -- ".join(f"({x:.3f},{y:.3f})" for x, y in points)
        strong = edge_at.get((edge.source, edge.target))
        extra = f", onslide={{<{strong}>{{gradcol, line width=1.6pt}}}}" if strong else ""  # braced: "4,6" has a comma
        lines.append(rf"\draw[-{{Stealth[length=5pt]}}, line width=0.6pt, black!65, rounded corners=4pt{extra}] {path};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _num(value: float) -> str:
    return short(value).replace("−", "-")


def curve_pgfplots(curve, escape) -> str:
    """The loss curve as a pgfplots axis (log scale when the curve asks for it)."""
    options = [r"width=0.92\linewidth", "height=7cm", f"xlabel={{{escape(curve.xlabel)}}}",
               f"ylabel={{{escape(curve.ylabel)}}}", "grid=major", "grid style={black!12}",
               r"legend style={at={(0.5,-0.2)}, anchor=north, draw=none, font=\small, cells={anchor=west}}",
               "legend cell align=left", r"tick label style={font=\small}", "enlarge x limits=false"]
    if curve.log:
        options.append("ymode=log")
    lines = [r"\begin{tikzpicture}", rf"\begin{{axis}}[{', '.join(options)}]"]
    for k, series in enumerate(curve.series):
        style = ["seriesa" if k % 2 == 0 else "seriesb", "thick", "no markers"] + (["dashed"] if series.dashed else [])
        coords = " ".join(f"({_coord(x)},{_coord(y)})" for x, y in series.points)
        lines += [rf"\addplot[{', '.join(style)}] coordinates {{{coords}}};",
                  rf"\addlegendentry{{{escape(series.label)}}}"]
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)


def _coord(value: float) -> str:
    """A coordinate pgfplots reads: plain decimal or e-notation, never 'inf'."""
    if not math.isfinite(value):
        raise ValueError(f"cannot plot {value}")
    return format_float(value)
