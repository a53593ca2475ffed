"""The one Jinja environment of every output: site fragments, print, change reports.

``environment(templates, *folders, lang=)`` loads ``templates/<folder>`` for each
folder, in order. Every environment escapes what ``.html`` templates print (``.md``
ones use ``md``), drops bidirectional controls, refuses an undefined name, and has
the same filters: ``date`` (``d | date``, or ``d | date(lang)``), ``css_string``
``md`` (:func:`compendium.mdescape.md_escape`) and ``heading_tail``: what follows a
number in a heading, ``{{ caption | heading_tail(style, lang) }}``
(:mod:`compendium.numbering.citation`).
Built once per folders and language; Jinja reloads a template whose file changed.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import jinja2

from compendium import DEFAULT_LANGUAGE, TEMPLATES
from compendium.labels import format_date
from compendium.mdescape import md_escape
from compendium.numbering.citation import heading_tail
from compendium.source.htmlpolicy import drop_bidi


def environment(
    templates: Path = TEMPLATES, *folders: str, lang: str = DEFAULT_LANGUAGE
) -> jinja2.Environment:
    """The environment of ``templates/<folder>`` for each of ``folders``, in ``lang``."""
    return _environment(tuple(str(Path(templates) / f) for f in folders), lang)


@functools.lru_cache(maxsize=16)
def _environment(folders: tuple[str, ...], lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(folders)),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=drop_bidi,
    )

    def date(value: dt.date | dt.datetime | None, in_lang: str = lang) -> str:
        return format_date(value, in_lang)

    env.filters["date"] = date
    env.filters["css_string"] = css_string
    env.filters["md"] = md_escape
    env.filters["heading_tail"] = heading_tail  # markup (caption runs) stays markup
    return env


def css_string(value: str) -> str:
    """``value`` as a CSS string literal; ``<`` and ``&`` as CSS escapes, so it is safe
    inside an HTML ``<style>`` element too (``| css_string | safe``)."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + text.replace("<", "\\3c ").replace("&", "\\26 ") + '"'
