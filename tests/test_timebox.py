"""The bound on symbolic work: time, memory, errors inside, nesting."""

from __future__ import annotations

import sys
import time

import sympy

from symback.timebox import within


def _forever():
    while True:
        pass


def _grow():
    chunks = []
    while True:
        chunks.append(bytearray(2**20))  # touched, so resident


def test_work_within_the_bound_gives_its_result():
    assert within(5, lambda: 6 * 7, None) == 42


def test_work_past_the_time_gives_the_fallback():
    assert within(0.1, _forever, "late") == "late"


def test_work_past_the_memory_gives_the_fallback():
    assert within(60, _grow, "big", memory=32 * 2**20) == "big"


def test_memory_error_inside_gives_the_fallback():
    def fail():
        raise MemoryError

    assert within(5, fail, "none") == "none"


def test_recursion_error_inside_gives_the_fallback():
    def deep(n):
        return deep(n + 1)

    assert within(5, lambda: deep(0), "deep") == "deep"


def test_other_errors_pass_through():
    def fail():
        raise ValueError("mine")

    try:
        within(5, fail, None)
    except ValueError as err:
        assert str(err) == "mine"
    else:
        raise AssertionError("the error was swallowed")


def test_a_step_inside_a_step_runs_under_the_outer_bound():
    assert within(0.2, lambda: within(60, _forever, "inner") and "outer", "outer late") == "outer late"


def test_the_expand_that_took_gigabytes_is_abandoned():
    x = sympy.Symbol("x")
    assert within(0.5, lambda: sympy.expand(((x - 2)**20 + 1)**20), None) is None


def _spin(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass


class _SlowFinalizer:
    def __del__(self):
        _spin(0.03)


def test_a_tick_inside_a_finalizer_is_not_reported(monkeypatch):
    # where Python cannot raise (a __del__), the clock's exception is "ignored"; that is not news
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    def work():
        while True:
            _SlowFinalizer()  # dropped at once: its __del__ runs here
            _spin(0.03)

    assert within(0.3, work, "fallback") == "fallback"
    assert reported == [] and sys.unraisablehook == reported.append
