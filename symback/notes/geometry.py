"""Sizes and positions shared by the SVG and TikZ drawings, in em.

Text widths are estimated (an ASCII character ≈ 0.56 em, a wide East Asian
character 1 em), so boxes and gaps come out the same in every format; each
format scales em to its own unit. Also: short numbers for figures, the
points of a loss curve and the ticks of its axes.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from ..core.numeric import format_float

LINE = 1.35      # line height
PAD_X, PAD_Y = 0.7, 0.45
GAP_LAYER = 2.6  # between layers, room for the arrows
GAP_SLOT = 1.1   # between boxes of one layer
#: a loss curve is drawn through at most this many points
MAX_POINTS = 400


def text_width(text: str) -> float:
    """Estimated width of ``text`` in em."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    narrow = sum(1 for ch in text if not unicodedata.combining(ch)) - wide
    return 0.56 * narrow + 1.0 * wide


def short(value: float) -> str:
    """A number in a figure: four significant digits (the tables have them all)."""
    if not math.isfinite(value):
        return format_float(value)
    return format_float(float(f"{value:.4g}")).replace("-", "−")


@dataclass(frozen=True)
class Rect:
    """A box centred at (x, y), ``w`` wide and ``h`` high, in em."""

    x: float
    y: float
    w: float
    h: float


def place(picture, lines_of) -> tuple[dict, list, float, float]:
    """Rectangles for the boxes, arrows as point lists, and the total width and height.

    ``lines_of(box)`` gives the box's lines of text (for their widths).
    """
    size = {b.key: (max(text_width(t) for t in lines_of(b)) + 2 * PAD_X, len(lines_of(b)) * LINE + 2 * PAD_Y)
            for b in picture.boxes}
    height = max(h for _, h in size.values())
    width = max(w for w, _ in size.values())
    if picture.across:
        widths = [max((size[b.key][0] for b in picture.boxes if b.layer == k), default=0) for k in range(picture.layers)]
        starts = [sum(widths[:k]) + k * GAP_LAYER for k in range(picture.layers)]
        spot = lambda layer, slot: (starts[layer] + widths[layer] / 2, slot * (height + GAP_SLOT) + height / 2)  # noqa: E731
        total = (starts[-1] + widths[-1], picture.slots * (height + GAP_SLOT) + height)
    else:
        spot = lambda layer, slot: (slot * (width + GAP_SLOT) + width / 2, layer * (height + GAP_LAYER) + height / 2)  # noqa: E731
        total = (picture.slots * (width + GAP_SLOT) + width, picture.layers * (height + GAP_LAYER) - GAP_LAYER)
    rects = {b.key: Rect(*spot(b.layer, b.slot), *size[b.key]) for b in picture.boxes}
    arrows = [_arrow(rects[e.source], rects[e.target], [spot(*p) for p in e.bends], picture.across)
              for e in picture.edges]
    return rects, arrows, total[0], total[1]


def _arrow(a: Rect, b: Rect, bends, across: bool) -> list[tuple[float, float]]:
    if across:
        return [(a.x + a.w / 2, a.y)] + bends + [(b.x - b.w / 2, b.y)]
    return [(a.x, a.y + a.h / 2)] + bends + [(b.x, b.y - b.h / 2)]


def thin(count: int, most: int = MAX_POINTS) -> list[int]:
    """Indices of at most ``most`` evenly spread points, the first and last among them."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def nice_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) from at or below ``low``
    to at or above ``high``."""
    if high <= low:
        high = low + 1
    raw = (high - low) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [round(first, 12)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(first + len(ticks) * step, 12))
    return ticks


def log_ticks(low: float, high: float, most: int = 7) -> tuple[int, int, list[int]]:
    """A log axis over [low, high]: its ends as powers of ten, and the exponents to label."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    last = max(last, first + 1)
    every = max(1, math.ceil((last - first) / most))
    labelled = [e for e in range(first, last + 1) if e % every == 0]
    return first, last, labelled
