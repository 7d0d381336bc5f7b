"""How a float is written where no SymPy printer writes it: for people, and in JSON.

``number(2.0)`` is "2", ``number(-0.5)`` is "−0.5": the shortest text that reads back as the
value (whole numbers without ".0", rounded inside ``significant_digits``), with a true minus
sign, as the text and Unicode printers write numbers. ``json_number`` keeps every digit and
writes what JSON cannot hold (inf, nan) as null.
"""

from __future__ import annotations

import math

from ..core.numeric import format_float


def number(value: float) -> str:
    """A float as the text formats print it: 1.02, −2, 1.5e-07 with a true minus."""
    return format_float(value).replace("-", "−")


def json_number(value):
    """A JSON-safe number: the float (each entry of a vector or matrix given as nested lists),
    or None when it is missing or not finite."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [json_number(v) for v in value]
    value = float(value)
    return value if math.isfinite(value) else None
