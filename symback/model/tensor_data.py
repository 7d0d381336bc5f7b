"""The samples of a matrix problem from a data set, held as columns (one array per input and y).

A matrix problem (:mod:`symback.model.tensor_spec`) reads its samples as a
sequence of {name: value}; data from a file can have 10⁵ rows, so they stay
in columns, one float64 array per name with a first axis of samples (a vector
input is an (n, d) array: a .npz array as it is, or CSV columns gathered by
``--input``). Training uses the columns; the explanation asks for sample i.
"""

from __future__ import annotations

from dataclasses import replace

from .arrays import numpy_module


class TensorColumns:
    """The samples of a matrix problem held as columns: ``columns[k]`` has one row per sample.

    A sequence of samples for the explanation (``samples[i]`` is {name: array}), and the
    arrays themselves for training, which never builds a dict per sample.
    """

    def __init__(self, names, columns):
        self.names, self.columns = tuple(names), tuple(columns)

    def __len__(self) -> int:
        return len(self.columns[0])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return {name: column[i] for name, column in zip(self.names, self.columns)}

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"TensorColumns({', '.join(self.names)}; {len(self)} samples)"


def with_columns(problem, dataset):
    """The matrix problem with the samples of ``dataset`` (a Dataset: one column per input and y,
    a column of vectors for a vector input), held as columns."""
    np = numpy_module()
    names = tuple(problem.inputs) + ("y",)
    columns = [np.asarray(dataset.column(name), dtype=np.float64) for name in names]
    return replace(problem, samples=TensorColumns(names, columns))


def matrix_problem(model, loss="mse", params=None, data=None, lr=0.01, sample=None):
    """A matrix problem from the same options as a scalar one (see :func:`symback.model.spec.problem`):
    ``data`` a path (CSV, .npz), a Dataset or a pair (columns, rows), its first row giving the shapes;
    without data, ``sample`` is the one sample."""
    from .data import from_rows, read_data
    from .table import Dataset
    from .tensor_spec import tensor_problem

    if data is None:
        return tensor_problem(model, loss=loss, params=params, lr=lr, sample=sample)
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        data = read_data(data)
    elif not isinstance(data, Dataset):
        data = from_rows(*data)
    needed = _inputs(model, params) + ("y",)
    _check_columns(data, needed)
    first = tensor_problem(model, loss=loss, params=params, lr=lr, samples=[{n: data.row(0)[n] for n in needed}])
    return with_columns(first, data)


def _inputs(model, params) -> tuple:
    """The model's inputs: the names it uses that it neither defines nor has as parameters."""
    from .tensor_parse import split_assignments
    from .tensor_spec import parse_tensor_model

    definitions = parse_tensor_model(model)
    given = set(params) if hasattr(params, "keys") else set(split_assignments(list(params or ()), "parameter"))
    defined, names = {n for n, _ in definitions}, []
    for _, expr in definitions:
        names += [n for n in sorted(expr.names()) if n not in defined and n not in given and n not in names]
    return tuple(names)


def _check_columns(data, needed) -> None:
    from ..errors import DataError, option

    missing = [n for n in needed if n not in data.names]
    if missing:
        raise DataError(f"the data have no column {', '.join(missing)} (columns: {', '.join(data.names)}); the "
                        f"model's inputs are {', '.join(needed[:-1]) or 'none'} and the target is y; to gather "
                        f"columns into a vector input: {option('inputs')} x=x1,x2")
