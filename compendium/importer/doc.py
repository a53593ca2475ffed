"""The parsed document: chapters, sections, articles, items and what was noticed on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from compendium import DEFAULT_LANGUAGE
from compendium.numbering.numbers import Number, article_label
from compendium.numbering.numerals import chinese

from .anomaly import Anomaly
from .clean import (
    PAD,
    CleanResult,
    Fix,
)


@dataclass
class Chunk:
    """A piece of text between two labels, from one source line."""

    text: str
    line: int
    new_line: bool  # starts a source line (not right after a label)
    blank_before: bool = False


@dataclass
class ParsedItem:
    level: int  # 1 = list item, 2 = nested
    kind: str
    num: int
    line: int
    label: str
    chunks: list[Chunk] = field(default_factory=list)
    caption: str | None = None
    caption_sep: str = ""
    caption_how: str | None = None


@dataclass
class ParsedArticle:
    num: int
    sub: int
    line: int
    label: str  # as printed in the source
    intro: list[Chunk] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    caption: str | None = None
    caption_how: str | None = None  # paren | heading | colon | space | guess
    fixes: list[Fix] = field(default_factory=list)
    truncated: bool = False
    id: str = ""
    roles: list[str] = field(default_factory=list)  # suggested from the role registry
    chapter_num: int = 0  # the source number of its chapter (outline keys)
    item_stack: list[list[Any]] = field(default_factory=list)  # [kind, last number]

    @property
    def inserted(self) -> bool:
        return self.sub > 0


@dataclass
class ParsedSection:
    num: int  # 0: the articles of a chapter before its first section
    line: int
    label: str
    title: str = ""
    articles: list[ParsedArticle] = field(default_factory=list)
    id: str = ""


@dataclass
class ParsedChapter:
    num: int  # 0: an implicit chapter (articles before any chapter)
    line: int
    label: str
    title: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    id: str = ""
    sub: int = 0  # 第七章之一: an inserted chapter

    @property
    def articles(self) -> list[ParsedArticle]:
        return [a for s in self.sections for a in s.articles]

    @property
    def has_sections(self) -> bool:
        return any(s.num for s in self.sections)


@dataclass
class Issue:
    line: int
    message: str


@dataclass
class ParsedDoc:
    """A regulation as found in one text: structure plus everything noticed on the way."""

    lang: str
    style: str
    style_detected: bool
    title: str | None = None
    chapters: list[ParsedChapter] = field(default_factory=list)
    numbering: list[Issue] = field(default_factory=list)  # gaps, duplicates, order
    unplaced: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)  # other things worth knowing
    fixes: list[Fix] = field(default_factory=list)  # outside articles (titles)
    clean: CleanResult | None = None
    truncated: ParsedArticle | None = None
    truncated_tail: str = ""
    dropped_article: ParsedArticle | None = None
    links: list[Issue] = field(default_factory=list)  # references turned into [[id]]
    empty: list[Issue] = field(default_factory=list)  # articles without text (anomalies)
    accepted: list[Anomaly] = field(default_factory=list)  # anomalies written anyway

    @property
    def articles(self) -> list[ParsedArticle]:
        return [a for c in self.chapters for a in c.articles]

    def items(self) -> list[ParsedItem]:
        return [i for a in self.articles for i in a.items if i.level]

    def all_fixes(self) -> list[Fix]:
        return sorted(
            self.fixes + [f for a in self.articles for f in a.fixes], key=lambda f: f.line
        )


REPEALED_RE = re.compile(r"^[（(]\s*(?:刪除|删除|deleted|repealed)\s*[）)][。.]?$", re.I)


def is_repealed(art: ParsedArticle) -> bool:
    """Whether the whole text of an article is （刪除） / (Deleted): repealed in place."""
    text = "".join(c.text for c in art.intro).strip(PAD)
    return not art.items and bool(REPEALED_RE.match(text))


def _section_ids(ch: ParsedChapter) -> list[ParsedSection]:
    return [s for s in ch.sections if s.num] if ch.has_sections else ch.sections


def _display_label(doc: ParsedDoc, a: ParsedArticle) -> str:
    """The label as the site would print the source number (第十條之一, 一（三））."""
    num = Number(doc.style, a.chapter_num, a.num, a.sub)
    if doc.style == "outline":
        return (
            f"{chinese(a.chapter_num)}、" + article_label(num, DEFAULT_LANGUAGE)
            if a.chapter_num
            else article_label(num, DEFAULT_LANGUAGE)
        )
    return article_label(num, DEFAULT_LANGUAGE)
