"""The wording catalogue: every sentence symback prints, in every language.

One JSON file per language (``en.json``, ``zh.json``) holds nested sections
("explain", "train", "check", "notes"); a key is its dotted path, such as
``"explain.forward"``. Adding a language means adding one file; no code.
Values are ``str.format`` templates. The names of the functions' rules
(``explain.rule.tanh``) come from the operation table, :mod:`symback.model.ops`,
where each function is described in one place (English where it names no other).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from ..errors import SpecError

HERE = os.path.dirname(__file__)


def languages() -> tuple[str, ...]:
    """The language codes there is a catalogue for."""
    return tuple(sorted(f[:-5] for f in os.listdir(HERE) if f.endswith(".json")))


@lru_cache(maxsize=None)
def _load(code: str) -> dict[str, str]:
    path = os.path.join(HERE, code + ".json")
    if code not in languages():
        raise SpecError(f"no wording for language '{code}'; available: {', '.join(languages())}")
    with open(path, encoding="utf-8") as handle:
        table = _flatten(json.load(handle))
    from ..model.ops import FUNCTION_OPS  # here, not at the top: the CLI's --help loads no SymPy

    for op in FUNCTION_OPS:
        table.setdefault("explain.rule." + op.key, op.rule_name.get(code) or op.rule_name["en"])
    return table


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = prefix + key
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


class Wording:
    """``words("explain.forward")`` -> the sentence in this language."""

    def __init__(self, code: str = "en"):
        self.code = code
        self.table = _load(code)

    def __call__(self, key: str, **values) -> str:
        try:
            template = self.table[key]
        except KeyError:
            raise KeyError(f"no wording '{key}' in {self.code}.json") from None
        return template.format(**values) if values else template

    def keys(self):
        return self.table.keys()


def wording(code: str = "en") -> Wording:
    return Wording(code)
