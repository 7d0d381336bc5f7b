"""A table of floats with named columns, and the checks every cell and header pass.

A :class:`Dataset` holds Python rows; :class:`~symback.model.arrays.ArrayDataset`
holds NumPy columns with the same interface. Both readers (the standard
library's CSV reader in :mod:`symback.model.data`, NumPy's in
:mod:`symback.model.arrays`) check cells here, so a bad cell gets the same
one-line message whichever reads it.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from typing import Iterator, Sequence

from ..errors import DataError


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
    check_header(header, where)
    return header


def csv_row(cells: Sequence[str], lineno: int, header: Sequence[str], where: str) -> tuple[float, ...]:
    """The numbers of one CSV row (``lineno`` counts the header as row 1, as a spreadsheet does)."""
    if len(cells) != len(header):
        raise DataError(f"{where}, row {lineno}: {len(cells)} cells but the header has {len(header)} ({','.join(header)})")
    return tuple(number_cell(cell, f"{where}, row {lineno}, column {name}") for cell, name in zip(cells, header))


def check_header(header: Sequence[str], where: str) -> None:
    """Column names must be valid, distinct names."""
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


def number_cell(cell, where: str) -> float:
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
