"""The figures as SVG, written by hand (no plotting library needed).

Both are plain SVG 1.1 with presentation attributes only (no <style>, no
scripts), so they can be inlined in HTML, written beside Markdown, or put
in a notebook. Every piece of text is XML-escaped.
"""

from __future__ import annotations

import math
from html import escape

from ..render.printers import unicode
from .geometry import log_ticks, nice_ticks, place, short

EM = 14  # px per em
FONT = "DejaVu Sans, Helvetica, Arial, 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif"
STYLE = {  # role: (fill, stroke, dash)
    "param": ("#fff4cc", "#b7860b", ""),
    "data": ("#f2f2f2", "#8a8a8a", "4 3"),
    "node": ("#e8f0fb", "#3b6ea5", ""),
}
VALUE, GRAD, INK = "#1d4f91", "#b3261e", "#222222"
SERIES = ("#1d4f91", "#d9822b")


def box_lines(box, picture) -> list[str]:
    """The text of a box: its label, its value and (not for data) its gradient.

    A label or value may also be maths written out (a matrix graph's ``u₁ = W₁x``, ``∈ ℝ³``): an
    object with ``text`` and ``latex``."""
    value = box.value.text if hasattr(box.value, "latex") else short(box.value)
    lines = [box.label.text if hasattr(box.label, "latex") else unicode(box.label),
             f"{picture.value_word} {value}".strip()]
    if box.grad is not None:
        lines.append(f"{picture.grad_word} {short(box.grad)}")
    return lines


def graph_svg(picture, title: str = "", marks=None) -> str:
    """The computational graph: one box per parameter, data value and node; arrows operand -> node.

    ``marks`` (the interactive page): ``(slot, grad_slot)``, dicts from a box's key to the slot
    of its value and of its gradient; boxes, texts and arrows then carry ``data-sb-*`` attributes
    (numbers only) for the page's script, and each arrow an empty label for the gradient arriving.
    """
    rects, arrows, width, height = place(picture, lambda b: box_lines(b, picture))
    margin = 0.5
    parts = [_open((width + 2 * margin) * EM, (height + 2 * margin) * EM, title),
             '<defs><marker id="symback-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
             f'<g transform="translate({margin * EM},{margin * EM})" font-family="{FONT}" font-size="{EM}">']
    for edge, points in zip(picture.edges, arrows):
        path = " ".join(f"{'M' if i == 0 else 'L'}{x * EM:.1f},{y * EM:.1f}" for i, (x, y) in enumerate(points))
        mark = f' data-sb-edge="{marks[0][edge.source]}-{marks[0][edge.target]}"' if marks else ""
        parts.append(f'<path d="{path}" fill="none" stroke="#555" stroke-width="1.3" stroke-linejoin="round" '
                     f'marker-end="url(#symback-arrow)"{mark}/>')
    for box in picture.boxes:
        parts.append(_box(box, rects[box.key], box_lines(box, picture), _box_marks(box, picture, marks)))
    if marks:  # labels last, over the boxes: the gradient arriving along each arrow
        parts += [_edge_label(edge, points, marks) for edge, points in zip(picture.edges, arrows)]
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def _open(width: float, height: float, title: str) -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img">')
    return head + (f"<title>{escape(title)}</title>" if title else "")


def _box(box, r, lines, marks=None) -> str:
    fill, stroke, dash = STYLE[box.role]
    x0, y0 = (r.x - r.w / 2) * EM, (r.y - r.h / 2) * EM
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    out = [f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{r.w * EM:.1f}" height="{r.h * EM:.1f}" rx="6" '
           f'fill="{fill}" stroke="{stroke}" stroke-width="1.3"{dashed}/>']
    top = r.y - (len(lines) * 1.35) / 2 + 1.0
    for i, (line, color) in enumerate(zip(lines, (INK, VALUE, GRAD))):
        weight = ' font-weight="bold"' if i == 0 else ""
        extra = marks[1][i] if marks else ""
        out.append(f'<text x="{r.x * EM:.1f}" y="{(top + i * 1.35) * EM:.1f}" text-anchor="middle" '
                   f'fill="{color}"{weight}{extra}>{escape(line)}</text>')
    if marks:
        return f'<g data-sb-node="{marks[0]}">' + "\n".join(out) + "</g>"
    return "\n".join(out)


