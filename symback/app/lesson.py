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

import math
import os
import re
import sys
import unicodedata

from ..errors import SpecError

#: keys a lesson file may hold, with the type each must have
KEYS = {
    "title": str, "description": str, "model": str, "loss": str, "params": dict, "data": (str, dict),
    "lr": (int, float), "sample": dict, "mode": str, "epochs": int, "batch_size": int, "seed": int,
    "predict": dict, "dtype": str, "question": str, "exercises": int, "zh": dict, "inputs": dict,
}
#: the teacher's own words, which a [zh] table may give in Chinese too
TEXTS = ("title", "description", "question")


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def pick(value, lesson: dict, key: str, default):
    """The option given on the command line, else the lesson file's ``key``, else ``default``."""
    return value if value is not None else lesson.get(key, default)


def training_mode(mode: str) -> str:
    """A lesson's mode is shared with explain, whose "sample" means one sample at a time (sgd)."""
    return "sgd" if mode == "sample" else mode


def lesson_settings(problem, lesson: dict, epochs=None, mode=None, batch_size=None, seed=None, dtype=None):
    """How notes and export train: each option given, else the lesson file's, else the default."""
    from ..train.run import settings

    return settings(problem, epochs=pick(epochs, lesson, "epochs", 100),
                    mode=training_mode(mode or lesson.get("mode", "sgd")),
                    batch_size=pick(batch_size, lesson, "batch_size", None), seed=pick(seed, lesson, "seed", 0),
                    dtype=pick(dtype, lesson, "dtype", "float64"))


def load_lesson(path: str, data_given: bool = False) -> dict:
    """The validated contents of a lesson file; a data path is made absolute.

    A ``data`` path is read relative to the lesson file and must stay inside its
    folder (a lesson cannot make symback read other files; ``--data`` on the
    command line can, and with ``data_given`` the lesson's data is left out).
    Errors name the file, line and column, never its text.
    """
    content = _parse(path)
    for key, value in content.items():
        if key not in KEYS:
            raise SpecError(f"{path}: unknown key {_key_name(key)}; a lesson may set {', '.join(sorted(KEYS))}")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            raise SpecError(f"{path}: '{key}' has the wrong type ({type(value).__name__})")
    _check_translations(path, content.get("zh", {}))
    for key in TEXTS:
        _check_words(path, key, content.get(key, ""))
        _check_words(path, f"[zh] {key}", content.get("zh", {}).get(key, ""))
    for table in ("predict", "sample"):
        if table in content:
            _check_numbers(path, table, content[table])
    if "inputs" in content:
        content["inputs"] = _input_groups(path, content["inputs"])
    if data_given:
        content.pop("data", None)
    data = content.get("data")
    if isinstance(data, str):
        content["data"] = data_path(path, data)
    elif isinstance(data, dict):
        if set(data) != {"columns", "rows"}:
            raise SpecError(f"{path}: [data] needs exactly 'columns' and 'rows'")
        content["data"] = (data["columns"], data["rows"])
    return content


def _input_groups(path: str, table: dict) -> dict:
    """[inputs] x = ["x1", "x2"] (or "x1..x8"): data columns gathered into a vector input, as --input does."""
    from ..errors import DataError
    from ..model.gather import parse_input

    groups = {}
    for name, columns in table.items():
        if isinstance(columns, list) and all(isinstance(c, str) for c in columns):
            columns = ",".join(columns)
        if not isinstance(columns, str):
            raise SpecError(f"{path}: [inputs] {_key_name(name)} must be a list of column names or 'FIRST..LAST'")
        try:
            key, gathered = parse_input(f"{name}={columns}")
        except DataError as err:
            raise SpecError(f"{path}: [inputs] {err}") from None
        groups[key] = gathered
    return groups


def _check_translations(path: str, table: dict) -> None:
    for key, value in table.items():
        if key not in TEXTS:
            raise SpecError(f"{path}: [zh] may set {', '.join(TEXTS)}, not {_key_name(key)}")
        if not isinstance(value, str):
            raise SpecError(f"{path}: '{key}' in [zh] has the wrong type ({type(value).__name__})")


