"""Large data as NumPy columns: big CSV files, ``.npz`` and ``.npy`` files, arrays from Python.

An :class:`ArrayDataset` is a :class:`~symback.model.table.Dataset` whose columns are
read-only float64 NumPy arrays, one per name, instead of a tuple of Python
rows: 10⁷ samples of (x, y) take 160 MB rather than over a gigabyte, and the
batch code of :mod:`symback.train.compile` uses the arrays as they are, without a
copy. Every value is checked as a CSV cell is: a finite number.

- ``.npz`` (``numpy.savez("data.npz", x=x, y=y)``): each array is a column, named by its key;
  its first axis counts the samples, so x of shape (n, d) is a column of n vectors of d
  components (the input of a model ``W @ x + b``) and y of shape (n,) one number per sample;
- ``.npy``: a structured array whose fields are the columns;
- a CSV file: NumPy's reader does the work; if it rejects anything, the
  standard-library reader goes over the file to give the same one-line
  message a small file gets (or reads what NumPy could not).

Files are never unpickled (``allow_pickle=False``).
"""

from __future__ import annotations

import array
import warnings
import zipfile
from typing import Mapping

from .table import Dataset, check_header, csv_header, csv_lines, csv_row
from ..errors import DataError, MissingExtra, install_hint


#: the most that the arrays of one .npz/.npy file may declare (2.7·10⁸ float64 values)
MAX_ARRAY_BYTES = 2 * 2**30


class ArrayDataset(Dataset):
    """A Dataset stored as one read-only float64 array per column; ``arrays[k]`` is column ``names[k]``."""

    def __init__(self, names, arrays):
        object.__setattr__(self, "names", tuple(names))
        object.__setattr__(self, "arrays", tuple(arrays))

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __eq__(self, other) -> bool:
        if not isinstance(other, Dataset) or self.names != other.names or len(self) != len(other):
            return False
        np = numpy_module()
        return all(np.array_equal(a, np.asarray(b)) for a, b in zip(self.columns, other.columns))

    __hash__ = None  # arrays are not hashable; equal datasets compare by value

    @property
    def rows(self) -> tuple[tuple[float, ...], ...]:
        """Every row as Python floats (as large as the data is long: for small data and tests)."""
        return tuple(zip(*(a.tolist() if a.ndim == 1 else list(map(tuple, a.tolist())) for a in self.arrays)))

    @property
    def columns(self):
        return self.arrays

    def column(self, name: str):
        return self.arrays[self.names.index(name)]

    def row(self, i: int) -> dict:
        """Sample ``i``: a float per one-dimensional column, a tuple of floats per column of vectors."""
        return {name: float(a[i]) if a.ndim == 1 else tuple(a[i].tolist()) for name, a in zip(self.names, self.arrays)}

    def select(self, names) -> "ArrayDataset":
        """The same data with only ``names``, in that order (the arrays are shared, not copied)."""
        return ArrayDataset(names, [self.column(n) for n in names])


def gather_arrays(dataset: Dataset, names, groups) -> ArrayDataset:
    """The columns ``names`` of ``dataset``, each group's columns stacked into one (n, d) array."""
    np = numpy_module()
    arrays = []
    for name in names:
        if name in groups:
            stacked = np.column_stack([dataset.column(c) for c in groups[name]]).astype(np.float64, copy=False)
            arrays.append(_read_only(stacked))
        else:
            arrays.append(dataset.column(name))
    return ArrayDataset(names, arrays)


def numpy_module():
    """NumPy, or an error that says how to install it."""
    try:
        import numpy
    except ImportError:
        raise MissingExtra("reading this data needs NumPy: " + install_hint("fast")) from None
    return numpy


def from_columns(columns: Mapping[str, object], where: str = "the data") -> ArrayDataset:
    """An ArrayDataset from {name: array of numbers, first axis the samples}, every value checked.

    A column is one-dimensional (a number per sample) or two-dimensional (a vector per sample).

    float64 arrays are shared (through a read-only view), others converted.
    """
    np = numpy_module()
    names = tuple(columns)
    if not names:
        raise DataError(f"{where} has no columns; it needs one per input and one named y")
    check_header(names, where)
    arrays, length = [], None
    for name in names:
        column = _checked_column(np, name, columns[name], where)
        if length is not None and len(column) != length:
            raise DataError(f"{where}: column {name} has {len(column)} values but column {names[0]} has {length}; "
                            "every column needs one value per sample")
        length = len(column)
        arrays.append(column)
    if not length:
        raise DataError(f"{where} has columns but no rows of data")
    return ArrayDataset(names, arrays)


def _checked_column(np, name, values, where):
    try:
        column = np.asarray(values)
    except (TypeError, ValueError):
        raise DataError(f"{where}: column {name} is not an array of numbers") from None
    if column.dtype.kind not in "biuf":
        raise DataError(f"{where}: column {name} holds {column.dtype} values; every value must be a real number")
    if column.ndim not in (1, 2) or 0 in column.shape[1:]:
        raise DataError(f"{where}: column {name} has shape {column.shape}; a column holds a number per sample "
                        "(shape (n,)) or a vector per sample (shape (n, d))")
    column = np.ascontiguousarray(column, dtype=np.float64)
    finite = np.isfinite(column)
    if not finite.all():
        i = int(np.flatnonzero(~finite.reshape(len(column), -1).all(axis=1))[0])
        raise DataError(f"{where}, column {name}, row {i + 1} is not a finite number (NaN or infinity)")
    view = column.view()
    view.flags.writeable = False  # a dataset is a value: nobody changes it under a running model
    return view


