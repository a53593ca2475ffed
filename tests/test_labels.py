"""The interface-word catalogues: same keys and placeholders in every language."""

from __future__ import annotations

import string

import pytest

from compendium import LANGUAGES
from compendium.labels import LabelError, catalogue, kind_name, label, section


def _flatten(data: object, prefix: str = "") -> dict[str, str]:
    if isinstance(data, dict):
        out: dict[str, str] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    assert isinstance(data, str), f"{prefix[:-1]}: expected text, found {type(data).__name__}"
    return {prefix[:-1]: data}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_the_same_keys_and_placeholders():
    flat = {lang: _flatten(catalogue(lang)) for lang in LANGUAGES}
    first, *others = LANGUAGES
    assert len(flat[first]) > 100
    for lang in others:
        assert sorted(flat[lang]) == sorted(flat[first]), lang
        for key, text in flat[first].items():
            assert _placeholders(flat[lang][key]) == _placeholders(text), (lang, key)


def test_label_fills_placeholders():
    assert label("zh-Hant", "changes.release_n", version="2026.2") == "2026.2 版"
    assert label("en", "changes.release_n", version="2026.2") == "Release 2026.2"
    assert label("en", "interface.roles") == "Roles and Duties"
    assert section("zh-Hant", "interface")["quote_open"] == "《"
    assert kind_name("en", "article", "moved") == "Moved"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: label("en", "changes.no_such_word"),
            "en.yml: no label 'no_such_word' in section 'changes'",
        ),
        (lambda: label("en", "nosection.x"), "en.yml: no section 'nosection'"),
        (lambda: label("en", "roles"), "label key 'roles' has no section"),
        (lambda: label("fr", "interface.roles"), "unknown language 'fr'"),
        (lambda: kind_name("en", "article", "exploded"), "no change kind 'exploded' for 'article'"),
    ],
)
def test_unknown_keys_are_named(call, message):
    with pytest.raises(LabelError) as err:
        call()
    assert message in str(err.value)


def test_format_date_writes_each_language_its_own_way() -> None:
    import datetime as dt

    from compendium.labels import format_date

    assert format_date(dt.date(2026, 3, 5), "zh-Hant") == "2026年3月5日"
    assert format_date(dt.datetime(2026, 12, 31, 23, 59), "en") == "31 December 2026"
    assert format_date(None, "en") == ""
    with pytest.raises(LabelError, match="unknown language 'fr'"):
        format_date(dt.date(2026, 1, 1), "fr")