def lesson_texts(content: dict, lang: str = "en") -> dict:
    """The title, description and question in ``lang``: the [zh] table's for Chinese where it
    gives them, else the words as written."""
    chosen = content.get("zh", {}) if lang == "zh" else {}
    return {k: chosen.get(k, content.get(k)) for k in TEXTS if chosen.get(k, content.get(k))}


def _check_words(path: str, key: str, text: str) -> None:
    """A teacher's words hold no control characters (other than line breaks and tabs): they would
    break the PDF and mean nothing on a page."""
    for number, ch in enumerate(text, start=1):
        if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t":
            raise SpecError(f"{path}: '{key}' holds the control character U+{ord(ch):04X} (character {number}); "
                            "remove it")


def _entries(path: str, key: str, name: str, value: list):
    """A nested list's entries checked one by one; returns the first that is not a finite number
    (or 0.0), for the caller's message."""
    flat = [value]
    while any(isinstance(v, list) for v in flat):
        flat = [x for v in flat for x in (v if isinstance(v, list) else [v])]
    if not flat:
        raise SpecError(f"{path}: [{key}] {_key_name(name)} is an empty list")
    bad = [v for v in flat if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)]
    return bad[0] if bad else 0.0


def _check_numbers(path: str, key: str, table: dict) -> None:
    """[predict] and [sample] give each name a finite number, or a list of them (a vector or matrix);
    true, nan, inf and text are not values."""
    for name, value in table.items():
        if isinstance(value, list):  # a vector or matrix input of a matrix model
            value = _entries(path, key, name, value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError(f"{path}: [{key}] {_key_name(name)} must be a number, not a {type(value).__name__}")
        if not math.isfinite(value):
            raise SpecError(f"{path}: [{key}] {_key_name(name)} must be a finite number, not NaN or infinity")


def data_path(lesson: str, data: str) -> str:
    """The absolute path of a lesson's data file, which must lie inside the lesson's folder."""
    folder = os.path.dirname(os.path.abspath(lesson))
    if os.path.isabs(data) or ".." in data.replace("\\", "/").split("/") or "\0" in data:
        raise SpecError(f"{lesson}: data must be a file in the lesson's folder (no absolute path, no '..'); "
                        "give another file on the command line with --data")
    full = os.path.join(folder, data)
    real_folder = os.path.realpath(folder)
    if os.path.commonpath([real_folder, os.path.realpath(full)]) != real_folder:
        raise SpecError(f"{lesson}: data leads out of the lesson's folder (through a link); "
                        "give that file on the command line with --data")
    if os.path.exists(full) and not os.path.isfile(full):  # a pipe would wait for ever, a device never end
        raise SpecError(f"{lesson}: data must be a regular file; {data} is not one")
    return full


def _parse(path: str) -> dict:
    """The TOML table of ``path`` (UTF-8, a leading byte order mark allowed)."""
    from ..io import read_text

    toml = _toml()
    text = read_text(path, SpecError, "; a lesson file is TOML text")
    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as err:
        raise SpecError(f"{path} is not valid TOML: {_toml_reason(str(err))}") from None


#: tomllib messages that quote the file, and what to say instead (the file's text is never repeated)
_QUOTING = {"Found invalid character": "invalid character", "Illegal character": "invalid character",
            "Cannot declare": "a key or table is defined twice", "Cannot mutate": "a table is defined twice",
            "Cannot redefine": "a table is defined twice", "Duplicate inline table key": "a key appears twice"}


def _toml_reason(message: str) -> str:
    """tomllib's reason and position, without any of the file's text."""
    reason, _, where = message.partition(" (at ")
    for prefix, said in _QUOTING.items():
        if reason.startswith(prefix):
            reason = said
    if "'" in reason and not reason.startswith("Expected '"):
        reason = "syntax error"
    return f"{reason} ({where}" if where else reason


def _key_name(key: str) -> str:
    """A key as written when it looks like one, else a description (a key is the file's text)."""
    return f"'{key}'" if re.fullmatch(r"[a-z][a-z_]{0,19}", key) else "(not a name)"
