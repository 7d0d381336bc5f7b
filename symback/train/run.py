"""Training: gradient descent with the compiled symbolic gradient -> :class:`History`.

Every update is ``p ← p − η·∂L/∂p`` with ∂L/∂p from :mod:`symback.train.compile`
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
from dataclasses import replace
from typing import Callable

from .compile import BACKENDS, DTYPES
from ..errors import DataError, SpecError, SymbackError, option
from ..core.singular import SingularGradient
from ..model.spec import Problem
from . import log as train_log
from .history import Divergence, Epoch, History, Settings, check_point  # noqa: F401 - this module's interface
from .log import EpochLog, Trail
from .loops import LOOPS, Run, Update  # noqa: F401 - Update is part of this module's interface

MODES = ("sgd", "batch", "minibatch")
MAX_EPOCHS = 10_000_000
#: a loss this many times its starting value (or 1, if larger) counts as exploding
EXPLODE = 1e10
DEFAULT_BATCH = 32


def settings(problem: Problem, epochs=100, mode="sgd", batch_size=None, seed=0, dtype="float64",
             backend="numpy") -> Settings:
    """Checked settings; a SpecError (exit code 2) names the first bad one (a MissingExtra, also
    exit code 2, if the numba backend is chosen without numba installed)."""
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= MAX_EPOCHS:
        raise SpecError(f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, not {epochs!r}; "
                        f"try {option('epochs')} 100", option="epochs", value=epochs)
    if mode not in MODES:
        raise SpecError(f"unknown mode {mode!r}; choose {', '.join(MODES)}", option="mode", value=mode)
    if dtype not in DTYPES:
        raise SpecError(f"unknown dtype {dtype!r}; choose {', '.join(DTYPES)}", option="dtype", value=dtype)
    if backend not in BACKENDS:
        raise SpecError(f"unknown backend {backend!r}; choose {', '.join(BACKENDS)}", option="backend", value=backend)
    if backend == "numba":
        from .numba_backend import numba_module

        numba_module()
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SpecError(f"the seed must be a whole number, not {seed!r}", option="seed", value=seed)
    n = len(problem.data)
    if mode != "minibatch":
        if batch_size is not None:
            raise SpecError(f"a batch size applies only to {option('mode')} minibatch (this run is {mode})",
                            option="batch_size", value=batch_size)
    elif batch_size is None:
        batch_size = min(DEFAULT_BATCH, n)
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= n:
        raise SpecError(f"the batch size must be a whole number from 1 to {n} (the number of samples), not {batch_size!r}",
                        option="batch_size", value=batch_size)
    return Settings(epochs, mode, batch_size, seed, dtype, backend)


def train(problem: Problem, settings_: Settings | None = None, *, on_update: Callable | None = None,
          on_epoch: Callable | None = None, on_start: Callable | None = None, advise: bool = True,
          log_all: bool | None = None) -> History:
    """Train ``problem`` by gradient descent; return the history.

    Memory holds every epoch of a run of up to train_log.KEEP_ALL epochs, a
    thinned trail of a longer one; with ``log_all`` (by default: when the run
    is longer) every epoch is also written to a log on disk as it is produced,
    which ``History.all_epochs()`` reads back.

    ``on_start(history)`` sees the starting state (no epochs yet; it can
    predict), ``on_update(Update)`` every step, ``on_epoch(Epoch)`` every epoch.

    Raises DataError (bad input) if the loss cannot even be computed at the
    starting parameters; a run that diverges later returns its history up to
    there with ``diverged`` set, and (with ``advise``) a smaller learning rate
    that was tried and converges. A run that stalls has ``stalled`` set.
    """
    settings_ = settings_ or Settings()
    run = Run(problem, settings_)
    start = tuple(run.number(v) for v in problem.param_values.values())
    initial = _initial_loss(run, start)
    begin = History(problem, settings_, tuple(zip(problem.param_names, map(float, start))), initial, (), None,
                    run.compiled)
    if on_start:
        on_start(begin)
    if log_all is None:
        log_all = settings_.epochs > train_log.KEEP_ALL
    log = EpochLog(problem.param_names, settings_.mode == "sgd") if log_all else None
    with run.quiet():
        trail, diverged = _epochs(LOOPS[settings_.mode](run, start, on_update), begin, on_epoch, log)
    entries = trail.entries()
    from . import advice as train_advice

    stalled = None
    if diverged is None:
        stalled = train_advice.stall(run, entries)
    else:
        diverged = _singular(problem, run, entries[-1].params if entries else begin.initial_params, diverged)
        if advise and diverged.cause != "singular":
            diverged = diverged._replace(suggestion=train_advice.suggest(problem, settings_, train))
        diverged = diverged._replace(reason=train_advice.divergence_words(diverged, _english()))
    return replace(begin, epochs=entries, diverged=diverged, stalled=stalled, count=trail.count, log=log)


def _english():
    from ..lang import wording

    return wording("en")


def _epochs(steps, begin: History, on_epoch, log) -> tuple[Trail, Divergence | None]:
    """Record each epoch the loop yields (in the trail, and the log if any), until it ends
    or the loss is no longer a number."""
    names = begin.problem.param_names
    limit = EXPLODE * max(begin.initial_loss, 1.0)
    entries = Trail()
    while True:
        try:
            epoch, params, last, loss = next(steps)
        except StopIteration:
            return entries, None
        except (ArithmeticError, ValueError) as err:  # Python floats raise where NumPy gives inf/nan
            return entries, _failure(entries.count, err)
        entry = Epoch(epoch, float(loss), tuple(zip(names, map(float, params))), None if last is None else float(last))
        diverged = _check(entry, limit)
        if diverged:
            return entries, diverged
        entries.append(entry)
        if log is not None:
            log.append(entry)
        if on_epoch:
            on_epoch(entry)


def _initial_loss(run: Run, start) -> float:
    """The mean loss at the starting parameters; bad input if it is not a number."""
    _check_range(run, start)
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
                            f"change that row or the starting values ({option('params')})")
    raise DataError(f"the mean loss at the starting parameters is {value}: too large for {run.settings.dtype}; "
                    "scale the data down")


def _check_range(run: Run, start) -> None:
    """Every number must fit the working type (float32 ends near 3.4e38)."""
    bad = run.first_bad_row()
    if bad is not None:
        raise DataError(f"data row {bad + 1} has a number too large for {run.settings.dtype}; "
                        f"use {option('dtype')} float64 or scale the data down")
    if not all(math.isfinite(float(v)) for v in start):
        raise DataError(f"a starting parameter is too large for {run.settings.dtype}; use {option('dtype')} float64")


#: rows searched for one where the gradient is not finite, after a run diverges
SINGULAR_ROWS = 1000


def _singular(problem: Problem, run: Run, params, diverged: Divergence) -> Divergence:
    """The divergence, or, when the gradient was already infinite or undefined where the
    diverging epoch started (√w at w = 0), that cause: no learning rate would help."""
    values = tuple(run.number(v) for _, v in params)
    for i, row in enumerate(run.rows[:SINGULAR_ROWS]):
        with run.quiet():
            try:
                grads = run.compiled.step_gradient(values, row, 0.0)[2]
                finite = all(math.isfinite(float(g)) for g in grads)
            except (ArithmeticError, ValueError):
                finite = False
        if not finite:
            return _singular_reason(problem.with_params(dict(params)), i, diverged)
    return diverged


def _singular_reason(problem: Problem, row: int, diverged: Divergence) -> Divergence:
    from ..core.derive import explain

    try:
        explain(problem, row)
    except SingularGradient as err:
        return Divergence(diverged.epoch, "singular", None, detail=f"at epoch {diverged.epoch}, data row {row + 1}: {err}")
    except SymbackError:
        pass
    return diverged


def _check(entry: Epoch, limit: float) -> Divergence | None:
    values = [entry.loss] + [v for _, v in entry.params]
    if not all(math.isfinite(v) for v in values):
        return Divergence(entry.epoch, "nonfinite", entry.loss)
    if entry.loss > limit:
        return Divergence(entry.epoch, "explode", entry.loss)
    return None


def _failure(epoch: int, err: Exception) -> Divergence:
    if isinstance(err, ZeroDivisionError):
        return Divergence(epoch, "zero_division", None)
    if isinstance(err, ArithmeticError):
        return Divergence(epoch, "overflow", None)
    return Divergence(epoch, "domain", None)
