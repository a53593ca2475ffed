"""Deferred HTML of a site page put back after Markdown (see ``Renderer.defer_html``).

The regulation page's Markdown holds placeholders (``CMPFRAG<n>X``) and plain
numbered headings; ``fill_fragments`` puts the fragments and the number markup
into the converted HTML.
"""

from __future__ import annotations

import re

_FRAGMENT_RE = re.compile(r"<p>(CMPFRAG\d+X)</p>")


_HEADING_RE = re.compile(r'(<h[1-6] id="([^"]+)">)([^<]*)')


def fill_fragments(
    html: str,
    fragments: dict[str, str],
    heading_marks: dict[str, tuple[str, str]] | None = None,
) -> str:
    """Put the deferred HTML fragments back in place of their placeholders, and
    the number markup into the numbered headings."""
    html = _FRAGMENT_RE.sub(lambda m: fragments.get(m.group(1), m.group(0)), html)
    if not heading_marks:
        return html

    def mark(m: re.Match[str]) -> str:
        found = heading_marks.get(m.group(2))
        if found is None or not m.group(3).startswith(found[0]):
            return m.group(0)
        label, markup = found
        return f"{m.group(1)}{markup}{m.group(3)[len(label) :]}"

    return _HEADING_RE.sub(mark, html)
