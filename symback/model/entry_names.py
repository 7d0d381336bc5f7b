"""The scalar name of one entry of a vector or matrix: ``W1__0_1`` is ``W1[0, 1]``.

The entry-by-entry derivation (``--entries``) gives each entry a symbol of its own. Its name is
an identifier (so the JSON claims stay SymPy syntax), with the indices after a double underscore
so that the printers can show it as the entry it is: W₁[0,1], ŷ[0], x[1] (not W₁ ₀ ₁, whose
digits run into the name's own).
"""

from __future__ import annotations

import re

_ENTRY = re.compile(r"([A-Za-z][A-Za-z0-9_]*?)__(\d+(?:_\d+)*)\Z")


def entry_name(name: str, index: tuple) -> str:
    """W1__0_1 for W1[0, 1]; a scalar (no index) keeps its name."""
    return "__".join([name, "_".join(map(str, index))]) if index else name


def split_entry(name: str) -> tuple[str, tuple[str, ...]] | None:
    """("W1", ("0", "1")) for W1__0_1; None for a name that is not an entry's."""
    match = _ENTRY.match(name)
    return (match.group(1), tuple(match.group(2).split("_"))) if match else None
