"""The lesson as a runnable program: PyTorch (autograd does the reverse pass) or
NumPy (the reverse pass written out by hand, one line per step of the derivation).

    from symback import problem
    from symback.export import export_program
    print(export_program(problem(), target="pytorch").text())

Both print what the original lesson's program prints (``grad:`` lines,
``progress:``, the predictions), so their output can be compared, number by
number, with ``symback train -v``. Code is generated from the Problem's
expressions and the graph, never from the user's text.
"""

from __future__ import annotations

from ..errors import SpecError

TARGETS = ("pytorch", "numpy")


def export_program(problem, settings=None, target: str = "pytorch", points=None, words=None, refs=None,
                   rows: int | None = None):
    """The :class:`~.program.Program` of ``problem`` trained with ``settings``.

    ``points`` are inputs to predict at (default: x = 4 for the original
    lesson's data); ``refs`` where the steps are explained (default: the
    sections of ``symback explain``); ``rows`` writes only the first rows of the data (for a
    listing that shows a few, which then need not fit a program).
    """
    from ..lang import wording
    from ..model.data import default_points
    from ..train.run import Settings
    from .program import explain_refs

    if target not in TARGETS:
        raise SpecError(f"unknown target {target!r}; choose {' or '.join(TARGETS)}")
    settings = settings or Settings()
    words = words or wording("en")
    refs = refs or explain_refs(words)
    points = default_points(problem) if points is None else list(points)
    if target == "pytorch":
        from .torch_program import torch_program

        return torch_program(problem, settings, points, words, refs, rows)
    from .numpy_program import numpy_program

    return numpy_program(problem, settings, points, words, refs, rows)


__all__ = ["export_program", "TARGETS"]
