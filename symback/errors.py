"""One error hierarchy for everything symback refuses to do.

Every error a user can cause derives from :class:`SymbackError`. Its message is
one line that names what is wrong and, where possible, what to write instead.
The command line prints that line and exits with ``exit_code`` (2 for bad input).
Anything else that escapes is a bug in symback, not in the user's input.

A message names a setting through :func:`option` (``option("lr")``), never by a
command-line flag: the library says ``lr``, and the command line, which
installs its own spelling with :func:`spelled`, says ``--lr``. An error may
also carry, as data, the setting at fault and the value given
(``SpecError(..., option="lr", value=-1.0)``).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Mapping

#: how the user names each setting (the library's name -> the user's word), while a command runs
_SPELLING: ContextVar[Mapping[str, str]] = ContextVar("symback_spelling", default={})


def option(name: str) -> str:
    """The setting ``name`` (the library's keyword: lr, params, sample, …) as the user names it."""
    return _SPELLING.get().get(name, name)


@contextmanager
def spelled(names: Mapping[str, str]) -> Iterator[None]:
    """Inside this block, :func:`option` spells settings by ``names`` (the command line: its flags)."""
    token = _SPELLING.set(dict(names))
    try:
        yield
    finally:
        _SPELLING.reset(token)


class SymbackError(Exception):
    """Base of all errors symback reports to users (exit code 2: bad input).

    ``option`` is the setting at fault, by its library name, and ``value`` what was given, when one is.
    """

    exit_code = 2

    def __init__(self, message: str, option: str | None = None, value=None):
        # One line, always: the CLI prints it as is.
        super().__init__(" ".join(str(message).split()))
        self.option, self.value = option, value

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
