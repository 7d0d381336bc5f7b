"""Pictures of a training run: the loss curve and, for one or two parameters, the
loss surface with the path gradient descent took.

The left panel is the mean loss over the data after each epoch (in sgd mode
also the loss of each epoch's last sample, the curve the original lesson
plots), on a log scale when it spans more than two decades. The right panel is
L(w) as a curve for one parameter, or contours of L(w1, w2) for two, with the
parameters after each epoch marked on it: gradient descent walking downhill.

matplotlib is optional (``pip install 'symback[plot]'``) and imported only
here, through its object interface (Figure, savefig): no pyplot, no global
state, no window.
"""

from __future__ import annotations

import io
import math
import os

from ..errors import MissingExtra, install_hint

#: fonts with Chinese characters, in order of preference
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback")
#: at most this many points of the path are marked
MAX_MARKS = 200


def require() -> None:
    """Raise MissingExtra, saying how to install matplotlib, if it is missing."""
    try:
        import matplotlib  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        raise MissingExtra("--plot needs matplotlib: " + install_hint("plot")) from None


def plot_history(history, path: str, lang: str = "en") -> list[str]:
    """Draw ``history`` into ``path`` (.png, .svg or .pdf, written atomically); return notes for the user."""
    import matplotlib

    from ..io import write_atomic

    require()
    lang, notes, font = _language(lang)
    fmt = os.path.splitext(path)[1].lower().lstrip(".") or "png"  # '-', a device or a pipe: PNG
    with matplotlib.rc_context({"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
                                "axes.unicode_minus": False, "svg.hashsalt": "symback"}):
        fig = figure(history, lang)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=120, metadata=_metadata(fmt))
    write_atomic(path, buffer.getvalue())
    return notes


def _metadata(fmt: str) -> dict:
    # No creation date: the same run gives the same file.
    return {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt, {})


def _language(lang: str):
    """(language, notes, font): Chinese needs a font with its characters, else English."""
    if lang != "zh":
        return lang, [], None
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font is None:
        from ..lang import wording

        return "en", [wording("zh")("train.plot.no_font")], None
    return lang, [], font


def figure(history, lang: str = "en"):
    """The matplotlib Figure of ``history``: loss curve, and the loss surface for 1–2 parameters."""
    from matplotlib.figure import Figure

    from ..lang import wording
    from .train_report import is_matrix, model_and_loss
    from .printers import unicode

    words = wording(lang)
    count = len(history.initial_params)
    # the loss surface needs one or two numbers: a vector or matrix parameter gets the loss curve alone
    panels = 2 if count in (1, 2) and not is_matrix(history.problem) else 1
    fig = Figure(figsize=(5.6 * panels, 4.4), layout="constrained")
    p = history.problem
    model, loss = model_and_loss(p, unicode)
    fig.suptitle(f"{model},   L = {loss},   η = {p.lr:g}", fontsize=10)
    loss_curve(fig.add_subplot(1, panels, 1), history, words)
    if panels == 2:
        axes = fig.add_subplot(1, 2, 2)
        (loss_line if count == 1 else loss_contours)(axes, history, words)
    return fig


def loss_curve(ax, history, words) -> None:
    """Mean loss at the start and after each epoch (and the last sample's loss, in sgd mode)."""
    epochs = [e.epoch for e in history.epochs]
    mean = [history.initial_loss] + [e.loss for e in history.epochs]
    ax.plot([0] + epochs, mean, color="C0", label=words("train.plot.mean_loss"))  # from the start, epoch 0
    if history.settings.mode == "sgd":
        last = [e.last_sample_loss for e in history.epochs]
        ax.plot(epochs, last, color="C1", alpha=0.6, linestyle="--", label=words("train.plot.last_sample"))
        mean = mean + last
    if _wants_log(mean):
        ax.set_yscale("log")
    ax.set_xlabel(words("train.plot.epoch"))
    ax.set_ylabel(words("train.plot.loss"))
    ax.set_title(words("train.plot.loss_title"))
    ax.grid(True, alpha=0.3)
    if epochs:
        ax.legend(fontsize=8)


def _wants_log(values) -> bool:
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    return bool(positive) and len(positive) == len(values) and max(positive) > 100 * min(positive)


