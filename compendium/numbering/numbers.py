"""Numbers computed from manifest order, never stored.

``number_regulation`` returns, for one regulation, the number of every chapter,
section and article; ``label``/``reference``/``anchor`` format them per
numbering style and language.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from compendium import is_default
from compendium.numbering.citation import heading
from compendium.numbering.numerals import chinese, roman
from compendium.source.model import Regulation


@dataclass(frozen=True)
class Number:
    """An article's number: ``base`` plus ``sub`` for inserted articles (10-1)."""

    style: str
    chapter: int
    base: int
    sub: int = 0


class ChapterNumber(int):
    """A chapter's number; ``sub`` > 0 for an inserted chapter (第七章之一 / Chapter 7-1)."""

    sub: int

    def __new__(cls, base: int, sub: int = 0) -> ChapterNumber:
        obj = super().__new__(cls, base)
        obj.sub = sub
        return obj


@dataclass
class Numbering:
    chapters: dict[str, int]
    sections: dict[str, int]
    articles: dict[str, Number]


# Numbers already computed, by regulation object (the entry goes when the object does).
# A loaded regulation is not changed afterwards, so its numbers never go stale.
_NUMBERS: dict[int, Numbering] = {}


def numbers_of(reg: Regulation) -> Numbering:
    """The numbers of ``reg``, computed once per regulation object and then reused
    (the site, print, diff and reports all ask for them many times)."""
    key = id(reg)
    found = _NUMBERS.get(key)
    if found is None:
        found = _NUMBERS[key] = number_regulation(reg)
        weakref.finalize(reg, _NUMBERS.pop, key, None)
    return found


def number_regulation(reg: Regulation) -> Numbering:
    """Number every chapter, section and article of ``reg`` from manifest order.

    ``chapter-article``: articles continue across chapters; ``outline``: they
    restart in each chapter. An inserted article takes the number of the article
    before it plus a sub-number (第十條之一), so later numbers do not move.
    """
    chapters: dict[str, int] = {}
    sections: dict[str, int] = {}
    articles: dict[str, Number] = {}
    base = sub = 0
    ci = csub = 0
    for ch in reg.chapters:
        if ch.inserted and ci > 0:
            csub += 1
        else:
            ci, csub = ci + 1, 0
        chapters[ch.id] = ChapterNumber(ci, csub)
        if reg.numbering == "outline":
            base = sub = 0
        si = 0
        for sec in ch.sections:
            if sec.id is not None:
                si += 1
                sections[sec.id] = si
            for aid in sec.articles:
                art = reg.articles.get(aid)
                if art is not None and art.inserted and base > 0:
                    sub += 1
                else:
                    base += 1
                    sub = 0
                articles[aid] = Number(reg.numbering, ci, base, sub)
    return Numbering(chapters, sections, articles)


def chapter_label(style: str, n: int, lang: str) -> str:
    sub = getattr(n, "sub", 0)
    if style == "outline":
        return f"{chinese(n)}、" if is_default(lang) else f"{roman(n)}."
    if is_default(lang):
        return f"第{chinese(n)}章" + (f"之{chinese(sub)}" if sub else "")
    return f"Chapter {int(n)}" + (f"-{sub}" if sub else "")


def chapter_heading(style: str, n: int, title: str, lang: str) -> str:
    """第一章 總則 / Chapter 1 General Provisions / 一、總則 (a Chinese outline)."""
    return heading(chapter_label(style, n, lang), title, style, lang)


def section_label(n: int, lang: str) -> str:
    return f"第{chinese(n)}節" if is_default(lang) else f"Section {n}"


def article_label(num: Number, lang: str) -> str:
    """The number as a heading shows it: 第十條之一 / Article 10-1 / （三） / 3."""
    zh = is_default(lang)
    if num.style == "outline":
        if zh:
            return f"（{chinese(num.base)}）" + (f"之{chinese(num.sub)}" if num.sub else "")
        return f"{num.base}" + (f"-{num.sub}" if num.sub else "") + "."
    if zh:
        return f"第{chinese(num.base)}條" + (f"之{chinese(num.sub)}" if num.sub else "")
    return f"Article {num.base}" + (f"-{num.sub}" if num.sub else "")


def reference_label(num: Number, lang: str) -> str:
    """The number as a cross reference writes it: 第十七條 / Article 17 / 三（二） / III.2."""
    if num.style == "outline":
        if is_default(lang):
            return chinese(num.chapter) + article_label(num, lang)
        return f"{roman(num.chapter)}.{num.base}" + (f"-{num.sub}" if num.sub else "")
    return article_label(num, lang)


def article_anchor(num: Number) -> str:
    """The language-independent anchor from the number: art-17, art-10-1, art-3-2."""
    parts = [str(num.chapter)] if num.style == "outline" else []
    parts.append(str(num.base))
    if num.sub:
        parts.append(str(num.sub))
    return "art-" + "-".join(parts)
