"""Data sets: the seed data, CSV files, and which reader a file needs.

A :class:`Dataset` (:mod:`symback.model.table`) is a table of floats with
named columns. CSV files are read with the standard library; every cell must
be a finite number. Large data (a big CSV file when NumPy is installed, or a
NumPy ``.npz``/``.npy`` file) are held as NumPy columns instead, in an
:class:`~symback.model.arrays.ArrayDataset` with the same interface (see
:mod:`symback.model.arrays`).
"""

from __future__ import annotations

import io
import os
from typing import Sequence

from ..errors import DataError, install_hint
from .table import Dataset, check_header, csv_header, csv_lines, csv_row, number_cell

#: the study-hours/points table of the original lesson
SEED_DATA = (("x", "y"), ((1.0, 2.0), (2.0, 4.0), (3.0, 6.0)))

#: CSV read into Python rows (without NumPy) up to this size
MAX_CSV_BYTES = 200 * 1024 * 1024
#: with NumPy, a CSV file larger than this is read into NumPy columns
ARRAY_CSV_BYTES = 8 * 1024 * 1024


def seed_dataset() -> Dataset:
    names, rows = SEED_DATA
    return Dataset(names, rows)


#: the point the original lesson asks about
SEED_POINT = {"x": 4.0}


def default_points(problem) -> list[dict]:
    """Where a Problem predicts when not told: x = 4 for the original lesson's data (the question it
    asks), else nowhere."""
    if problem.data == seed_dataset() and problem.inputs == ("x",):
        return [dict(SEED_POINT)]
    return []


def from_rows(names: Sequence[str], rows: Sequence[Sequence[float]]) -> Dataset:
    """Build a dataset from Python values, checking every cell."""
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise DataError("data: the columns must be a list of names, such as [\"x\", \"y\"]")
    names = tuple(names)
    check_header(names, "data")
    out = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, (list, tuple)):
            raise DataError(f"data row {i} is not a list of values; rows are lists, such as [[1, 2], [2, 4]]")
        if len(row) != len(names):
            raise DataError(f"data row {i} has {len(row)} values but there are {len(names)} columns")
        out.append(tuple(number_cell(v, f"data row {i}, column {n}") for v, n in zip(row, names)))
    if not out:
        raise DataError("the data have no rows")
    return Dataset(names, tuple(out))


def read_data(path: str) -> Dataset:
    """A data file by its suffix: .npz or .npy (NumPy), anything else CSV."""
    suffix = os.path.splitext(str(path))[1].lower()
    if suffix in (".npz", ".npy"):
        from .arrays import read_numpy

        return read_numpy(path)
    return read_csv(path)


def read_csv(path: str) -> Dataset:
    """Read a CSV file whose header names the columns (inputs and y).

    A file over ARRAY_CSV_BYTES is read into NumPy columns when NumPy is
    installed (with the same checks and messages); without NumPy, CSV is
    limited to MAX_CSV_BYTES.
    """
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise DataError(f"cannot read {path}: {err.strerror or err}") from None
    if size > ARRAY_CSV_BYTES and _has_numpy():
        from .arrays import read_csv_columns

        return read_csv_columns(path)
    if size > MAX_CSV_BYTES:
        raise DataError(f"{path} is {size // 2**20} MiB; without NumPy, CSV input is limited to "
                        f"{MAX_CSV_BYTES // 2**20} MiB; to read larger files: {install_hint('fast')}")
    from ..io import read_text

    return parse_csv(read_text(path, DataError, "; save it as CSV (UTF-8)", MAX_CSV_BYTES), path)


def parse_csv(text: str, where: str = "the CSV data") -> Dataset:
    """Parse CSV text; comma-separated, header first, blank lines ignored."""
    text = text.lstrip("\ufeff")
    # newline="": a line may end in \n, \r\n or \r alone (old Mac spreadsheets), as in a file opened so
    lines = [line for line in csv_lines(io.StringIO(text, newline=""), where) if any(cell.strip() for cell in line)]
    if not lines:
        raise DataError(f"{where} is empty; it needs a header row such as x,y and one row per sample")
    header = csv_header(lines[0], where)
    rows = [csv_row(line, lineno, header, where) for lineno, line in enumerate(lines[1:], start=2)]
    if not rows:
        raise DataError(f"{where} has a header but no rows of data")
    return Dataset(header, tuple(rows))


def _has_numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True