def _path(history):
    """Parameters and mean loss at the start and after each epoch (at most MAX_MARKS of them)."""
    states = [(tuple(v for _, v in history.initial_params), history.initial_loss)]
    states += [(tuple(v for _, v in e.params), e.loss) for e in history.epochs]
    if len(states) > MAX_MARKS:
        step = (len(states) - 1) / (MAX_MARKS - 1)
        states = [states[round(i * step)] for i in range(MAX_MARKS)]
    return [s[0] for s in states], [s[1] for s in states]


def _span(values):
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 or max(abs(lo), 1.0) * 0.5
    return lo - pad, hi + pad


def _surface(history):
    """mean_loss(params) in float64 over all samples, NumPy arrays (compiled once)."""
    import numpy as np

    from ..train.compile import compile_problem

    compiled = compile_problem(history.problem, "float64", arrays=True)
    columns = tuple(np.asarray(c, dtype=float) for c in history.problem.data.columns)
    n = float(len(columns[0]))

    def mean_loss(*params):
        with np.errstate(all="ignore"):
            try:
                value = float(compiled.batch_loss(params, columns, n))
            except (ArithmeticError, ValueError):
                return math.nan
        return value if math.isfinite(value) else math.nan

    return mean_loss


def loss_line(ax, history, words) -> None:
    """L(w) for the one parameter, with the value after each epoch marked."""
    import numpy as np

    (name, _), = history.initial_params
    points, losses = _path(history)
    ws = np.linspace(*_span([p[0] for p in points]), 300)
    mean_loss = _surface(history)
    curve = [mean_loss(w) for w in ws]
    ax.plot(ws, curve, color="0.35")
    # A linear scale: the parabola of the lecture, with the steps walking down it.
    _mark_path(ax, [p[0] for p in points], losses, words)
    ax.set_xlabel(name)
    ax.set_ylabel(words("train.plot.loss"))
    ax.set_title(words("train.plot.curve_title", param=name))
    ax.grid(True, alpha=0.3)
    _legend_below(ax)


def loss_contours(ax, history, words) -> None:
    """Contours of L(w1, w2) on a light fill, each line labelled with its loss, and the path of
    the parameters in a strong colour; the legend stands below the axes, off the data."""
    import numpy as np

    (n1, _), (n2, _) = history.initial_params
    points, _ = _path(history)
    xs = np.linspace(*_span([p[0] for p in points]), 80)
    ys = np.linspace(*_span([p[1] for p in points]), 80)
    mean_loss = _surface(history)
    grid = np.array([[mean_loss(x, y) for x in xs] for y in ys])
    finite = grid[np.isfinite(grid)]
    if finite.size and finite.min() > 0 and finite.max() > 100 * finite.min():
        # log-spaced levels, but not crowded into the last 10^-6 of the valley
        levels = np.geomspace(max(finite.min(), finite.max() * 1e-6), finite.max(), 12)
    else:
        levels = 12
    if finite.size:
        ax.contourf(xs, ys, grid, levels=levels, cmap="Blues", alpha=0.3)  # light: white in the valley
        lines = ax.contour(xs, ys, grid, levels=levels, colors="0.35", linewidths=0.7)
        ax.clabel(lines, fmt="%.3g", fontsize=7, inline=True)
    _mark_path(ax, [p[0] for p in points], [p[1] for p in points], words)
    ax.set_xlabel(n1)
    ax.set_ylabel(n2)
    ax.set_title(words("train.plot.surface_title"))
    _legend_below(ax)


#: the path of gradient descent, drawn over everything else
PATH, START, END = "#c8102e", "#1a7f37", "#c8102e"


def _legend_below(ax) -> None:
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)


def _mark_path(ax, xs, ys, words) -> None:
    ax.plot(xs, ys, color=PATH, marker="o", markersize=3, linewidth=1.6, label=words("train.plot.path"), zorder=3)
    ax.plot(xs[:1], ys[:1], "o", color=START, markersize=8, label=words("train.plot.start"), zorder=4)
    ax.plot(xs[-1:], ys[-1:], "*", color=END, markeredgecolor="black", markersize=13,
            label=words("train.plot.end"), zorder=4)
