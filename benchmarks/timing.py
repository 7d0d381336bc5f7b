"""What every benchmark here needs: the best of several wall times, and optional imports."""

from __future__ import annotations

import time


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
