"""A lesson: everything the notes show, computed once.

    Lesson = Problem + Derivation (one sample, in full) + the first update
             + History (training) + predictions + the update-map analysis

Every number in the notes comes from these values: the forward and backward
pass and the first update from :func:`symback.core.derive.explain` (or, for
full-batch training, :func:`symback.core.batch.explain_batch`), the epochs and
predictions from :func:`symback.train.run.train`, the convergence argument from
:func:`.convergence.convergence`. The formats only print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from ..core.batch import explain_batch
from ..model.data import default_points, seed_dataset
from ..core.derive import Derivation, explain
from ..model.spec import Problem, problem as make_problem
from ..train.run import History, Settings, check_point, train
from ..train.history import Prediction, predictions
from .convergence import Convergence, convergence

@dataclass(frozen=True)
class Lesson:
    """The values behind one set of notes; ``texts`` holds the teacher's own words.

    ``texts`` may have ``title``, ``question`` and ``description``;
    ``source`` the model and loss as the user wrote them (for the notebook).
    """

    problem: Problem
    derivation: Derivation
    first_update: object
    history: History
    predictions: tuple[Prediction, ...]
    convergence: Convergence | None
    texts: Mapping[str, str] = field(default_factory=dict)
    source: Mapping[str, str] = field(default_factory=dict)
    #: the updates of the first epoch (train's Update values), as the program's loop makes them
    first_epoch: tuple = ()
    #: exercises about the problem (:mod:`.exercises`), with their answers
    exercises: tuple = ()

    def __repr__(self) -> str:
        return f"Lesson({self.problem!r}, {self.history!r})"

    @property
    def seed_data(self) -> bool:
        """Whether the data are the original lesson's study hours and points."""
        return self.problem.data == seed_dataset()


def build_lesson(problem: Problem | None = None, sample: Mapping[str, float] | int = 0,
                 settings: Settings | None = None, points=None, texts: Mapping[str, str] | None = None,
                 source: Mapping[str, str] | None = None, exercises: int = 0, seed: int = 0) -> Lesson:
    """Derive, train and analyse ``problem``; ``points`` are inputs to predict at;
    ``exercises`` about it are drawn with ``seed``.

    Without ``points``, the original lesson's data are asked about x = 4
    (when x is the only input), other data about nothing.
    """
    problem = problem or make_problem()
    settings = settings or Settings()
    derivation = explain(problem, sample)
    first = explain_batch(problem) if settings.mode == "batch" else derivation
    history = train(problem, settings, log_all=False)
    points = list(points) if points is not None else default_points(problem)
    for point in points:
        check_point(problem, point)
    analysis = None
    if len(problem.params) == 1:  # a diverged run is explained too: its map expands
        analysis = convergence(derivation, settings.mode, history.final_params[0][1])
    lesson = Lesson(problem, derivation, first, history, predictions(history, points), analysis,
                    dict(texts or {}), dict(source or {}), first_epoch(problem, settings))
    if not exercises:
        return lesson
    from .exercises import make_exercises

    return replace(lesson, exercises=make_exercises(lesson, exercises, seed))


#: data with more rows than this get no update-by-update first epoch (it would only be cut short)
FIRST_EPOCH_ROWS = 10_000


def first_epoch(problem: Problem, settings: Settings) -> tuple:
    """Every update of epoch 0 (one per sample in SGD), as training makes them; () for big data."""
    if len(problem.data) > FIRST_EPOCH_ROWS:
        return ()
    updates: list = []
    train(problem, settings._replace(epochs=1, backend="numpy"), on_update=updates.append)
    return tuple(updates)
