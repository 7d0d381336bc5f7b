"""A training run's epochs in bounded memory: a thinned trail, and a log of every epoch on disk.

Keeping every epoch costs (3 + parameters) floats each: 30 parameters over
the allowed ten million epochs would be 34 GB. So memory holds a
:class:`Trail`: every epoch of a run of up to KEEP_ALL epochs; beyond that
the first TAIL, the last TAIL and every ``stride``-th epoch, where the stride
is a power of ten at most a fiftieth of the epochs run. Every row the report's
table shows (the first ten, every k-th for k = 1, 2 or 5 times a power of ten
with at most ten steps in all, the last) is such an epoch, and fewer than
500 + 2·TAIL are held once the run is longer than KEEP_ALL. A matrix model
of many parameters starts thinning sooner (``Trail(keep)``), so that it holds
at most max(keep, 500 + 2·TAIL) epochs.

When the whole history is wanted (``--history``, ``--format json``) each epoch
is also written to an :class:`EpochLog`, an unnamed temporary file of raw
doubles, as it is produced, and read back one epoch at a time to write it.
"""

from __future__ import annotations

import math
import tempfile
from array import array
from typing import Iterator

from .history import Epoch

#: a run of up to this many epochs is kept whole in memory
KEEP_ALL = 10_000
#: the first and the last this many epochs are always kept
TAIL = 10


class Trail:
    """The epochs kept in memory (see the module docstring), in order."""

    def __init__(self, keep: int | None = None):
        self.kept: list = []
        self.tail: list = []
        self.count = 0
        self.stride = 1
        #: thinning starts past this many epochs (fewer for a model of many parameters)
        self.keep = KEEP_ALL if keep is None else keep

    def append(self, entry) -> None:
        self.count += 1
        self.tail = (self.tail + [entry])[-TAIL:]
        if self.count > self.keep:
            stride = 10 ** int(math.log10(self.count / 50))
            if stride > self.stride:
                self.stride = stride
                self.kept = [e for e in self.kept if self._wanted(e.epoch)]
        if self._wanted(entry.epoch):
            self.kept.append(entry)

    def _wanted(self, epoch: int) -> bool:
        return epoch < TAIL or (epoch + 1) % self.stride == 0

    def entries(self) -> tuple:
        """The kept epochs and the last TAIL, in epoch order."""
        seen = {e.epoch for e in self.kept}
        return tuple(sorted(self.kept + [e for e in self.tail if e.epoch not in seen], key=lambda e: e.epoch))


class EpochLog:
    """Every epoch, as raw doubles in an unnamed temporary file (removed when closed or collected).

    A record is (epoch, loss, each parameter[, last_sample_loss]); ``sgd`` says whether
    the last field is there (it is for every epoch of an sgd run, for none otherwise).
    """

    def __init__(self, names: tuple, sgd: bool, shapes: tuple | None = None):
        self.names, self.sgd = names, sgd
        #: each parameter's shape: () for a number, (n,) or (m, n) for a matrix model's nested lists
        self.shapes = shapes if shapes is not None else tuple(() for _ in names)
        self.sizes = tuple(math.prod(shape) for shape in self.shapes)
        self.width = 2 + sum(self.sizes) + sgd
        self.file = tempfile.TemporaryFile(prefix="symback-history-")
        self.buffer = array("d")

    def append(self, entry) -> None:
        self.buffer.append(entry.epoch)
        self.buffer.append(entry.loss)
        for (_, v), shape in zip(entry.params, self.shapes):
            self.buffer.extend(_flat(v) if shape else (v,))
        if self.sgd:
            self.buffer.append(entry.last_sample_loss)
        if len(self.buffer) >= 1 << 16:
            self._flush()

    def _flush(self) -> None:
        self.buffer.tofile(self.file)
        self.buffer = array("d")

    def __iter__(self) -> Iterator:
        self._flush()
        self.file.seek(0)
        while True:
            chunk = array("d")
            try:
                chunk.fromfile(self.file, self.width * 4096)
            except EOFError:
                pass  # the last, shorter chunk was read all the same
            if not chunk:
                break
            for i in range(0, len(chunk), self.width):
                row = chunk[i:i + self.width]
                last = row[-1] if self.sgd else None
                yield Epoch(int(row[0]), row[1], self._params(row), last)
        self.file.seek(0, 2)

    def _params(self, row) -> tuple:
        out, at = [], 2
        for name, shape, size in zip(self.names, self.shapes, self.sizes):
            out.append((name, _nested(row[at:at + size].tolist(), shape) if shape else row[at]))
            at += size
        return tuple(out)

    def close(self) -> None:
        self.file.close()


def _flat(value) -> list:
    return [x for v in value for x in _flat(v)] if isinstance(value, (list, tuple)) else [value]


def _nested(values: list, shape: tuple) -> list:
    """Flat values (row by row) as nested lists of ``shape``."""
    if len(shape) == 1:
        return values
    step = math.prod(shape[1:])
    return [_nested(values[i:i + step], shape[1:]) for i in range(0, len(values), step)]
