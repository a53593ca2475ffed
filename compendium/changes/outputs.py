"""File names of the change reports: the one place that names them.

``make diff``, the release pages of the site, the pull-request comment and
publishing all find a report by these names.
"""

from __future__ import annotations

OUTPUT_NAMES = {
    "html": "redline.{lang}.html",  # the redline, article by article
    "table": "table.{lang}.html",  # the comparison table
    "md": "summary.{lang}.md",  # the Markdown summary (the pull-request comment)
    "json": "diff.json",  # every change as data, both languages
}


def report_name(fmt: str, lang: str | None = None) -> str:
    """The file name of report ``fmt`` (``html``, ``table``, ``md``, ``json``) in ``lang``."""
    if fmt not in OUTPUT_NAMES:
        raise ValueError(
            f"unknown report format '{fmt}' (expected one of: {', '.join(OUTPUT_NAMES)})"
        )
    if "{lang}" in OUTPUT_NAMES[fmt] and lang is None:
        raise ValueError(f"report format '{fmt}' needs a language")
    return OUTPUT_NAMES[fmt].format(lang=lang)