def _box_marks(box, picture, marks):
    """(slot, attributes of each text line) of a box, for the interactive page."""
    if not marks:
        return None
    slot, grad_slot = marks
    value = f' data-sb-value="{slot[box.key]}" data-sb-word="{escape(picture.value_word)}"'
    grad = (f' data-sb-grad="{grad_slot[box.key]}" data-sb-box="{slot[box.key]}" '
            f'data-sb-word="{escape(picture.grad_word)}"') if box.key in grad_slot else ""
    return slot[box.key], ("", value, grad)


def _edge_label(edge, points, marks) -> str:
    """An empty label at the middle of the arrow's last stretch, for the gradient arriving there."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    key = f"{marks[0][edge.source]}-{marks[0][edge.target]}"
    return (f'<text x="{(x0 + x1) / 2 * EM:.1f}" y="{((y0 + y1) / 2 - 0.6) * EM:.1f}" text-anchor="middle" '
            f'fill="{GRAD}" font-weight="bold" class="sb-label" data-sb-label="{key}"></text>')


# -- the loss curve ---------------------------------------------------------

W, H = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 14, 96


def figure_svg(figure, title: str = "", marks=None) -> str:
    """A Figure block drawn: the computational graph (``marks``: see :func:`graph_svg`) or the loss curve."""
    return graph_svg(figure.data, title, marks) if figure.kind == "graph" else curve_svg(figure.data, title)


def curve_svg(curve, title: str = "") -> str:
    """The loss curve: axes with ticks, one polyline per series, a legend below."""
    x0, x1, y0, y1 = curve.bounds()
    if curve.log:
        lo, hi, exps = log_ticks(y0, y1)
        fy = lambda v: math.log10(v)  # noqa: E731
        yticks = [(e, _power(e)) for e in exps]
    else:
        ticks = nice_ticks(min(0.0, y0), y1)
        lo, hi = ticks[0], ticks[-1]
        fy = lambda v: v  # noqa: E731
        yticks = [(t, short(t)) for t in ticks]
    xticks = nice_ticks(x0, max(x1, x0 + 1))
    sx = lambda v: LEFT + (v - xticks[0]) / (xticks[-1] - xticks[0]) * (W - LEFT - RIGHT)  # noqa: E731
    sy = lambda v: TOP + (hi - fy(v)) / ((hi - lo) or 1) * (H - TOP - BOTTOM)  # noqa: E731
    parts = [_open(W, H, title), f'<g font-family="{FONT}" font-size="13" fill="{INK}">']
    parts += _axes(xticks, yticks, sx, lambda t: TOP + (hi - t) / ((hi - lo) or 1) * (H - TOP - BOTTOM), curve)
    for k, series in enumerate(curve.series):
        points = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in series.points)
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{SERIES[k % 2]}" stroke-width="2"{dash}/>')
    parts += _legend(curve)
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def _power(exponent: int) -> str:
    return "10" + str(exponent).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def _axes(xticks, yticks, sx, sy_tick, curve) -> list[str]:
    bottom = H - BOTTOM
    out = [f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{bottom - TOP}" fill="none" stroke="#444"/>']
    for t in xticks:
        x = sx(t)
        out.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#444"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle">{escape(short(t))}</text>')
    for value, label in yticks:
        y = sy_tick(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{LEFT - 7}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{bottom + 38}" text-anchor="middle">{escape(curve.xlabel)}</text>')
    mid = (TOP + bottom) / 2
    out.append(f'<text x="16" y="{mid}" text-anchor="middle" transform="rotate(-90 16 {mid})">'
               f"{escape(curve.ylabel)}</text>")
    return out


def _legend(curve) -> list[str]:
    out = []
    for k, series in enumerate(curve.series):
        y = H - BOTTOM + 58 + 20 * k
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        out.append(f'<line x1="{LEFT}" y1="{y - 4}" x2="{LEFT + 30}" y2="{y - 4}" stroke="{SERIES[k % 2]}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{LEFT + 38}" y="{y}">{escape(series.label)}</text>')
    return out
