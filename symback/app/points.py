"""Where a command predicts: ``--predict`` points, else the lesson file's, else a default.

Shared by train, notes and export. Without either, train predicts at x = 4
when the data are the lesson's own (not given on the command line or in the
lesson file) and x is the only input; notes and export leave the choice to
the library (:func:`symback.model.data.default_points`).
"""

from __future__ import annotations


def given_points(predict, lesson: dict, vectors: bool = False) -> list[dict] | None:
    """The --predict points (each NAME=V,...), else the lesson's [predict], else None.

    ``vectors``: a matrix model's points, whose values may be lists ([1.0, 2.0]).
    """
    if vectors:
        from ..model.tensor_parse import split_assignments as parse
    else:
        from ..model.spec import parse_assignments as parse
    if predict:
        return [parse(item, "prediction input") for item in predict]
    if "predict" in lesson:
        table = lesson["predict"]
        return [dict(table) if vectors else {k: _number(k, v) for k, v in table.items()}]
    return None


def _number(name: str, value) -> float:
    """A lesson's [predict] value for a scalar model: a number (a list needs a matrix model)."""
    if isinstance(value, list):
        from ..errors import SpecError

        raise SpecError(f"[predict] {name} is a list, but this model has no vector inputs; give a number "
                        "(vectors and matrices are for models such as W @ x + b)")
    return float(value)


def training_points(problem, predict, lesson: dict, own_data: bool) -> list[dict]:
    """symback train's points: the given ones, else x = 4 for the lesson's ``own_data`` with input x; each checked."""
    from ..train.history import check_point

    if hasattr(problem, "samples"):  # a matrix model: each input in the shape of its samples
        from ..train.tensor_run import check_tensor_point as check_point
    points = given_points(predict, lesson, vectors=hasattr(problem, "samples"))
    if points is None:
        points = [{"x": 4.0}] if own_data and problem.inputs == ("x",) else []
    for point in points:
        check_point(problem, point)
    return points
