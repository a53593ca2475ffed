"""List items of an article body: the one grammar of markers and item labels.

The site numbers lists on Python-Markdown's tree (:mod:`compendium.site.mdext`),
the redline reads them line by line (:mod:`compendium.changes.redline`); both by
Python-Markdown's rules: a marker is ``1.`` or ``-``/``*``/``+`` and a space
(``1)`` is none); with no list open a line indented ``INDENT`` columns is code;
each ``INDENT`` columns more open a level; a list's first marker decides whether
it is numbered and later ones at its level continue it; numbering starts at 1;
after a blank line only an indented paragraph stays in the list; a marker right
after a paragraph line outside a list is text. ``item_label`` gives the label:
一、（一）1. / (1) (a) (i), in outline style 1.（1）A. / (a) (i) 1.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compendium import is_default
from compendium.numbering.numerals import chinese, letter, roman

ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<num>\d{1,9})\.|(?P<bullet>[-*+]))[ \t]+")
INDENT = 4  # columns of indent per list level (a tab counts 4)
BULLET = "•"  # the label the redline shows for an item of a bulleted list


@lru_cache(maxsize=4096)  # the same few labels recur in every article
def item_label(style: str, lang: str, depth: int, n: int) -> str:
    """The label of the ``n``-th item of a list at ``depth`` (1-based) in an article."""
    zh = is_default(lang)
    if style == "outline":
        forms = (
            (lambda k: f"{k}.", lambda k: f"（{k}）", lambda k: f"{letter(k)}.")
            if zh
            else (lambda k: f"({letter(k)})", lambda k: f"({roman(k).lower()})", lambda k: f"{k}.")
        )
    else:
        forms = (
            (lambda k: f"{chinese(k)}、", lambda k: f"（{chinese(k)}）", lambda k: f"{k}.")
            if zh
            else (lambda k: f"({k})", lambda k: f"({letter(k)})", lambda k: f"({roman(k).lower()})")
        )
    return forms[min(depth, len(forms)) - 1](n)


class ItemLevels:
    """The lists open while a body is read line by line."""

    def __init__(self, style: str, lang: str):
        self.style = style
        self.lang = lang
        self._open: list[list[int]] = []  # [numbered, items so far] per open level

    def __bool__(self) -> bool:
        return bool(self._open)

    def marker(self, line: str) -> re.Match[str] | None:
        """The item marker ``line`` starts with, if any; with no list open, a line
        indented by ``INDENT`` or more is code, not an item."""
        m = ITEM_RE.match(line)
        if m and not self._open and len(m["indent"].expandtabs(INDENT)) >= INDENT:
            return None
        return m

    def item(self, m: re.Match[str]) -> tuple[int, str]:
        """Open the item of the marker line ``m`` (of ``ITEM_RE``): ``(depth, label)``."""
        depth = min(len(self._open) + 1, len(m["indent"].expandtabs(INDENT)) // INDENT + 1)
        del self._open[depth:]
        if len(self._open) == depth:
            self._open[-1][1] += 1
        else:
            self._open.append([1 if m["num"] else 0, 1])
        numbered, n = self._open[-1]
        return depth, item_label(self.style, self.lang, depth, n) if numbered else BULLET

    def paragraph(self, line: str) -> None:
        """A paragraph after a blank line: it stays in the list only when indented."""
        if len(line.expandtabs(INDENT)) - len(line.expandtabs(INDENT).lstrip()) < INDENT:
            self._open.clear()
