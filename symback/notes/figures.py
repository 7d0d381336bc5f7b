"""The two figures of the notes, as data any format can draw.

* the computational graph (:func:`graph_figure`): see :mod:`.layout`;
* the loss curve (:func:`loss_curve`): the mean loss over the data at the
  start (epoch 0) and after every epoch and, for SGD, the loss of each epoch's last sample (what the
  original program prints as ``progress`` and plots). A loss that spans more
  than two powers of ten is drawn on a log scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .geometry import place, thin
from .layout import Picture, picture

#: the room for a figure on a page, in em (width, height)
PAGE = (46.0, 60.0)
#: a curve spanning this ratio (max/min) or more is drawn on a log scale
LOG_RATIO = 100.0


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[float, float], ...]
    dashed: bool = False


@dataclass(frozen=True)
class Curve:
    """Series of (epoch, loss) points and the axis labels."""

    series: tuple[Series, ...]
    log: bool
    xlabel: str
    ylabel: str

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for s in self.series for x, _ in s.points]
        ys = [y for s in self.series for _, y in s.points]
        return min(xs), max(xs), min(ys), max(ys)


def graph_figure(derivation, words, room: tuple[float, float] = PAGE) -> Picture | None:
    """The graph of the explained sample, with the words for "value" and "gradient",
    left to right or top to bottom: whichever ``room`` (width, height in em) shrinks less."""
    drawn = picture(derivation, words("notes.fig_value"), words("notes.fig_grad"))
    return None if drawn is None else oriented(drawn, room)


def oriented(drawn: Picture, room: tuple[float, float] = PAGE) -> Picture:
    """The drawing left to right or top to bottom: whichever ``room`` (width, height in em) shrinks less."""
    both = [replace(drawn, across=True), replace(drawn, across=False)]
    return max(both, key=lambda d: _scale(d, room))


def _scale(drawn: Picture, room: tuple[float, float]) -> float:
    """How much ``room`` (in em) must shrink the drawing: 1 if it fits."""
    from .svg import box_lines

    _rects, _arrows, width, height = place(drawn, lambda b: box_lines(b, drawn))
    return min(1.0, room[0] / width, room[1] / height)


def loss_curve(history, words) -> Curve | None:
    """The loss after each epoch (finite values only); None before any epoch."""
    epochs = history.epochs
    if not epochs:
        return None
    keep = [epochs[i] for i in thin(len(epochs))]
    start = ((0, history.initial_loss),) if math.isfinite(history.initial_loss) else ()  # where training starts
    series = [Series(words("notes.curve_mean"), start + tuple((e.epoch, e.loss) for e in keep if math.isfinite(e.loss)))]
    if history.settings.mode == "sgd":
        last = tuple((e.epoch, e.last_sample_loss) for e in keep
                     if e.last_sample_loss is not None and math.isfinite(e.last_sample_loss))
        series.append(Series(words("notes.curve_last"), last, dashed=True))
    series = [s for s in series if s.points]
    if not series:
        return None
    ys = [y for s in series for _, y in s.points]
    log = min(ys) > 0 and max(ys) / min(ys) >= LOG_RATIO
    ylabel = words("notes.curve_ylabel_log" if log else "notes.curve_ylabel")
    return Curve(tuple(series), log, words("notes.curve_xlabel"), ylabel)
