"""The loops of gradient descent, one per mode; each yields the state after every epoch.

Each loop is a generator of (epoch, params, last_sample_loss, mean loss) over
a :class:`Run`, which holds the compiled functions and the data in the working
number type (Python floats, or NumPy float32 scalars and arrays). Python floats
raise on overflow and domain errors; NumPy gives inf or nan instead, which the
caller checks.
"""

from __future__ import annotations

import contextlib
import math
import random
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING, Iterator, NamedTuple

from .backends import numpy_module
from .compile import compile_problem
from ..errors import MissingExtra

if TYPE_CHECKING:  # pragma: no cover
    from ..model.spec import Problem
    from .history import Settings


class Update(NamedTuple):
    """One gradient step: the loss it saw, its gradient and the parameters after it."""

    epoch: int
    index: int
    sample: tuple[float, ...] | None
    loss: float
    gradient: tuple[float, ...]
    params: tuple[float, ...]


class Run:
    """The compiled functions and the data, in the working number type.

    With NumPy (float32, batches, or data already held as arrays) the data are
    ``columns``, one array per input and y, shared with the dataset when it
    holds float64 arrays already; ``rows`` (Python numbers) are made only if a
    per-sample Python loop needs them.
    """

    def __init__(self, problem: Problem, settings_: Settings):
        self.settings, self.data = settings_, problem.data
        held_as_arrays = hasattr(problem.data, "arrays")
        numba = settings_.backend == "numba"
        arrays = numba or settings_.dtype == "float32" or ((settings_.mode != "sgd" or held_as_arrays) and _has_numpy())
        self.compiled = compile_problem(problem, settings_.dtype, arrays, settings_.backend)
        self.np = numpy_module() if arrays else None
        #: whole epochs in one call (numba), used when no callback needs every update
        self.kernels = self.compiled.kernels
        self.number = number = self.compiled.number
        self.n = len(problem.data)
        with self.quiet():  # a number too large for float32 becomes inf: the first loss says so
            self.lr = number(problem.lr)
            if self.np is not None:
                dtype = self.np.float32 if settings_.dtype == "float32" else self.np.float64
                self.columns = tuple(self.np.ascontiguousarray(c, dtype=dtype) for c in problem.data.columns)

    @cached_property
    def rows(self) -> list:
        """The samples as tuples of working numbers, for the per-sample loops."""
        number = self.number
        with self.quiet():
            return [tuple(map(number, row)) for row in self.data.rows]

    @cached_property
    def lists(self) -> tuple:
        """One list per column (map() feeds them to the flat loss function)."""
        return tuple(map(list, zip(*self.rows)))

    def first_bad_row(self) -> int | None:
        """The index of the first sample with a number the working type cannot hold (inf), if any."""
        if self.np is not None:
            bad = [self.np.flatnonzero(~self.np.isfinite(c))[:1] for c in self.columns]
            return min((int(b[0]) for b in bad if len(b)), default=None)
        return next((i for i, row in enumerate(self.rows) if not all(math.isfinite(float(v)) for v in row)), None)

    def _scalars(self, params) -> tuple:
        # float64 parameters as Python floats: NumPy then reuses the temporary of
        # b + w*x in place, which it cannot when b is a NumPy scalar (one array less)
        return tuple(map(float, params)) if self.settings.dtype == "float64" else params

    def quiet(self):
        """NumPy reports overflow as inf or nan, which the loop checks: no warnings."""
        return self.np.errstate(all="ignore") if self.np is not None else contextlib.nullcontext()

    def mean_loss(self, params) -> float:
        """(1/n) Σ_i L_i at ``params``, over all samples."""
        if self.np is not None:
            return self.compiled.batch_loss(self._scalars(params), self.columns, self.number(self.n))
        # map() over columns: no tuple is built or unpacked per sample
        return math.fsum(map(self.compiled.loss, *(repeat(p, self.n) for p in params), *self.lists)) / self.n

    def mean_step(self, params, index=None):
        """One update on the mean loss over the samples ``index`` (default all)."""
        if self.np is not None:
            columns = self.columns if index is None else tuple(c[index] for c in self.columns)
            return self.compiled.batch(self._scalars(params), columns, self.lr, self.number(len(columns[0])))
        rows = self.rows if index is None else [self.rows[i] for i in index]
        return _python_mean_step(self.compiled.step_gradient, params, rows, self.lr)

    def update(self, epoch, index, sample, loss, grads, params) -> Update:
        """A step as ``on_update`` sees it: the numbers as Python floats."""
        return _update(epoch, index, sample, loss, grads, params)


def _python_mean_step(step, params, rows, lr):
    """Without NumPy: L = (1/n) Σ_i L_i, g = (1/n) Σ_i ∂L_i/∂p, then p − η·g."""
    total, sums = 0.0, [0.0] * len(params)
    for row in rows:
        _, loss, grads = step(params, row, 0.0)
        total += loss
        sums = [s + g for s, g in zip(sums, grads)]
    grads = tuple(s / len(rows) for s in sums)
    return tuple(p - lr * g for p, g in zip(params, grads)), total / len(rows), grads


def sgd(run: Run, params, on_update) -> Iterator:
    if run.kernels is not None and on_update is None:
        for epoch in range(run.settings.epochs):
            params, last = run.kernels.sgd_epoch(params, run.columns, run.lr)
            yield epoch, params, last, run.mean_loss(params)
        return
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


def batch(run: Run, params, on_update) -> Iterator:
    """One update per epoch on the mean loss over all samples.

    ``run`` may be any trainer with ``settings``, ``mean_step(params, index=None)``
    returning (params, loss, gradient), ``mean_loss`` and ``update`` (the matrix
    trainer of :mod:`symback.train.tensor_run` is one).
    """
    # The loss an update sees is the mean loss at the parameters before it, so
    # epoch k's loss after its update comes free with epoch k+1's step.
    new, loss, grads = run.mean_step(params)
    for epoch in range(run.settings.epochs):
        if on_update:
            on_update(run.update(epoch, 0, None, loss, grads, new))
        params = new
        if epoch + 1 < run.settings.epochs:
            new, loss, grads = run.mean_step(params)
        else:
            loss = run.mean_loss(params)
        yield epoch, params, None, loss


def minibatch(run: Run, params, on_update) -> Iterator:
    """Batches of ``batch_size`` samples in an order shuffled each epoch by ``Random(seed)``
    (``run`` as for :func:`batch`, with ``n``, ``lr``, ``np`` and ``kernels`` too)."""
    order, size = list(range(run.n)), run.settings.batch_size
    shuffle = random.Random(run.settings.seed).shuffle
    for epoch in range(run.settings.epochs):
        shuffle(order)
        if run.kernels is not None and on_update is None:
            params, _ = run.kernels.minibatch_epoch(params, run.columns, run.lr, run.np.array(order), size)
            yield epoch, params, None, run.mean_loss(params)
            continue
        for k, start in enumerate(range(0, run.n, size)):
            index = order[start:start + size]
            params, loss, grads = run.mean_step(params, run.np.array(index) if run.np is not None else index)
            if on_update:
                on_update(run.update(epoch, k, None, loss, grads, params))
        yield epoch, params, None, run.mean_loss(params)


LOOPS = {"sgd": sgd, "batch": batch, "minibatch": minibatch}


def _update(epoch, index, sample, loss, grads, params) -> Update:
    floats = lambda values: tuple(map(float, values))  # noqa: E731
    return Update(epoch, index, None if sample is None else floats(sample), float(loss), floats(grads), floats(params))


def _has_numpy() -> bool:
    try:
        numpy_module()
    except MissingExtra:
        return False
    return True
