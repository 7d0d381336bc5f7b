"""Bound the time of expensive symbolic work (simplify), with a fallback.

SymPy's simplify can run for minutes on an innocent-looking expression. The
bound uses SIGALRM, which exists only on Unix and only in the main thread;
elsewhere the expensive step is skipped and the fallback used at once, so a
bound is never silently missing.
"""

from __future__ import annotations

import signal
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


class _Expired(Exception):
    pass


def _raise(signum, frame):
    raise _Expired()


def within(seconds: float, work: Callable[[], T], fallback: T) -> T:
    """``work()`` if it finishes within ``seconds``, else ``fallback``."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return fallback
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    except (_Expired, RecursionError):
        return fallback
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
