"""Training: gradient descent with the compiled symbolic gradient -> :class:`History`.

Every update is ``p ← p − η·∂L/∂p`` with ∂L/∂p from :mod:`symback.compile`
(the derivation's reverse pass, lambdified once). The modes differ in what L is:

- ``sgd``: the loss of one sample; one update per sample, in data order (the
  original PyTorch program);
- ``batch``: the mean loss over all n samples, ∂L/∂p = (1/n) Σ_i ∂L_i/∂p; one update per epoch;
- ``minibatch``: the mean over ``batch_size`` samples; the order is shuffled
  every epoch by ``random.Random(seed)``, so a run is reproducible.

After each epoch the history records the mean loss over all samples at the new
parameters. The loop is pure: no printing, no files; ``on_update`` and
``on_epoch`` callbacks report progress. A run that produces a non-finite loss,
or a loss more than ``EXPLODE`` times its start, stops there and says why.
"""

from __future__ import annotations

import math
import random
from itertools import repeat
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Mapping, NamedTuple

from .compile import DTYPES, Compiled, compile_problem, numpy_module
from .errors import DataError, MissingExtra, SpecError
from .spec import Problem

MODES = ("sgd", "batch", "minibatch")
MAX_EPOCHS = 10_000_000
#: a loss this many times its starting value (or 1, if larger) counts as exploding
EXPLODE = 1e10
DEFAULT_BATCH = 32


class Settings(NamedTuple):
    """How to train: epochs, mode, batch size (minibatch only), shuffle seed, number type."""

    epochs: int = 100
    mode: str = "sgd"
    batch_size: int | None = None
    seed: int = 0
    dtype: str = "float64"


class Epoch(NamedTuple):
    """The state after one epoch: mean loss over all samples and the parameters.

    ``last_sample_loss`` (sgd only) is the loss of the epoch's last sample before
    its update, which is what the original program prints as ``progress``.
    """

    epoch: int
    loss: float
    params: tuple[tuple[str, float], ...]
    last_sample_loss: float | None = None


class Update(NamedTuple):
    """One gradient step: the loss it saw, its gradient and the parameters after it."""

    epoch: int
    index: int
    sample: tuple[float, ...] | None
    loss: float
    gradient: tuple[float, ...]
    params: tuple[float, ...]


class Divergence(NamedTuple):
    """Why training stopped early: ``cause`` is nonfinite, explode, overflow, domain or zero_division."""

    epoch: int
    cause: str
    value: float | None
    reason: str


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

    def __repr__(self) -> str:
        end = "diverged at epoch %d" % self.diverged.epoch if self.diverged else f"loss {self.final_loss!r}"
        return f"History({len(self.epochs)} epochs, {self.settings.mode}, {end}, params {dict(self.final_params)})"

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
            return float(self.compiled.predict(values, tuple(number(point[n]) for n in self.problem.inputs)))
        except (ArithmeticError, ValueError):
            return math.nan


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


