"""Two items for matrix explanations: a matrix of numbers, and a formula written in each notation.

- :class:`Mat`: the entries of a vector or matrix (numbers shown, exact or marked); a vector
  prints as ``[1, 2]`` in text and as a column ``bmatrix`` in LaTeX, a matrix as ``[[1, 2], [3, 4]]``
  or a ``bmatrix``. Beyond :data:`MAX_SHOWN` rows or columns the middle is elided (``…``) and the
  shape is written after it, so a 64×64 layer prints as a few numbers, not 4096.
- :class:`Formula`: maths given once per notation (``δ_h ⊙ (1 − h²)`` and
  ``\\delta_{h} \\odot (1 - h^{2})``) with ``{key}`` placeholders filled by other items.

Numbers go through :func:`symback.render.numbers.number` (:func:`symback.core.numeric.format_float`), so a rounded or approximate entry
makes its equation print "≈", as for scalars.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from .numbers import number
from .printers import tex_number

#: rows or columns beyond this many are elided
MAX_SHOWN = 6
#: how many leading and trailing rows or columns an elided matrix keeps
HEAD, TAIL = 3, 2


@dataclass(frozen=True, eq=False)
class Mat:
    """A vector or matrix of numbers (a 0-d array is a number)."""

    entries: object


@dataclass(frozen=True, eq=False)
class Grid(Mat):
    """A matrix shown row by row, its columns aligned (the values of a check): in text each row a
    line (:func:`grid_lines`), ≈ before it when ``approx`` (its entries were rounded); in LaTeX,
    Markdown and HTML a :class:`Mat`. Made by :func:`grid`."""

    approx: bool = False


@dataclass(frozen=True, eq=False)
class Formula:
    """Maths in each notation; ``parts`` ((key, item), …) fill the ``{key}`` placeholders."""

    text: str
    latex: str
    parts: tuple = ()


def _kept(n: int) -> list:
    """Indices shown of n (None marks the elision)."""
    if n <= MAX_SHOWN:
        return list(range(n))
    return list(range(HEAD)) + [None] + list(range(n - TAIL, n))


def _shape_note(shape) -> str:
    return "×".join(map(str, shape))


def mat_text(entries, nested: bool = False) -> str:
    """``[1, −2]``, ``[[1, 2], [3, 4]]``; elided with its shape when large; a negative number inside
    a formula (``nested``) in parentheses: 2·(−0.4)."""
    import numpy as np  # only matrix models get here; scalar explanations need no NumPy

    a = np.asarray(entries, dtype=object)
    if a.ndim == 0:
        text = number(a.item())
        return f"({text})" if nested and text.startswith("−") else text
    if a.ndim == 1:
        body = "[" + ", ".join("…" if i is None else number(a[i]) for i in _kept(len(a))) + "]"
    else:
        rows = ["…" if i is None else "[" + ", ".join("…" if j is None else number(a[i, j])
                                                     for j in _kept(a.shape[1])) + "]" for i in _kept(a.shape[0])]
        body = "[" + ", ".join(rows) + "]"
    elided = any(n > MAX_SHOWN for n in a.shape)
    return body + (f"₍{_shape_note(a.shape)}₎" if elided else "")


def grid(value, digits: int = 6) -> Grid:
    """A number, vector or matrix with its entries rounded to ``digits`` significant digits."""
    import numpy as np

    a = np.asarray(value, dtype=float)
    rounded = np.vectorize(lambda v: float(f"{v:.{digits}g}") if np.isfinite(v) else v)(a) if a.size else a
    return Grid(rounded, not np.array_equal(rounded, a, equal_nan=True))


def grid_lines(x: Grid) -> list:
    """A number, a vector on one line, or a matrix a row a line with its columns aligned (an n×1
    column as a vector); ≈ before the first line when an entry is rounded; the shape after the last
    line when it is elided."""
    mark = "≈ " if x.approx else ""
    lines = grid_rows(x.entries)
    return [mark + lines[0]] + [" " * len(mark) + line for line in lines[1:]]


def grid_rows(entries) -> list:
    """The lines of :func:`grid_lines`, every digit kept."""
    import numpy as np

    a = np.asarray(entries, dtype=float)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.reshape(-1)
    if a.ndim == 0:
        return [number(a.item())]
    if a.ndim == 1:
        return ["[" + ", ".join("…" if i is None else number(a[i]) for i in _kept(len(a))) + "]"]
    columns = _kept(a.shape[1])
    rows = [None if i is None else ["…" if j is None else number(a[i, j]) for j in columns] for i in _kept(a.shape[0])]
    widths = [max(len(r[k]) for r in rows if r is not None) for k in range(len(columns))]
    lines = [" …" if r is None else " [" + ", ".join(e.rjust(w) for e, w in zip(r, widths)) + "]" for r in rows]
    lines = ["[" + lines[0][1:]] + lines[1:]
    lines = [line + "," for line in lines[:-1]] + [lines[-1] + "]"]
    if max(a.shape) > MAX_SHOWN:
        lines[-1] += f"  ({_shape_note(a.shape)})"
    return lines


def mat_latex(entries, nested: bool = False) -> str:
    r"""A ``bmatrix`` (a vector is a column); ``\cdots``/``\vdots`` where it is elided."""
    import numpy as np

    a = np.asarray(entries, dtype=object)
    if a.ndim == 0:
        text = tex_number(a.item())
        return rf"\left({text}\right)" if nested and text.startswith("-") else text
    if a.ndim == 1:
        rows = [[r"\vdots" if i is None else tex_number(a[i])] for i in _kept(len(a))]
    else:
        cols = _kept(a.shape[1])
        rows = [[r"\vdots" if i is None else (r"\cdots" if j is None else tex_number(a[i, j])) for j in cols]
                for i in _kept(a.shape[0])]
    body = r" \\ ".join(" & ".join(r) for r in rows)
    out = rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    if any(n > MAX_SHOWN for n in a.shape):
        out += "_{" + r" \times ".join(map(str, a.shape)) + "}"
    return out


def formula_text(x: Formula, show) -> str:
    """The text notation, each placeholder filled by ``show(item)``."""
    return _filled(x.text, x.parts, show)


def formula_latex(x: Formula, show) -> str:
    """The LaTeX notation; each part in a group, so that u_{6} can take a subscript ({u_{6}}_i)."""
    return _filled(x.latex, x.parts, lambda part: "{" + show(part) + "}")


def _filled(template: str, parts: tuple, show) -> str:
    """Only the parts the template uses are printed (a part printed marks its rounded numbers);
    a formula without parts is literal text (its braces are LaTeX's)."""
    if not parts:
        return template
    used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return template.format(**{k: show(v) for k, v in parts if k in used})
