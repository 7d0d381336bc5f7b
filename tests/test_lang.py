"""The wording catalogues agree with each other."""

import string

import pytest

from symback.lang import languages, wording


def _fields(template: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_english_and_chinese_exist():
    assert {"en", "zh"} <= set(languages())


@pytest.mark.parametrize("code", [c for c in languages() if c != "en"])
def test_every_language_has_the_same_keys(code):
    assert set(wording(code).keys()) == set(wording("en").keys())


@pytest.mark.parametrize("code", [c for c in languages() if c != "en"])
def test_every_language_has_the_same_placeholders(code):
    en, other = wording("en"), wording(code)
    for key in en.keys():
        assert _fields(en.table[key]) == _fields(other.table[key]), key


def test_unknown_language_is_an_error():
    from symback.errors import SpecError

    with pytest.raises(SpecError):
        wording("xx")


def test_every_command_offers_every_catalogue():
    from symback.cli import cli

    offered = {name: [p.type.choices for p in c.params if p.name == "lang"] for name, c in cli.commands.items()}
    assert {name: list(choices[0]) for name, choices in offered.items() if choices} == {
        name: list(languages()) for name in ("explain", "train", "check", "notes", "export")}
