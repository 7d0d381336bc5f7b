"""Training a matrix model: gradient descent on whole layers -> :class:`~symback.train.history.History`.

The modes are those of scalar models (docs/train.md): ``sgd`` one update per
sample in data order, ``batch`` one update per epoch on the mean loss,
``minibatch`` batches of ``batch_size`` rows in an order shuffled every epoch by
``random.Random(seed)``. Every update runs the one compiled step of
:mod:`symback.train.tensor_code` on the rows it concerns (one row in sgd), so
the three modes share one code. After each epoch the history records the mean
loss over all samples and every parameter as a nested list (a number, a
vector or a matrix, as the parameter was given).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from ..core.tensor import build_tensor_graph
from .history import Divergence, Epoch, History, Settings
from . import loops
from .loops import Update
from .log import KEEP_ALL, TAIL, EpochLog, Trail
from .run import EXPLODE
from ..model.tensor_data import TensorColumns
from .tensor_code import CompiledTensor

#: the backends of matrix training: "numpy" computes in a fixed order (the same digits on every
#: machine), "blas" through BLAS and NumPy's vectorised functions (fastest; the last digits vary)
KINDS = {"numpy": "portable", "blas": "blas"}


def columns_of(problem):
    """The problem's samples as float64 arrays with a first axis of samples (inputs, then y)."""
    from .backends import numpy_module

    np = numpy_module()
    names = tuple(problem.inputs) + ("y",)
    samples = problem.samples
    if isinstance(samples, TensorColumns) and samples.names == names:
        return tuple(np.asarray(c, dtype=np.float64) for c in samples.columns)
    return tuple(np.stack([np.asarray(s[name], dtype=np.float64) for s in samples]) for name in names)


def tensor_settings(problem, epochs=100, mode="sgd", batch_size=None, seed=0, dtype="float64",
                    backend="numpy") -> Settings:
    """Checked settings of a matrix run: those of a scalar run, in float64, backend numpy or blas."""
    from ..errors import SpecError, option
    from .run import settings

    if backend not in KINDS:
        raise SpecError(f"a matrix model trains with {option('backend')} {' or '.join(KINDS)}, not {backend}", option="backend",
                        value=backend)
    if dtype != "float64":
        raise SpecError(f"a matrix model trains in float64 ({option('dtype')} float32 is for scalar models)")
    return settings(problem, epochs, mode, batch_size, seed, dtype, "numpy")._replace(backend=backend)


def check_tensor_point(problem, point) -> None:
    """A SpecError unless ``point`` gives each input of the matrix model in the shape of its samples."""
    from ..errors import SpecError
    from .backends import numpy_module
    from .history import check_point

    check_point(problem, point)
    np = numpy_module()
    for name in problem.inputs:
        want = np.shape(problem.samples[0][name])
        got = np.shape(point[name])
        if got != want:
            raise SpecError(f"a prediction's {name} has shape {got}, but the model's input {name} has shape {want} "
                            f"(as in the data); e.g. {name}={np.zeros(want).tolist()}")


class TensorTrainer:
    """The compiled step and the data of one run."""

    def __init__(self, problem, settings_: Settings):
        from .backends import numpy_module

        self.np = numpy_module()
        self.problem, self.settings = problem, settings_
        self.compiled = CompiledTensor(build_tensor_graph(problem), KINDS.get(settings_.backend, "portable"))
        self.columns = columns_of(problem)
        self.n = len(self.columns[0])
        self.lr = float(problem.lr)
        self.number = self.np.asarray
        #: no whole-epoch kernels: the scalar loops step through mean_step
        self.kernels = None

    def rows(self, index):
        return tuple(c[index] for c in self.columns)

    def mean_loss(self, params) -> float:
        return float(self.compiled.loss(params, self.columns))

    def mean_step(self, params, index=None):
        """One update on the mean loss over the rows ``index`` (default all): (params, loss, gradient)."""
        return self.compiled.step(params, self.columns if index is None else self.rows(index), self.lr)

    def update(self, epoch, index, sample, loss, grads, params) -> Update:
        """A step as ``on_update`` sees it (the sample is left out: see :func:`_update`)."""
        return _update(epoch, index, loss, grads, params)

    def quiet(self):
        return self.np.errstate(all="ignore")

    def predict(self, values, inputs):
        """ŷ for one point: ``inputs`` in the order of the problem's inputs."""
        batch = tuple(self.np.asarray(v, dtype=float)[None] for v in inputs)
        return self.compiled.predict(values, batch)[0]


