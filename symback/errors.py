"""One error hierarchy for everything symback refuses to do.

Every error a user can cause derives from :class:`SymbackError`. Its message is
one line that names what is wrong and, where possible, what to write instead.
The command line prints that line and exits with ``exit_code`` (2 for bad input).
Anything else that escapes is a bug in symback, not in the user's input.
"""

from __future__ import annotations


class SymbackError(Exception):
    """Base of all errors symback reports to users (exit code 2: bad input)."""

    exit_code = 2

    def __init__(self, message: str):
        # One line, always: the CLI prints it as is.
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return self.args[0]


class ParseError(SymbackError):
    """An expression (model, loss, answer) is not in symback's language."""


class LimitError(ParseError):
    """An expression is too long, too deep or has too large a number."""


class SpecError(SymbackError):
    """The problem is inconsistent: parameters, inputs, data or options."""


class DataError(SpecError):
    """A data file cannot be read or does not fit the model."""


class MathError(SymbackError):
    """The problem is well formed but its value is undefined (log 0, overflow)."""


class TrainingDiverged(SymbackError):
    """Training produced a non-finite or exploding loss; history is kept.

    Not bad input, so the exit code is 3, not 2.
    """

    exit_code = 3

    def __init__(self, message: str, history=None):
        super().__init__(message)
        self.history = history


class MissingExtra(SymbackError):
    """An optional dependency (matplotlib, numpy, TeX, …) is not installed."""


def install_hint(extra: str) -> str:
    """How to install an extra, from PyPI and from a checkout (where only the second works)."""
    return f"pip install 'symback[{extra}]' (in a checkout of symback: pip install -e '.[{extra}]')"
