"""Advice after a run: a learning rate that was tried and works, and whether training stalled.

After a divergence the same training is tried with η/10, η/100, η/1000
(TRIES rates, each run at most TRIAL_BUDGET sample-updates long); the first rate
that *converges* is suggested with what it did, or the advice says that none
did. A run converges when it neither diverges nor stalls, ends below its
starting loss, and ends near the best loss it reached (a run that oscillates
far above its best does not count).

A run *stalls* when its mean loss has not improved for STALL_EPOCHS epochs
(and a quarter of the run) while the gradient vanished: the loss does not
change when the parameters move by SPREAD (10 %, at least 0.1) each way, one
at a time (or, for more than FEW parameters, all at once in DIRECTIONS
random directions, so the test costs the same for a deep model). A
minimum is not flat like that (the loss rises on either side); a saturated
model is (``exp(w*x)`` once w·x is far below 0, a ReLU that is 0 on every
sample).
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from ..errors import SymbackError, option

TRIES = 3
TRIAL_BUDGET = 200_000
STALL_EPOCHS = 20
#: a relative decrease of the mean loss smaller than this is no improvement
IMPROVEMENT = 1e-9
#: the loss counts as flat when moving a parameter changes it by less than this, relatively
FLAT = 1e-6
SPREAD = 0.1
FEW = 8
DIRECTIONS = 16


class Stall(NamedTuple):
    """The run stalled: no epoch after ``since`` improved on its mean ``loss``."""

    since: int
    loss: float


class Suggestion(NamedTuple):
    """The rates tried after a divergence, the first that converged (or None), and its run."""

    lr: float | None
    tried: tuple[float, ...]
    epochs: int
    start: float | None = None
    end: float | None = None


def stall(run, entries) -> Stall | None:
    """A Stall if the last epochs did not improve and the loss is flat around the end."""
    losses = [e.loss for e in entries]
    since = _last_improvement(losses)
    run_length = entries[-1].epoch + 1  # entries may be a thinned trail: count by epoch numbers
    if entries[-1].epoch - entries[since].epoch < max(STALL_EPOCHS, run_length // 4):
        return None
    if not _flat(run, [v for _, v in entries[-1].params], losses[-1]):
        return None
    return Stall(entries[since].epoch, losses[since])


def _last_improvement(losses: list[float]) -> int:
    best, since = losses[0], 0
    for i, loss in enumerate(losses[1:], start=1):
        if loss < best - IMPROVEMENT * abs(best):
            best, since = loss, i
    return since


def _flat(run, values: list[float], loss: float) -> bool:
    """Whether every move in :func:`_moves` leaves the mean loss (relatively) unchanged."""
    for moved in _moves(values):
        with run.quiet():
            try:
                other = float(run.mean_loss(tuple(run.number(v) for v in moved)))
            except (ArithmeticError, ValueError):
                return False
        if not abs(other - loss) <= FLAT * abs(loss):
            return False
    return True


def _moves(values: list[float]):
    """The parameters moved by SPREAD: each one both ways, or, for many, all in random directions."""
    steps = [SPREAD * max(1.0, abs(v)) for v in values]
    if len(values) <= FEW:
        signs = [[s if j == i else 0 for j in range(len(values))] for i in range(len(values)) for s in (1, -1)]
    else:
        pick = random.Random(0)  # the same directions every run: the verdict is reproducible
        signs = [[pick.choice((1, -1)) for _ in values] for _ in range(DIRECTIONS)]
    for sign in signs:
        yield [v + s * step for v, s, step in zip(values, sign, steps)]


def converges(history) -> bool:
    """Neither diverged nor stalled, below its start, and near the best loss it reached."""
    if history.diverged or history.stalled or not history.epochs:
        return False
    best = min(e.loss for e in history.epochs)
    end, start = history.final_loss, history.initial_loss
    return end < start and end <= best + 0.01 * (start - best)


def suggest(problem, settings, train) -> Suggestion:
    """Train again (with ``train``, the trainer that diverged) with η/10, η/100, … and return the first
    rate that converges."""
    epochs = min(settings.epochs, max(1, TRIAL_BUDGET // max(1, len(problem.data))))
    trial = settings._replace(epochs=epochs)
    tried: list[float] = []
    for k in range(1, TRIES + 1):
        rate = float(Decimal(repr(problem.lr)).scaleb(-k))  # 0.3 -> 0.03, not 0.030000000000000002
        tried.append(rate)
        try:
            history = train(replace(problem, lr=rate), trial, advise=False, log_all=False)
        except SymbackError:
            continue
        if converges(history):
            return Suggestion(rate, tuple(tried), epochs, history.initial_loss, history.final_loss)
    return Suggestion(None, tuple(tried), epochs)


def _num(value) -> str:
    return repr(float(value))


def _rate(value: float) -> str:
    return f"{value:g}" if float(f"{value:g}") == value else repr(value)


def advice(suggestion: Suggestion | None, words) -> str:
    """What to change after a divergence, from the rates tried."""
    if suggestion is None:
        return words("train.advice.untried")
    epochs = words("train.epochs.one" if suggestion.epochs == 1 else "train.epochs.many", n=suggestion.epochs)
    if suggestion.lr is None:
        return words("train.advice.none", rates=", ".join(map(_rate, suggestion.tried)), epochs=epochs,
                     params_option=option("params"))
    return words("train.advice.rate", lr=_rate(suggestion.lr), start=_num(suggestion.start),
                 end=_num(suggestion.end), epochs=epochs, lr_option=option("lr"))


def divergence_words(divergence, words) -> str:
    """Why a run stopped and what to change, in the language of ``words``."""
    value = _num(divergence.value) if divergence.value is not None else "nan"
    return words(f"train.diverged.{divergence.cause}", epoch=divergence.epoch, value=value,
                 advice=advice(divergence.suggestion, words), detail=divergence.detail, loss_option=option("loss"))


def stall_words(found: Stall, words) -> str:
    """The warning for a stalled run."""
    return words("train.stalled", since=found.since, loss=_num(found.loss), params_option=option("params"))