def sgd(t: TensorTrainer, params, on_update) -> object:
    for epoch in range(t.settings.epochs):
        last = None
        for i in range(t.n):
            params, last, grads = t.mean_step(params, slice(i, i + 1))
            if on_update:
                on_update(t.update(epoch, i, None, last, grads, params))
        yield epoch, params, last, t.mean_loss(params)


#: batch and minibatch are the scalar loops, which step through TensorTrainer.mean_step
LOOPS = {"sgd": sgd, "batch": loops.batch, "minibatch": loops.minibatch}


def _update(epoch, index, loss, grads, params) -> Update:
    """A step as ``-v`` shows it: nested lists (a sample of vectors has no one-line form: its index says which)."""
    return Update(epoch, index, None, float(loss), tuple(v for _, v in nested(grads, grads)),
                  tuple(v for _, v in nested(params, params)))


def nested(names, params) -> tuple:
    """((name, number or nested list), …): the parameters as the history keeps them."""
    return tuple((n, v.tolist() if hasattr(v, "tolist") else float(v)) for n, v in zip(names, params))


def train_tensor(problem, settings_: Settings | None = None, *, on_update: Callable | None = None,
                 on_epoch: Callable | None = None, on_start: Callable | None = None, advise: bool = True,
                 log_all: bool | None = None) -> History:
    """Train a matrix problem by gradient descent; the history's parameters are nested lists.

    ``on_update(Update)`` sees every step (gradient and parameters as nested lists),
    ``on_epoch(Epoch)`` every epoch. A run whose loss stops being finite, or grows
    more than EXPLODE times its start, stops there with ``diverged`` set.
    """
    settings_ = settings_ or Settings()
    t = TensorTrainer(problem, settings_)
    names = problem.param_names
    start = tuple(t.np.array(v, dtype=float) for _, v in problem.params)
    with t.quiet():
        initial = t.mean_loss(start)
    begin = History(problem, settings_, nested(names, start), initial, (), None, t)
    if on_start:
        on_start(begin)
    if log_all is None:
        log_all = settings_.epochs > KEEP_ALL
    shapes = tuple(tuple(v.shape) for v in start)
    log = EpochLog(names, settings_.mode == "sgd", shapes) if log_all else None
    trail, diverged = Trail(keep=kept_epochs(shapes)), None
    limit = EXPLODE * max(initial, 1.0) if math.isfinite(initial) else math.inf
    with t.quiet():
        for epoch, params, last, loss in LOOPS[settings_.mode](t, start, on_update):
            entry = Epoch(epoch, float(loss), nested(names, params), None if last is None else float(last))
            diverged = _check(t.np, entry, params, limit)
            if diverged:
                break
            trail.append(entry)
            if log is not None:
                log.append(entry)
            if on_epoch:
                on_epoch(entry)
    if diverged is not None:
        from ..lang import wording
        from . import advice

        if advise:
            diverged = diverged._replace(suggestion=advice.suggest(problem, settings_, train_tensor))
        diverged = diverged._replace(reason=advice.divergence_words(diverged, wording("en")))
    return replace(begin, epochs=trail.entries(), diverged=diverged, count=trail.count, log=log)


#: the parameter entries that memory holds for the epochs of a run, at most (2·10⁷ floats, ≈ 0.6 GB as lists)
ENTRIES_KEPT = 20_000_000


def kept_epochs(shapes) -> int:
    """How many epochs the trail keeps whole before thinning: KEEP_ALL, fewer for a large model
    (--history and --format json read every epoch back from the log on disk)."""
    import math

    entries = sum(math.prod(shape) for shape in shapes) or 1
    return max(TAIL, min(KEEP_ALL, ENTRIES_KEPT // entries))


def _check(np, entry: Epoch, params, limit: float) -> Divergence | None:
    if not math.isfinite(entry.loss) or not all(np.isfinite(p).all() for p in params):
        return Divergence(entry.epoch, "nonfinite", entry.loss)
    if entry.loss > limit:
        return Divergence(entry.epoch, "explode", entry.loss)
    return None


__all__ = ["train_tensor", "columns_of", "TensorTrainer", "KINDS"]