def read_numpy(path: str) -> ArrayDataset:
    """A ``.npz`` file (one array per column) or a ``.npy`` structured array (one field per column)."""
    np = numpy_module()
    check_sizes(np, path)
    try:
        loaded = np.load(path, allow_pickle=False)
    # NumPy's messages can quote the file (a header it cannot parse): they are not repeated.
    except OSError as err:
        raise DataError(f"cannot read {path}: {err.strerror or 'not a file NumPy can read'}") from None
    except (ValueError, EOFError, zipfile.BadZipFile):
        raise DataError(f"{path} is not a NumPy .npz or .npy file that symback can read") from None
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            try:
                columns = {name: loaded[name] for name in loaded.files}
            except (ValueError, OSError, zipfile.BadZipFile):
                raise DataError(f"{path}: an array cannot be read without unpickling it (or is damaged); "
                                "save arrays of numbers only") from None
        if not columns:
            raise DataError(f"{path} holds no arrays; save one per column: numpy.savez('{path}', x=x, y=y)")
    elif loaded.dtype.names:
        columns = {name: loaded[name] for name in loaded.dtype.names}
    else:
        raise DataError(f"{path} holds an array without column names; save one array per column instead: "
                        "numpy.savez('data.npz', x=x, y=y)")
    return from_columns(columns, where=path)


def check_sizes(np, path: str) -> None:
    """Refuse, before anything is decompressed, arrays larger than memory can hold.

    Each array's size is read from its own .npy header (shape × item size): an
    .npz file is a zip archive, and 8 MB of compressed zeros can declare 8 GB. All
    the arrays together must stay within MAX_ARRAY_BYTES and half the memory available
    now (the columns are converted to float64, which may copy them once).
    """
    try:
        sizes = list(_declared_sizes(np, path))
    except OSError as err:
        raise DataError(f"cannot read {path}: {err.strerror or 'not a file NumPy can read'}") from None
    except (ValueError, EOFError, zipfile.BadZipFile, KeyError, TypeError):
        raise DataError(f"{path} is not a NumPy .npz or .npy file that symback can read") from None
    total, room = sum(sizes), available_memory() // 2
    if total > min(MAX_ARRAY_BYTES, room):
        limit = f"{_size(MAX_ARRAY_BYTES)}" if MAX_ARRAY_BYTES <= room else f"{_size(room)} (half the memory available now)"
        raise DataError(f"{path} declares arrays of {_size(total)} in all; at most {limit} can be read")


def _declared_sizes(np, path: str):
    """The size in bytes that each array of the file declares in its header."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    yield _header_size(np, member)
    else:
        with open(path, "rb") as handle:
            yield _header_size(np, handle)


def _header_size(np, handle) -> int:
    fmt = np.lib.format
    version = fmt.read_magic(handle)
    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, _, dtype = read(handle)  # version 3 differs from 2 only in the header's encoding
    count = 1
    for n in shape:
        count *= int(n)
    return count * dtype.itemsize


def available_memory() -> int:
    """Bytes of memory available to a new allocation (MemAvailable; the free pages elsewhere)."""
    import os

    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 2**62  # unknown: only the arrays' own checks apply


def _size(n: int) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def read_csv_columns(path: str) -> ArrayDataset:
    """A CSV file read by NumPy into columns, checked as :func:`symback.model.data.parse_csv` checks it."""
    np = numpy_module()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = _first_row(handle, path)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "input contained no data": a header alone is handled below
                try:
                    table = np.loadtxt(handle, delimiter=",", dtype=np.float64, ndmin=2, comments=None,
                                       quotechar='"')
                except ValueError:
                    table = None  # a cell NumPy cannot read: the careful reader below says which
        if table is None or table.shape[1:] != (len(header),) or not len(table) or not np.isfinite(table).all():
            return _careful_read(path)
    except OSError as err:
        raise DataError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not UTF-8 text; save it as CSV (UTF-8)") from None
    columns = [np.ascontiguousarray(table[:, k]) for k in range(len(header))]
    del table  # one copy of the data, not two
    return ArrayDataset(header, [_read_only(c) for c in columns])


def _first_row(handle, where: str) -> tuple[str, ...]:
    """The header: the first line with something in it."""
    for line in handle:
        cells = next(csv_lines([line], where), [])
        if any(cell.strip() for cell in cells):
            return csv_header(cells, where)
    raise DataError(f"{where} is empty; it needs a header row such as x,y and one row per sample")


def _careful_read(path: str) -> ArrayDataset:
    """The standard-library reader, row by row into compact arrays: the first bad cell is
    reported exactly as for a small file; a file it accepts is returned."""
    np = numpy_module()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, columns, rowno = None, None, 1  # rows counted as parse_csv counts them: blank lines left out
        for cells in csv_lines(handle, path):
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, columns = csv_header(cells, path), [array.array("d") for _ in cells]
                continue
            rowno += 1
            for column, value in zip(columns, csv_row(cells, rowno, header, path)):
                column.append(value)
    if header is None:
        raise DataError(f"{path} is empty; it needs a header row such as x,y and one row per sample")
    if not columns[0]:
        raise DataError(f"{path} has a header but no rows of data")
    return ArrayDataset(header, [_read_only(np.frombuffer(c, dtype=np.float64)) for c in columns])


def _read_only(column):
    column.flags.writeable = False
    return column

