"""What a training run is given and what it gives back: Settings, each Epoch, a Divergence, the History.

Values only (no loop, no printing): the loops of :mod:`.loops` produce them,
:mod:`.run` assembles them, the reports read them.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping, NamedTuple

from ..errors import SpecError

if TYPE_CHECKING:  # pragma: no cover
    from ..model.spec import Problem
    from .compile import Compiled


class Settings(NamedTuple):
    """How to train: epochs, mode, batch size (minibatch only), shuffle seed, number type, backend.

    ``backend`` "numba" runs whole epochs in compiled kernels (see :mod:`symback.train.numba_backend`).
    """

    epochs: int = 100
    mode: str = "sgd"
    batch_size: int | None = None
    seed: int = 0
    dtype: str = "float64"
    backend: str = "numpy"


class Epoch(NamedTuple):
    """The state after one epoch: mean loss over all samples and the parameters.

    ``last_sample_loss`` (sgd only) is the loss of the epoch's last sample before
    its update, which is what the original program prints as ``progress``.
    """

    epoch: int
    loss: float
    params: tuple[tuple[str, float], ...]
    last_sample_loss: float | None = None


class Divergence(NamedTuple):
    """Why training stopped early: ``cause`` is nonfinite, explode, overflow, domain, zero_division or
    singular (``detail`` says where); ``suggestion``, the smaller learning rates tried (see
    :mod:`symback.train.advice`); ``reason``, all of it in a sentence (English)."""

    epoch: int
    cause: str
    value: float | None
    reason: str = ""
    detail: str = ""
    suggestion: object = None


@dataclass(frozen=True)
class History:
    """A training run: where it started, every epoch, and whether it diverged."""

    problem: Problem
    settings: Settings
    initial_params: tuple[tuple[str, float], ...]
    initial_loss: float
    epochs: tuple[Epoch, ...]
    diverged: Divergence | None = None
    compiled: Compiled | None = field(default=None, compare=False, repr=False)
    #: a train_advice.Stall when the loss stopped improving on a flat stretch
    stalled: object = None
    #: how many epochs ran (``epochs`` holds them all up to train_log.KEEP_ALL, else a thinned trail)
    count: int | None = None
    #: every epoch, on disk (a train_log.EpochLog), when the whole history was asked for
    log: object = field(default=None, compare=False, repr=False)

    def __repr__(self) -> str:
        end = "diverged at epoch %d" % self.diverged.epoch if self.diverged else f"loss {self.final_loss!r}"
        return f"History({self.epoch_count} epochs, {self.settings.mode}, {end}, params {dict(self.final_params)})"

    @property
    def epoch_count(self) -> int:
        """How many epochs ran (``epochs`` may hold fewer: see :mod:`symback.train.log`)."""
        return len(self.epochs) if self.count is None else self.count

    def epoch(self, number: int) -> Epoch | None:
        """The entry of epoch ``number``, or None if it was not kept in memory."""
        i = bisect.bisect_left([e.epoch for e in self.epochs], number)
        return self.epochs[i] if i < len(self.epochs) and self.epochs[i].epoch == number else None

    def all_epochs(self) -> Iterator[Epoch]:
        """Every epoch, one at a time (from the log on disk when there is one)."""
        return iter(self.log) if self.log is not None else iter(self.epochs)

    @property
    def final_params(self) -> tuple[tuple[str, float], ...]:
        return self.epochs[-1].params if self.epochs else self.initial_params

    @property
    def final_loss(self) -> float:
        return self.epochs[-1].loss if self.epochs else self.initial_loss

    def predict(self, point: Mapping[str, float], params=None) -> float:
        """ŷ at ``point`` ({input: value}) with ``params`` (default: the final ones)."""
        check_point(self.problem, point)
        number = self.compiled.number
        values = tuple(number(v) for _, v in (params or self.final_params))
        try:
            value = self.compiled.predict(values, tuple(number(point[n]) for n in self.problem.inputs))
        except (ArithmeticError, ValueError):
            return math.nan
        # a matrix model may predict a vector (the logits of each class): a list of floats
        return value.tolist() if getattr(value, "ndim", 0) else float(value)


def check_point(problem: Problem, point: Mapping[str, float]) -> None:
    """A SpecError unless ``point`` gives exactly the model's inputs."""
    missing = [n for n in problem.inputs if n not in point]
    extra = [n for n in point if n not in problem.inputs]
    if missing or extra:
        raise SpecError(
            f"a prediction needs exactly the inputs {', '.join(problem.inputs) or '(none)'}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; {', '.join(extra)} is not an input" if extra else "")
        )


class Prediction(NamedTuple):
    """ŷ at ``point`` before and after training."""

    point: tuple[tuple[str, float], ...]
    before: float
    after: float


def predictions(history: History, points) -> tuple[Prediction, ...]:
    """ŷ at each point ({input: value}) with the starting and the final parameters."""
    return tuple(
        Prediction(tuple(p.items()), history.predict(p, history.initial_params), history.predict(p))
        for p in points
    )