def settings(problem: Problem, epochs=100, mode="sgd", batch_size=None, seed=0, dtype="float64") -> Settings:
    """Checked settings; a SpecError (exit code 2) names the first bad one."""
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= MAX_EPOCHS:
        raise SpecError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, not {epochs!r}; try --epochs 100")
    if mode not in MODES:
        raise SpecError(f"unknown mode {mode!r}; choose {', '.join(MODES)}")
    if dtype not in DTYPES:
        raise SpecError(f"unknown dtype {dtype!r}; choose {', '.join(DTYPES)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SpecError(f"the seed must be a whole number, not {seed!r}")
    n = len(problem.data)
    if mode != "minibatch":
        if batch_size is not None:
            raise SpecError(f"a batch size applies only to --mode minibatch (this run is {mode})")
    elif batch_size is None:
        batch_size = min(DEFAULT_BATCH, n)
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= n:
        raise SpecError(f"the batch size must be a whole number from 1 to {n} (the number of samples), not {batch_size!r}")
    return Settings(epochs, mode, batch_size, seed, dtype)


def train(problem: Problem, settings_: Settings | None = None, *, on_update: Callable | None = None,
          on_epoch: Callable | None = None, on_start: Callable | None = None) -> History:
    """Train ``problem`` by gradient descent; return the whole history.

    ``on_start(history)`` sees the starting state (no epochs yet; it can
    predict), ``on_update(Update)`` every step, ``on_epoch(Epoch)`` every epoch.

    Raises DataError (bad input) if the loss cannot even be computed at the
    starting parameters; a run that diverges later returns its history up to
    there with ``diverged`` set.
    """
    settings_ = settings_ or Settings()
    run = _Run(problem, settings_)
    start = tuple(run.number(v) for v in problem.param_values.values())
    initial = _initial_loss(run, start)
    names = problem.param_names
    limit = EXPLODE * max(initial, 1.0)
    begin = History(problem, settings_, tuple(zip(names, map(float, start))), initial, (), None, run.compiled)
    if on_start:
        on_start(begin)
    entries, diverged = [], None
    steps = _MODES[settings_.mode](run, start, on_update)
    with run.quiet():
        while diverged is None:
            try:
                epoch, params, last, loss = next(steps)
            except StopIteration:
                break
            except (ArithmeticError, ValueError) as err:  # Python floats raise where NumPy gives inf/nan
                diverged = _failure(len(entries), err, problem.lr)
                break
            entry = Epoch(epoch, float(loss), tuple(zip(names, map(float, params))),
                          None if last is None else float(last))
            diverged = _check(entry, limit, problem.lr)
            if diverged is None:
                entries.append(entry)
                if on_epoch:
                    on_epoch(entry)
    return replace(begin, epochs=tuple(entries), diverged=diverged)


class _Run:
    """The compiled functions and the data, in the working number type."""

    def __init__(self, problem: Problem, settings_: Settings):
        self.settings = settings_
        self.lr_value = problem.lr
        arrays = settings_.dtype == "float32" or (settings_.mode != "sgd" and _has_numpy())
        self.compiled = compile_problem(problem, settings_.dtype, arrays)
        self.number = number = self.compiled.number
        self.rows = [tuple(number(v) for v in row) for row in problem.data.rows]
        self.n = len(self.rows)
        self.lists = tuple(map(list, zip(*self.rows)))
        self.lr = number(problem.lr)
        self.np = numpy_module() if arrays else None
        if self.np is not None:
            self.columns = tuple(self.np.array(c, dtype=number) for c in zip(*problem.data.rows))

    def quiet(self):
        """NumPy reports overflow as inf or nan, which the loop checks: no warnings."""
        return self.np.errstate(all="ignore") if self.np is not None else _Nothing()

    def mean_loss(self, params) -> float:
        """(1/n) Σ_i L_i at ``params``, over all samples."""
        if self.np is not None:
            return self.compiled.batch_loss(params, self.columns, self.number(self.n))
        # map() over columns: no tuple is built or unpacked per sample
        return math.fsum(map(self.compiled.loss, *(repeat(p, self.n) for p in params), *self.lists)) / self.n

    def mean_step(self, params, index=None):
        """One update on the mean loss over the samples ``index`` (default all)."""
        if self.np is not None:
            columns = self.columns if index is None else tuple(c[index] for c in self.columns)
            return self.compiled.batch(params, columns, self.lr, self.number(len(columns[0])))
        rows = self.rows if index is None else [self.rows[i] for i in index]
        return _python_mean_step(self.compiled.step_gradient, params, rows, self.lr)


def _python_mean_step(step, params, rows, lr):
    total, sums = 0.0, [0.0] * len(params)
    for row in rows:
        _, loss, grads = step(params, row, 0.0)
        total += loss
        sums = [s + g for s, g in zip(sums, grads)]
    grads = tuple(s / len(rows) for s in sums)
    return tuple(p - lr * g for p, g in zip(params, grads)), total / len(rows), grads


def _sgd(run: _Run, params, on_update) -> Iterator:
    rows, lr = run.rows, run.lr
    step = run.compiled.step if on_update is None else run.compiled.step_gradient
    for epoch in range(run.settings.epochs):
        if on_update is None:
            for row in rows:
                params, last = step(params, row, lr)
        else:
            for i, row in enumerate(rows):
                params, last, grads = step(params, row, lr)
                on_update(_update(epoch, i, row, last, grads, params))
        yield epoch, params, last, run.mean_loss(params)


def _batch(run: _Run, params, on_update) -> Iterator:
    # The loss an update sees is the mean loss at the parameters before it, so
    # epoch k's loss after its update comes free with epoch k+1's step.
    new, loss, grads = run.mean_step(params)
    for epoch in range(run.settings.epochs):
        if on_update:
            on_update(_update(epoch, 0, None, loss, grads, new))
        params = new
        if epoch + 1 < run.settings.epochs:
            new, loss, grads = run.mean_step(params)
        else:
            loss = run.mean_loss(params)
        yield epoch, params, None, loss


def _minibatch(run: _Run, params, on_update) -> Iterator:
    order, size = list(range(run.n)), run.settings.batch_size
    shuffle = random.Random(run.settings.seed).shuffle
    for epoch in range(run.settings.epochs):
        shuffle(order)
        for k, start in enumerate(range(0, run.n, size)):
            index = order[start:start + size]
            params, loss, grads = run.mean_step(params, run.np.array(index) if run.np is not None else index)
            if on_update:
                on_update(_update(epoch, k, None, loss, grads, params))
        yield epoch, params, None, run.mean_loss(params)


_MODES = {"sgd": _sgd, "batch": _batch, "minibatch": _minibatch}


def _update(epoch, index, sample, loss, grads, params) -> Update:
    floats = lambda values: tuple(map(float, values))  # noqa: E731
    return Update(epoch, index, None if sample is None else floats(sample), float(loss), floats(grads), floats(params))


def _initial_loss(run: _Run, start) -> float:
    """The mean loss at the starting parameters; bad input if it is not a number."""
    with run.quiet():
        try:
            value = float(run.mean_loss(start))
        except (ArithmeticError, ValueError):
            value = math.nan
    if math.isfinite(value):
        return value
    for i, row in enumerate(run.rows, start=1):
        with run.quiet():
            try:
                bad = not math.isfinite(float(run.compiled.loss(*start, *row)))
            except (ArithmeticError, ValueError):
                bad = True
        if bad:
            sample = ", ".join(f"{n}={float(v):g}" for n, v in zip(run.compiled.inputs + ("y",), row))
            raise DataError(f"the loss is not defined at the starting parameters for data row {i} ({sample}); "
                            "change that row or the starting values (--param)")
    raise DataError(f"the mean loss at the starting parameters is {value}; the data are too large for {run.settings.dtype}")


def _check(entry: Epoch, limit: float, lr: float) -> Divergence | None:
    values = [entry.loss] + [v for _, v in entry.params]
    if not all(math.isfinite(v) for v in values):
        return Divergence(entry.epoch, "nonfinite", entry.loss,
                          f"the loss became {entry.loss} at epoch {entry.epoch}: the steps overshoot; "
                          f"try a smaller learning rate, e.g. --lr {lr / 10:g}")
    if entry.loss > limit:
        return Divergence(entry.epoch, "explode", entry.loss,
                          f"the loss grew to {entry.loss:g} at epoch {entry.epoch}, over {EXPLODE:g} times its start: "
                          f"the steps overshoot; try a smaller learning rate, e.g. --lr {lr / 10:g}")
    return None


def _failure(epoch: int, err: Exception, lr: float) -> Divergence:
    if isinstance(err, ZeroDivisionError):
        return Divergence(epoch, "zero_division", None, f"a division by zero at epoch {epoch}; "
                          f"try other starting values or a smaller learning rate (--lr {lr / 10:g})")
    if isinstance(err, ArithmeticError):
        return Divergence(epoch, "overflow", None, f"a number overflowed at epoch {epoch}: the steps overshoot; "
                          f"try a smaller learning rate, e.g. --lr {lr / 10:g}")
    return Divergence(epoch, "domain", None, f"a log or square root of a negative number (or 0) at epoch {epoch}; "
                      f"try a smaller learning rate (--lr {lr / 10:g}), other starting values, "
                      "or sigmoid(...) as the output with --loss bce")


def _has_numpy() -> bool:
    try:
        numpy_module()
    except MissingExtra:
        return False
    return True


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
