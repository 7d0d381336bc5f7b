"""Golden outputs of the seed lesson, in every format and both languages.

Regenerate after an intended change with ``SYMBACK_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and read the diff before committing it.
"""

import os
import pathlib

import pytest

from symback.core.batch import explain_batch
from symback.core.derive import explain
from symback.render import render
from symback.model.spec import problem

GOLDEN = pathlib.Path(__file__).parent / "golden"
SUFFIX = {"text": "txt", "latex": "tex", "markdown": "md", "json": "json"}
CASES = [(mode, fmt, lang) for mode in ("sample", "batch") for fmt in SUFFIX for lang in ("en", "zh")
         if not (fmt == "json" and lang == "zh")]


def _render(mode, fmt, lang):
    p = problem()
    d = explain(p) if mode == "sample" else explain_batch(p)
    return render(d, fmt, lang=lang)


@pytest.mark.parametrize("mode,fmt,lang", CASES, ids=["-".join(c) for c in CASES])
def test_seed_output_matches_golden(mode, fmt, lang):
    path = GOLDEN / f"seed-{mode}.{lang}.{SUFFIX[fmt]}"
    text = _render(mode, fmt, lang)
    if os.environ.get("SYMBACK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_does_not_depend_on_language():
    d = explain(problem())
    assert render(d, "json", lang="zh") == render(d, "json", lang="en")


def test_chinese_text_has_no_english_headings():
    text = _render("sample", "text", "zh")
    for english in ("Forward pass", "Backward pass", "Local derivatives", "Closed form", "update", "Problem"):
        assert english not in text
    for chinese in ("前向传播", "局部导数", "反向传播", "闭式解", "梯度下降更新", "幂法则", "差法则", "常数倍法则"):
        assert chinese in text
