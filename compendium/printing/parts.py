"""A print document cut into parts that render on their own and join into one PDF.

The print templates mark where a part begins (``PART_MARK``: before every
regulation of the compendium, every part of a pack, the roles index and the
acknowledgement page); each part starts on a new page in the whole document
too, so its pages are the same when it is rendered alone. Everything before the
first mark (cover and contents, a pack's duty summary) is the front part.

Two things cross parts and are settled when the parts are joined
(compendium/printing/join.py): the page number in the footer (stamped on) and
links (named destinations, whose targets are collected from every part). Page
references printed as text (contents, "see page 12", the duty tables) cannot
wait: ``with_page_numbers`` writes the number of every referenced anchor into
the part's HTML, so a part that prints page numbers is rendered again when they
change, and only then. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

PART_MARK = "<!--compendium-print-part-->"

# The anchors whose text is a page number (print.css, in parts: attr(data-page)).
_PAGE_REF = re.compile(r'<a class="(toc-link|page-ref|seen-ref|duty-page)" href="#([^"]*)"')
_BODY = re.compile(r"<body[^>]*>")


@dataclass(frozen=True)
class Part:
    """One part: the whole document's head and one run of its body."""

    document: str  # the document's file stem
    index: int
    html: str

    @property
    def prints_page_numbers(self) -> bool:
        return _PAGE_REF.search(self.html) is not None


# Runs between marks shorter than this are grouped into one part (every mark is a
# page break, so a group lays out as its runs would alone): a WeasyPrint rendering
# has a fixed cost of about a quarter of a second, and a pack has many one-page
# runs. Where a group ends depends only on each run's own content (content-defined
# boundaries, as in rsync), so an edit changes its own group and at most the next.
GROUP_CHARS = 40_000
_BOUNDARY_EVERY = 3  # on average, a group ends after one run in three


def split(name: str, html: str) -> list[Part]:
    """The parts of the document ``html`` (one part when it has no marks)."""
    body = _BODY.search(html)
    end = html.rfind("</body>")
    if body is None or end < body.end():
        return [Part(name, 0, html)]
    head, inner, tail = html[: body.end()], html[body.end() : end], html[end:]
    runs = [run for run in inner.split(PART_MARK) if run.strip()]
    return [Part(name, i, f"{head}{''.join(group)}{tail}") for i, group in enumerate(_groups(runs))]


def _groups(runs: list[str]) -> list[list[str]]:
    """``runs`` in groups: the first alone (the cover's), then runs grouped while short."""
    groups: list[list[str]] = []
    size, closed, last_numbered = 0, True, False
    for i, run in enumerate(runs):
        numbered = _PAGE_REF.search(run) is not None
        fits = size + len(run) <= GROUP_CHARS and len(run) <= GROUP_CHARS // 4
        if i <= 1 or closed or not fits or numbered != last_numbered:
            groups.append([run])
            size = len(run)
        else:
            groups[-1].append(run)
            size += len(run)
        closed = len(run) > GROUP_CHARS // 4 or _ends_group(run)
        last_numbered = numbered
    return groups


def _ends_group(run: str) -> bool:
    return hashlib.sha256(run.encode("utf-8")).digest()[0] % _BOUNDARY_EVERY == 0


def with_page_numbers(part: Part, pages: Mapping[str, int]) -> Part:
    """``part`` with ``data-page`` on each page reference (the anchor's page, 1-based).

    A reference to an anchor no part has keeps an empty number, as the whole
    document prints nothing for it.
    """

    def number(m: re.Match[str]) -> str:
        page = pages.get(html.unescape(m.group(2)))
        return f'{m.group(0)} data-page="{page if page is not None else ""}"'

    return Part(part.document, part.index, _PAGE_REF.sub(number, part.html))


def content_key(html: str, salt: str) -> str:
    """The cache key of a rendered part: its HTML and everything else it is made of."""
    digest = hashlib.sha256()
    digest.update(salt.encode("utf-8"))
    digest.update(b"\0")
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def first_pages(counts: list[int]) -> list[int]:
    """The 0-based index of each part's first page in the joined document."""
    out, at = [], 0
    for n in counts:
        out.append(at)
        at += n
    return out
