"""Duty summaries (``duties:`` in an article's front-matter) with their cross references.

A summary is one line of plain text that may name articles as ``[[article-id]]`` or
``[[regulation-id/article-id]]``, like an article body. Where the summary is shown
(role pages, the PDFs' duty summaries) each reference becomes the localized article
number, linked when the caller gives a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from compendium.numbering.xref import XREF_RE, parse_target

LabelFor = Callable[[str, str, bool], "str | None"]  # (regulation, article, same) -> text
HrefFor = Callable[[str, str], "str | None"]  # (regulation, article) -> link or None
LinkMarkup = Callable[[str, str], str]  # (label, href) -> the link's HTML (a template's)


def duty_html(
    text: str, reg_id: str, label_for: LabelFor, href_for: HrefFor, link: LinkMarkup
) -> Markup:
    """``text`` as escaped HTML, every resolvable reference a number, linked by
    ``link`` (the ``xref`` macro of ``templates/compendium/inline.html``) when
    ``href_for`` gives a link.

    An unknown or malformed reference stays as written (``make check`` reports it).
    """
    out: list[str] = []
    pos = 0
    for m in XREF_RE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        pos = m.end()
        target = parse_target(m.group(1), reg_id)
        label = label_for(target[0], target[1], target[0] == reg_id) if target else None
        if target is None or label is None:
            out.append(escape(m.group(0)))
            continue
        href = href_for(*target)
        if href:
            out.append(Markup(link(label, href)))
        else:
            out.append(escape(label))
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def duty_plain(text: str, reg_id: str, label_for: LabelFor) -> str:
    """``text`` with every resolvable reference replaced by the article number."""

    def sub(m: re.Match[str]) -> str:
        target = parse_target(m.group(1), reg_id)
        label = label_for(target[0], target[1], target[0] == reg_id) if target else None
        return m.group(0) if label is None else label

    return XREF_RE.sub(sub, text)


def plain_excerpt(markdown_text: str, limit: int = 160) -> str:
    """A short plain-text excerpt of an article body (where a role has no duty summary)."""
    text = re.sub(r"\[\[[^\]]*\]\]|<[^>]+>|[*_`#>]", "", markdown_text)
    text = re.sub(r"^\s*\d+\.\s*", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
