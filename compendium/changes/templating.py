"""The Jinja environment of the change reports and release pages (``templates/diff/``),
with the ``md`` filter that makes text safe inside Markdown.

Shared by the reports (:mod:`compendium.changes.report`), the release notes
(:mod:`compendium.changes.releases`), the revision history
(:mod:`compendium.changes.history`) and the drift report
(:mod:`compendium.changes.drift`).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import jinja2

from compendium import TEMPLATES
from compendium.source.yamlsrc import LINE_BREAK_RE

DEFAULT_TEMPLATES = TEMPLATES

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def md_escape(text: Any) -> str:
    """Text safe inside Markdown (and the HTML GitHub allows in it), on one line (a line
    break would end a heading, a table row or a list item)."""
    out = _MD_SPECIAL.sub(r"\\\1", html.escape(LINE_BREAK_RE.sub(" ", str(text)), quote=False))
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", out)  # "1. " at a line start is not a list


def environment(templates: Path = DEFAULT_TEMPLATES) -> jinja2.Environment:
    """The Jinja environment of the change reports in ``templates/diff`` (built once per
    folder; Jinja reloads a template whose file changed)."""
    return _environment(str(Path(templates) / "diff"))


@functools.lru_cache(maxsize=8)
def _environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_escape
    return env
