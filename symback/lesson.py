"""Lesson files: the problem options kept in TOML.

    title = "Study hours and points"
    model = "w*x"
    loss = "mse"
    lr = 0.01
    [params]
    w = 1.0
    [data]            # or: data = "points.csv" (relative to this file)
    columns = ["x", "y"]
    rows = [[1, 2], [2, 4], [3, 6]]

    [zh]              # the teacher's words in Chinese, for --lang zh
    title = "学习时间与分数"

Any command-line option given as well overrides the file. Read with the
standard library (``tomllib``; ``tomli`` on Python 3.10).
"""

from __future__ import annotations

import os
import sys

from .errors import SpecError

#: keys a lesson file may hold, with the type each must have
KEYS = {
    "title": str, "description": str, "model": str, "loss": str, "params": dict, "data": (str, dict),
    "lr": (int, float), "sample": dict, "mode": str, "epochs": int, "batch_size": int, "seed": int,
    "predict": dict, "dtype": str, "question": str, "zh": dict,
}
#: the teacher's own words, which a [zh] table may give in Chinese too
TEXTS = ("title", "description", "question")


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def load_lesson(path: str) -> dict:
    """The validated contents of a lesson file; a data path is made absolute."""
    toml = _toml()
    try:
        with open(path, "rb") as handle:
            content = toml.load(handle)
    except OSError as err:
        raise SpecError(f"cannot read {path}: {err.strerror or err}") from None
    except toml.TOMLDecodeError as err:
        raise SpecError(f"{path} is not valid TOML: {err}") from None
    for key, value in content.items():
        if key not in KEYS:
            raise SpecError(f"{path}: unknown key '{key}'; a lesson may set {', '.join(sorted(KEYS))}")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            raise SpecError(f"{path}: '{key}' has the wrong type ({type(value).__name__})")
    _check_translations(path, content.get("zh", {}))
    data = content.get("data")
    if isinstance(data, str):
        content["data"] = os.path.join(os.path.dirname(os.path.abspath(path)), data)
    elif isinstance(data, dict):
        if set(data) != {"columns", "rows"}:
            raise SpecError(f"{path}: [data] needs exactly 'columns' and 'rows'")
        content["data"] = (data["columns"], data["rows"])
    return content


def _check_translations(path: str, table: dict) -> None:
    for key, value in table.items():
        if key not in TEXTS:
            raise SpecError(f"{path}: [zh] may set {', '.join(TEXTS)}, not '{key}'")
        if not isinstance(value, str):
            raise SpecError(f"{path}: '{key}' in [zh] has the wrong type ({type(value).__name__})")


def lesson_texts(content: dict, lang: str = "en") -> dict:
    """The title, description and question in ``lang``: the [zh] table's for Chinese where it
    gives them, else the words as written."""
    chosen = content.get("zh", {}) if lang == "zh" else {}
    return {k: chosen.get(k, content.get(k)) for k in TEXTS if chosen.get(k, content.get(k))}
