"""Interface words per language, for every output (site, PDFs, diff reports).

The words are data: one catalogue per language, ``zh-Hant.yml`` and ``en.yml`` beside
this file, read once with the project's safe YAML reader. Each catalogue maps a
section (``interface``, ``changes``, ``print``, ...) to its words; ``label`` takes
``"section.key"``. Both catalogues hold the same keys and the same ``{placeholders}``.

Dates are written the way each language writes them (``format_date``, with Babel's
locale data: 2026年3月5日 / 5 March 2026).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.dates import format_date as _babel_format_date

from compendium import LANGUAGES
from compendium.source.yamlsrc import YamlError, load_yaml

FOLDER = Path(__file__).resolve().parent
# Babel locale and date pattern of each language (zh-Hant: the long form 2026年3月5日).
DATE_FORMATS = {"zh-Hant": ("zh_Hant_TW", "long"), "en": ("en", "d MMMM y")}


class LabelError(KeyError):
    """An unknown language, section or key; the message says what exists."""

    def __str__(self) -> str:
        return str(self.args[0])


def catalogue_path(lang: str) -> Path:
    return FOLDER / f"{lang}.yml"


@functools.lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> Mapping[str, Any]:
    """The whole catalogue of ``lang``: section -> words (read once)."""
    if lang not in LANGUAGES:
        raise LabelError(f"unknown language '{lang}' (expected one of: {', '.join(LANGUAGES)})")
    path = catalogue_path(lang)
    try:
        data, _lines = load_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        raise ValueError(f"{path.name}:{exc.line}: {exc.message}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}:1: expected a mapping of sections to words")
    return data


def section(lang: str, name: str) -> dict[str, str]:
    """The words of one flat section (what templates read as ``t``)."""
    return _section(lang, name)  # type: ignore[no-any-return]


def _section(lang: str, name: str) -> Any:
    cat = catalogue(lang)
    if name not in cat:
        raise LabelError(
            f"{catalogue_path(lang).name}: no section '{name}' (expected one of: {', '.join(cat)})"
        )
    return cat[name]


def label(lang: str, key: str, **fmt: Any) -> str:
    """The words at ``"section.key"``, with ``{placeholders}`` filled from ``fmt``."""
    name, dot, rest = key.partition(".")
    if not dot:
        raise LabelError(f"label key '{key}' has no section (expected 'section.key')")
    words = section(lang, name)
    if rest not in words or not isinstance(words[rest], str):
        raise LabelError(f"{catalogue_path(lang).name}: no label '{rest}' in section '{name}'")
    text: str = words[rest]
    return text.format(**fmt) if fmt else text


def kind_name(lang: str, scope: str, kind: str) -> str:
    """The name of a change kind (``scope`` article, regulation, chapter, section, role)."""
    kinds = _section(lang, "change_kinds")
    try:
        name: str = kinds[scope][kind]
    except KeyError:
        raise LabelError(
            f"{catalogue_path(lang).name}: no change kind '{kind}' for '{scope}'"
        ) from None
    return name


def format_date(date: dt.date | dt.datetime | None, lang: str) -> str:
    """``date`` as ``lang`` writes it in running text; "" for no date."""
    if date is None:
        return ""
    if isinstance(date, dt.datetime):
        date = date.date()
    if lang not in DATE_FORMATS:
        raise LabelError(f"unknown language '{lang}' (expected one of: {', '.join(LANGUAGES)})")
    locale, pattern = DATE_FORMATS[lang]
    return str(_babel_format_date(date, pattern, locale=locale))
