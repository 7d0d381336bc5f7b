"""Vector inputs from data columns: ``--input x=x1,x2`` gathers the columns x1, x2 into one input x.

A model ``W @ x + b`` reads a vector per sample. A CSV file holds one number
per cell, so its columns x1, x2, … are gathered into x (the cell of sample i
is the tuple (x1_i, x2_i, …); NumPy columns become one (n, d) array). A
``.npz`` file can hold x as an (n, d) array already and needs no gathering.
"""

from __future__ import annotations

import os
import re
from typing import Mapping, Sequence

from ..errors import DataError, option
from .table import Dataset

#: the most components one --input may gather
MAX_GATHERED = 10_000


def parse_input(text: str) -> tuple[str, tuple[str, ...]]:
    """``"x=x1,x2,x3"`` or ``"x=x1..x3"`` -> ("x", ("x1", "x2", "x3")): columns gathered into a vector input.

    ``a..b`` names a numbered run of columns with the same prefix (``x1..x64``).
    """
    from .parse import NAME_RE

    name, sep, body = str(text).partition("=")
    name = name.strip()
    if not sep or not NAME_RE.fullmatch(name):
        raise DataError(f"{option('inputs')} needs NAME=COLUMN,COLUMN,... (such as x=x1,x2) or NAME=FIRST..LAST (such as x=x1..x8)")
    if ".." in body:
        columns = _column_range(body)
    else:
        columns = tuple(c.strip() for c in body.split(","))
    bad = next((c for c in columns if not NAME_RE.fullmatch(c)), None)
    if bad is not None or not columns:
        raise DataError(f"{option('inputs')} {name}=...: each column must be a name such as x1; separate them with ','")
    if len(set(columns)) != len(columns):
        raise DataError(f"{option('inputs')} {name}=...: a column is named twice")
    return name, columns


def _column_range(body: str) -> tuple[str, ...]:
    first, _, last = (part.strip() for part in body.partition(".."))
    a, b = re.fullmatch(r"([A-Za-z_][A-Za-z_0-9]*?)(\d+)", first), re.fullmatch(r"([A-Za-z_][A-Za-z_0-9]*?)(\d+)", last)
    if not (a and b and a.group(1) == b.group(1) and int(a.group(2)) <= int(b.group(2))):
        raise DataError(f"{option('inputs')} NAME=FIRST..LAST needs two numbered columns with the same prefix, the first "
                        "not after the last (such as x=x1..x8)")
    start, stop = int(a.group(2)), int(b.group(2))
    if stop - start >= MAX_GATHERED:
        raise DataError(f"{option('inputs')} gathers at most {MAX_GATHERED:,} columns")
    return tuple(f"{a.group(1)}{k}" for k in range(start, stop + 1))


def gather(dataset: Dataset, groups: Mapping[str, Sequence[str]]) -> Dataset:
    """The dataset with each group's columns gathered into one column of vectors named by the group.

    ``{"x": ("x1", "x2")}`` puts ``x = (x1, x2)`` in place of the column x1 and
    drops x2; other columns stay as they are. Columns held as NumPy arrays become
    one (n, d) array; rows of Python floats get a tuple per cell.
    """
    used: dict[str, str] = {}
    for name, columns in groups.items():
        missing = [c for c in columns if c not in dataset.names]
        if missing:
            raise DataError(f"{option('inputs')} {name}: the data have no column {', '.join(missing)} "
                            f"(columns: {', '.join(dataset.names)})")
        for c in columns:
            if c in used:
                raise DataError(f"column {c} is gathered into both {used[c]} and {name}")
            used[c] = name
        if name in dataset.names and name not in columns:
            raise DataError(f"{option('inputs')} {name}: the data already have a column {name}; choose another name")
    first = {columns[0]: name for name, columns in groups.items()}
    names = tuple(first.get(n, n) for n in dataset.names if n not in used or n in first)
    if hasattr(dataset, "arrays"):
        from .arrays import gather_arrays

        return gather_arrays(dataset, names, groups)
    index = {n: i for i, n in enumerate(dataset.names)}
    spots = [tuple(index[c] for c in groups[n]) if n in groups else index[n] for n in names]
    rows = tuple(tuple(tuple(row[i] for i in s) if isinstance(s, tuple) else row[s] for s in spots)
                 for row in dataset.rows)
    return Dataset(names, rows)


def load_gathered(data, groups: Mapping[str, Sequence[str]]) -> Dataset:
    """The data (a path, a Dataset or a pair (columns, rows)) with ``groups`` gathered (see :func:`gather`)."""
    if data is None:
        raise DataError(f"{option('inputs')} gathers columns of the data: give the data with {option('data')} FILE.csv")
    from .data import from_rows, read_data

    if isinstance(data, (str, os.PathLike)):
        data = read_data(os.fspath(data))
    elif not isinstance(data, Dataset):
        data = from_rows(*data)
    return gather(data, groups)
