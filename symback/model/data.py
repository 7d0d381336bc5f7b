"""Data sets: the seed data, CSV files and their checks.

A :class:`Dataset` is a table of floats with named columns. CSV files are
read with the standard library; every cell must be a finite number. Large
data (a big CSV file when NumPy is installed, or a NumPy ``.npz``/``.npy``
file) are held as NumPy columns instead, in an
:class:`~symback.data_arrays.ArrayDataset` with the same interface (see
:mod:`symback.data_arrays`).
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from typing import Iterator, Sequence

from ..errors import DataError, install_hint

#: the study-hours/points table of the original lesson
SEED_DATA = (("x", "y"), ((1.0, 2.0), (2.0, 4.0), (3.0, 6.0)))

#: CSV read into Python rows (without NumPy) up to this size
MAX_CSV_BYTES = 200 * 1024 * 1024
#: with NumPy, a CSV file larger than this is read into NumPy columns
ARRAY_CSV_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Dataset:
    """Rows of floats under the column ``names``."""

    names: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]

    def __repr__(self) -> str:
        return f"Dataset({', '.join(self.names)}; {len(self)} rows)"

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> tuple[float, ...]:
        i = self.names.index(name)
        return tuple(row[i] for row in self.rows)

    @property
    def columns(self) -> tuple[tuple[float, ...], ...]:
        """One sequence of floats per column, in the order of ``names``."""
        return tuple(zip(*self.rows)) if self.rows else tuple(() for _ in self.names)

    def row(self, i: int) -> dict[str, float]:
        return dict(zip(self.names, self.rows[i]))

    def select(self, names: Sequence[str]) -> "Dataset":
        """The same rows with only ``names``, in that order."""
        idx = [self.names.index(n) for n in names]
        return Dataset(tuple(names), tuple(tuple(r[i] for i in idx) for r in self.rows))


def seed_dataset() -> Dataset:
    names, rows = SEED_DATA
    return Dataset(names, rows)


def from_rows(names: Sequence[str], rows: Sequence[Sequence[float]]) -> Dataset:
    """Build a dataset from Python values, checking every cell."""
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise DataError("data: the columns must be a list of names, such as [\"x\", \"y\"]")
    names = tuple(names)
    _check_header(names, "data")
    out = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, (list, tuple)):
            raise DataError(f"data row {i} is not a list of values; rows are lists, such as [[1, 2], [2, 4]]")
        if len(row) != len(names):
            raise DataError(f"data row {i} has {len(row)} values but there are {len(names)} columns")
        out.append(tuple(_number(v, f"data row {i}, column {n}") for v, n in zip(row, names)))
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


def csv_lines(source, where: str) -> Iterator[list[str]]:
    """The rows of a CSV text stream; the csv module's complaints (a cell over its 128 KiB
    limit, a NUL byte) become errors naming the line, never the text."""
    reader = csv.reader(source)
    try:
        yield from reader
    except csv.Error as err:
        reason = "a cell is too long to be a number" if "field limit" in str(err) else "it cannot be read as CSV"
        raise DataError(f"{where}, line {reader.line_num}: {reason}") from None


def csv_header(cells: Sequence[str], where: str) -> tuple[str, ...]:
    """The checked column names of a CSV header row."""
    header = tuple(cell.strip() for cell in cells)
    if len(header) == 1 and any(sep in header[0] for sep in ";\t| "):
        raise DataError(f"{where}: the header (row 1) is not comma-separated; separate columns with ','")
    _check_header(header, where)
    return header


def csv_row(cells: Sequence[str], lineno: int, header: Sequence[str], where: str) -> tuple[float, ...]:
    """The numbers of one CSV row (``lineno`` counts the header as row 1, as a spreadsheet does)."""
    if len(cells) != len(header):
        raise DataError(f"{where}, row {lineno}: {len(cells)} cells but the header has {len(header)} ({','.join(header)})")
    return tuple(_number(cell, f"{where}, row {lineno}, column {name}") for cell, name in zip(cells, header))


def check_header(header: Sequence[str], where: str) -> None:
    """Column names must be valid, distinct names."""
    _check_header(header, where)


def _has_numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def _check_header(header: Sequence[str], where: str) -> None:
    from .parse import NAME_RE

    # A name that is not valid is never repeated: the message names its place, not the file's text.
    seen = set()
    for number, name in enumerate(header, start=1):
        if not name:
            raise DataError(f"{where}: column {number} has an empty name in the header")
        if not NAME_RE.fullmatch(name) or len(name) > 64:
            raise DataError(f"{where}: the name of column {number} in the header is not a valid name "
                            "(letters, digits, _; up to 64 characters)")
        if name in seen:
            raise DataError(f"{where}: column '{name}' appears twice in the header")
        seen.add(name)


_FLOAT_MAX = 1.7976931348623157e308


def _number(cell, where: str) -> float:
    """A cell as a finite float; a message names the cell's place, never its text."""
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            raise DataError(f"{where} is empty; every cell needs a number")
        try:
            value = float(text)
        except ValueError:
            raise DataError(f"{where} is not a number") from None
    elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
        value = float(cell) if abs(cell) <= _FLOAT_MAX else math.inf  # float() of a huge int raises
    else:
        raise DataError(f"{where} is not a number but a {type(cell).__name__}")
    if not math.isfinite(value):
        overflow = any(ch.isdigit() for ch in str(cell))  # digits that overflowed, not 'inf' or 'nan'
        raise DataError(f"{where} is " + ("too large to be a number" if overflow else
                                          "not a finite number (NaN or infinity)"))
    return value
