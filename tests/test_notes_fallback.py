"""When a bounded symbolic step of the notes falls back, the notes say so in a sentence."""

import sympy

from symback.lang import wording
from symback.notes import convergence as conv
from symback.notes.lesson import build_lesson
from symback.notes.stability import stability_section
from symback.model.parse import symbol
from symback.render.document import Para, Text

WORDS = wording("en")


def _out_of_time(seconds, work, fallback, memory=None):
    return fallback  # what timebox.within gives when the step runs out of time or memory


def _prose(section) -> str:
    return " ".join(i.text for b in section.blocks if isinstance(b, Para) for i in b.items if isinstance(i, Text))


def _opening(key) -> str:
    return WORDS(key).split("{")[0]


def test_a_map_expanded_in_time_has_no_fallback_sentence():
    lesson = build_lesson()
    assert lesson.convergence.expanded and lesson.convergence.solved
    assert _opening("notes.conv_unexpanded") not in _prose(stability_section(lesson, WORDS))


def test_a_map_sympy_cannot_expand_in_time_is_said_so(monkeypatch):
    monkeypatch.setattr(conv, "within", _out_of_time)
    lesson = build_lesson()
    c = lesson.convergence
    assert not c.expanded
    x, w, y, eta = (symbol(n) for n in ("x", "w", "y", "eta"))
    assert sympy.expand(c.affine_map - ((1 - 2 * eta * x**2) * w + 2 * eta * x * y)) == 0  # the same map, unexpanded
    assert _opening("notes.conv_unexpanded") in _prose(stability_section(lesson, WORDS))


def test_an_inequality_sympy_cannot_solve_in_time_is_said_so(monkeypatch):
    monkeypatch.setattr(conv, "within", _out_of_time)
    lesson = build_lesson()
    assert not lesson.convergence.solved and lesson.convergence.bound is None
    prose = _prose(stability_section(lesson, WORDS))
    assert "could not solve this inequality" in prose
    assert "SymPy solves this inequality" not in prose
