"""What every benchmark here needs: the best of several wall times, and optional imports."""

from __future__ import annotations

import time
import tracemalloc


def best_time(f, repeats: int = 5) -> float:
    """The least of ``repeats`` wall times of f(): the run least disturbed by other work."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def has(module: str) -> bool:
    """Is ``module`` importable (torch, numba: measured only when installed)?"""
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def peak_extra(f) -> int:
    """Bytes allocated at the peak of f() beyond what was allocated before it (NumPy reports to tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - before
