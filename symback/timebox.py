"""Bound the time and memory of expensive symbolic work, with a fallback.

SymPy's simplify can run for minutes on an innocent-looking expression, and
expand of a 22-character power of a sum, ``((x-2)**20+1)**20``, asks for
gigabytes. Every such step runs through :func:`within`: a clock ticks every
``TICK`` seconds while the step runs, and the step is abandoned (its fallback
used, SymPy's cache emptied) as soon as it has used ``seconds`` of processor
time (not wall time: a busy machine does not change the result) or the process
has grown by more than ``memory`` bytes since it started. A ``MemoryError`` or
``RecursionError`` inside the step ends it the same way.

The clock is SIGALRM, which exists only on Unix and only in the main thread;
elsewhere the expensive step is skipped and the fallback used at once, so a
bound is never silently missing. A step inside another step runs under the
outer one's bound (one clock at a time).
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import sys
import threading
import time
from typing import Callable, TypeVar

T = TypeVar("T")

#: how much one bounded step may grow the process, in bytes
STEP_MEMORY = 256 * 2**20
#: how often the clock and the memory are looked at, in seconds
TICK = 0.02

_active = threading.local()


class _Expired(BaseException):
    """Raised by the clock inside the step; a BaseException, so SymPy's ``except Exception`` cannot swallow it."""


def resident() -> int:
    """The process's resident memory in bytes (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def within(seconds: float, work: Callable[[], T], fallback: T, memory: int = STEP_MEMORY) -> T:
    """``work()`` if it finishes within ``seconds`` and ``memory`` more bytes, else ``fallback``."""
    if getattr(_active, "on", False):
        return _guarded(work, fallback)  # the outer step's clock is running
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return fallback
    start, base, live = time.process_time(), resident(), [True]

    def tick(signum, frame):
        if live[0] and (time.process_time() - start > seconds or resident() - base > memory):
            raise _Expired()

    previous = signal.signal(signal.SIGALRM, tick)
    hook = sys.unraisablehook
    sys.unraisablehook = _quiet(hook)
    _active.on = True
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
            return work()
        finally:
            live[0] = False  # a tick still on its way does nothing now
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.unraisablehook = hook
            _active.on = False
    except (_Expired, RecursionError, MemoryError):
        _release()
        return fallback


def _quiet(hook):
    """``hook`` that says nothing of the clock's own exception.

    A tick may land inside a finalizer (a ``__del__``, a weakref callback), where
    Python cannot raise and reports the exception as "ignored" instead; the next
    tick ends the step all the same, so there is nothing to report.
    """
    def quiet(unraisable):
        if not isinstance(unraisable.exc_value, _Expired):
            hook(unraisable)

    return quiet


def _guarded(work: Callable[[], T], fallback: T) -> T:
    try:
        return work()
    except (RecursionError, MemoryError):
        _release()
        return fallback


def _release() -> None:
    """Drop what an abandoned step left in SymPy's cache, so the next one starts lean."""
    from sympy.core.cache import clear_cache

    clear_cache()
    gc.collect()
