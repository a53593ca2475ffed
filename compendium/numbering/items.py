"""List items of an article body: the one grammar of item markers and item labels.

An article body is Markdown. The site numbers its lists on Python-Markdown's
element tree (:mod:`compendium.site.mdext`); the redline reads the same lists line
by line from the raw text (:mod:`compendium.changes.redline`). Both follow the
rules here, which are Python-Markdown's:

- a marker line is some indent, then ``1.`` (digits and a full stop) or ``-``,
  ``*``, ``+``, then a space (``1)`` is not a marker);
- with no list open, a line indented by ``INDENT`` columns or more is code;
- every further ``INDENT`` columns of indent open a list one level deeper;
- the first marker of a list decides whether it is numbered; a later marker at
  the same level continues that list whatever it is;
- a numbered list counts from 1 (the number written is not kept);
- after a blank line, a paragraph indented by ``INDENT`` stays in the list, any
  other ends it; a marker right after a line of a paragraph outside a list is
  text of that paragraph.

``item_label(style, lang, depth, n)`` is the label the ``n``-th item at ``depth``
shows: 一、（一）1. in Chinese articles, (1) (a) (i) in English; 1.（1）A. and
(a) (i) 1. in outline-style regulations.
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
