"""The content model: regulations, chapters, sections, articles, roles.

Plain dataclasses built by :mod:`compendium.source.loader`. Numbers are not part of the
model: :mod:`compendium.numbering.numbers` computes them from the manifest order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES

Localized = dict[str, str]  # language -> text

ROLE_KINDS = ("department", "position", "committee", "team", "everyone")


@dataclass
class ArticleText:
    """One language version of an article."""

    lang: str
    path: str  # display path of the source file
    caption: str | None
    body: str
    body_line: int
    meta: dict[str, Any]
    duties: dict[str, str] = field(default_factory=dict)
    editorial: list[str] = field(default_factory=list)
    translates: str | None = None  # en only: hash of the zh text translated
    lines: Any = None  # yamlsrc.Lines of the front-matter, for messages


class LocalizedNote(str):
    """A note in the authoring language (the ``str`` value, so it compares and
    hashes as before) that also knows its translations."""

    translations: dict[str, str]

    def __new__(cls, translations: dict[str, str]) -> LocalizedNote:
        obj = super().__new__(
            cls, translations.get(DEFAULT_LANGUAGE) or next(iter(translations.values()))
        )
        obj.translations = dict(translations)
        return obj

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # type: ignore[override]
        # Pickling (the PDF builder's worker processes) must rebuild the note from
        # its translations: the default passes the plain text to ``__new__``.
        return (self.translations,)

    def localized(self, lang: str) -> tuple[str, str]:
        """``(text, language of that text)``: the translation, or the original."""
        if lang in self.translations:
            return self.translations[lang], lang
        return str(self), DEFAULT_LANGUAGE


def localized_note(note: str, lang: str) -> tuple[str, str]:
    """``(text, language)`` of a history note in ``lang`` when it has a translation."""
    if isinstance(note, LocalizedNote):
        return note.localized(lang)
    return note, DEFAULT_LANGUAGE


@dataclass
class HistoryEntry:
    date: dt.date
    release: str | None
    note: str  # a LocalizedNote when the front-matter gives the note per language


@dataclass
class Article:
    id: str
    regulation: str
    chapter: str
    section: str | None
    inserted: bool
    texts: dict[str, ArticleText]
    roles: list[str] = field(default_factory=list)
    effective: dt.date | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    truncated: bool = False
    repealed: dt.date | None = None  # repealed in place: keeps its id and number

    def text(self, lang: str) -> ArticleText:
        """The text in ``lang``, falling back to the authoring language."""
        return self.texts.get(lang) or self.texts[DEFAULT_LANGUAGE]

    def is_translated(self, lang: str) -> bool:
        return lang in self.texts

    @property
    def source_hash(self) -> str:
        """Hash of the Chinese caption and body, ignoring whitespace-only changes."""
        return text_hash(self.texts[DEFAULT_LANGUAGE])


def text_hash(text: ArticleText) -> str:
    return content_hash(text.caption, text.body)


def content_hash(caption: str | None, body: str) -> str:
    """The hash ``text_hash`` gives a text with this caption and body (whitespace ignored)."""
    normal = re.sub(r"\s+", "", (caption or "") + "\n" + body)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


@dataclass
class Section:
    id: str | None  # None: the chapter has no sections (one unnamed section)
    title: Localized
    articles: list[str]
    formerly: list[str] = field(default_factory=list)  # earlier ids (make rename)


@dataclass
class Chapter:
    id: str
    title: Localized
    sections: list[Section]  # a chapter without sections has one Section with id None
    has_sections: bool
    inserted: bool = False  # 第七章之一: numbered after the chapter before it
    formerly: list[str] = field(default_factory=list)  # earlier ids (make rename)

    @property
    def article_ids(self) -> list[str]:
        return [a for s in self.sections for a in s.articles]


@dataclass
class Regulation:
    id: str
    path: str  # display path of the manifest
    code: str
    title: Localized
    owner: str
    version: str
    effective: dt.date
    numbering: str
    chapters: list[Chapter]
    articles: dict[str, Article]  # in manifest order
    source: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)  # every id in the manifest, loaded or not
    review: Any = None  # compendium.source.reviews.ReviewCycle, when the manifest declares one
    formerly: list[str] = field(default_factory=list)  # earlier regulation ids (make rename)

    @property
    def shown_articles(self) -> list[str]:
        """The ids of the articles its chapters show (loaded ones only), in order."""
        return [a for ch in self.chapters for a in ch.article_ids if a in self.articles]

    @property
    def truncated(self) -> str | None:
        """Where the source stops (English, or the only text given), or None."""
        value = self.source.get("truncated")
        if isinstance(value, dict):
            return value.get("en") or next(iter(value.values()), None)
        return value

    def truncated_in(self, lang: str) -> str | None:
        """Where the source stops, in ``lang`` when the manifest gives it per language."""
        value = self.source.get("truncated")
        if isinstance(value, dict):
            return value.get(lang) or self.truncated
        return value


@dataclass
class Role:
    id: str
    kind: str
    name: Localized
    aliases: dict[str, list[str]]
    parent: str | None
    note: str | None = None
    line: int = 0


@dataclass
class GlossarySense:
    """A documented second rendering of a glossary term, and when to use it."""

    en: str
    note: str | None = None


@dataclass
class GlossaryTerm:
    terms: Localized
    note: str | None = None
    senses: list[GlossarySense] = field(default_factory=list)
    check: bool = True  # False: not enforced by the terminology check (see its note)
    line: int = 0


@dataclass
class Compendium:
    """Everything under ``docs/``, loaded and cross-checked."""

    docs_path: str
    regulations: dict[str, Regulation]
    roles: dict[str, Role]
    glossary: list[GlossaryTerm]
    languages: tuple[str, ...] = LANGUAGES

    def article(self, regulation: str, article: str) -> Article | None:
        reg = self.regulations.get(regulation)
        return reg.articles.get(article) if reg else None
