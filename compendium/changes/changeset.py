"""What a comparison produces: the kinds of change per scope, and the records
:func:`compendium.changes.diff.compare` returns (see that module for the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compendium.changes.redline import Line, Redline

ARTICLE_KINDS = (
    "added",
    "removed",
    "repealed",  # repealed in place: kept with its number, text now （刪除）
    "moved",
    "renumbered",
    "amended",
    "caption-changed",
    "roles-changed",
    "translation-revised",
    # compendium.changes.details: what else an article's page or a role page shows
    "effective-changed",
    "repeal-changed",  # the repeal date changed, or the article is in force again
    "truncated-changed",
    "history-changed",
    "duties-changed",
    "notes-changed",  # editorial notes
    "translation-status-changed",  # the English shown as current or outdated (its stamp)
)
REGULATION_KINDS = (
    "added",
    "retired",
    "renamed",
    "code-changed",
    "version-changed",
    "effective-changed",
    "owner-changed",
    "numbering-changed",
    "notes-changed",
    "source-changed",
    "review-changed",
)
CHAPTER_KINDS = ("added", "removed", "renamed", "renumbered")  # renumbered: its `inserted`
SECTION_KINDS = ("added", "removed", "renamed")
ROLE_KINDS = ("added", "removed", "changed")
ENTRY_KINDS = ("added", "removed", "changed")  # a glossary entry, an onboarding pack
KINDS: dict[str, tuple[str, ...]] = {
    "regulation": REGULATION_KINDS,
    "chapter": CHAPTER_KINDS,
    "section": SECTION_KINDS,
    "article": ARTICLE_KINDS,
    "role": ROLE_KINDS,
    "glossary": ENTRY_KINDS,
    "pack": ENTRY_KINDS,
}
REGISTRIES = ("role", "glossary", "pack")  # scopes outside any regulation, in output order
SCOPES = tuple(KINDS)
REGULATION_FIELDS = {  # manifest field -> kind
    "title": "renamed",
    "code": "code-changed",
    "version": "version-changed",
    "effective": "effective-changed",
    "owner": "owner-changed",
    "numbering": "numbering-changed",
}


@dataclass(frozen=True)
class Edition:
    """One side of a comparison: what the compendium was read from."""

    label: str  # shown in outputs: "release/2026.1", "main", "working copy"
    commit: str | None = None
    release: str | None = None  # version, when the ref is a release
    date: dt.date | None = None


@dataclass
class ArticleSide:
    """An article as it stands in one edition, with everything outputs show."""

    regulation: str
    style: str  # the regulation's numbering style
    chapter: str
    section: str | None
    number: dict[str, str]  # heading label per language: 第十條之一 / Article 10-1
    reference: dict[str, str]  # cross-reference form: 第十條之一 / 三（二） / III.2
    anchor: str  # art-10-1 (the site's anchor from the number)
    caption: dict[str, str | None]
    translated: dict[str, bool]
    chapter_label: dict[str, str]  # 第二章 數據管理 / Chapter 2 Data Management
    regulation_title: dict[str, str]
    roles: list[str]
    source_hash: str
    translates: str | None
    paths: dict[str, str]


@dataclass
class Change:
    """Everything that changed about one article, chapter, section, regulation or role."""

    scope: str
    kinds: tuple[str, ...]
    regulation: str  # the regulation the change belongs to ("" for roles)
    id: str  # article, chapter, section, regulation or role id
    title: dict[str, str] = field(default_factory=dict)  # display name per language
    old: ArticleSide | None = None
    new: ArticleSide | None = None
    old_regulation: str | None = None  # an article moved from another regulation
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (old, new)
    notes: list[str] = field(default_factory=list)  # history notes new in this edition
    articles: list[str] = field(
        default_factory=list
    )  # an added/retired regulation: its articles (not moved)
    # Computes the redline of one language and part ("body"/"caption") on first use.
    redlines: Callable[[str, str], Redline] | None = field(default=None, repr=False, compare=False)
    _cache: dict[tuple[str, str], Redline] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.scope}:{self.regulation}:{self.id}"

    @property
    def anchor(self) -> str:
        return (
            f"c-{self.scope}-{self.regulation}--{self.id}"
            if self.regulation
            else f"c-{self.scope}--{self.id}"
        )

    def has(self, kind: str) -> bool:
        return kind in self.kinds

    def redline(self, lang: str, part: str = "body") -> Redline | None:
        """The article's text (``part`` "body" or "caption") in ``lang``, old against new."""
        if self.redlines is None:
            return None
        key = (lang, part)
        if key not in self._cache:
            self._cache[key] = self.redlines(lang, part)
        return self._cache[key]

    def body_lines(self, lang: str, view: str = "merged") -> list[Line]:
        """``view``: "merged" (deletions and insertions), "old" or "new"."""
        red = self.redline(lang)
        return getattr(red, view) if red is not None else []

    def english_pending(self) -> bool:
        """The Chinese text was amended but the English text was not revised with it."""
        if not self.has("amended"):
            return False
        red = self.redline("en")
        return red is not None and not red.changed


@dataclass
class RegulationInfo:
    id: str
    code: str
    title: dict[str, str]
    status: str  # "current", "added", "retired"


@dataclass
class Diff:
    old: Edition
    new: Edition
    changes: list[Change]
    regulations: dict[str, RegulationInfo]  # every regulation of either edition, in output order

    def counts(self) -> dict[str, int]:
        """Number of changes per ``scope:kind`` (only kinds that occur)."""
        out: dict[str, int] = {}
        for scope, kinds in KINDS.items():
            for kind in kinds:
                n = sum(1 for c in self.changes if c.scope == scope and kind in c.kinds)
                if n:
                    out[f"{scope}:{kind}"] = n
        return out

    def groups(self) -> list[tuple[RegulationInfo | None, list[Change], list[Change]]]:
        """``(regulation, its regulation/chapter/section changes, its article changes)`` in
        order, then ``(None, changes, [])`` for the roles, the glossary and the packs, each
        when it changed."""
        out: list[tuple[RegulationInfo | None, list[Change], list[Change]]] = []
        for reg in self.regulations.values():
            mine = [c for c in self.changes if c.regulation == reg.id and c.scope not in REGISTRIES]
            if mine:
                out.append(
                    (
                        reg,
                        [c for c in mine if c.scope != "article"],
                        [c for c in mine if c.scope == "article"],
                    )
                )
        for scope in REGISTRIES:
            entries = [c for c in self.changes if c.scope == scope]
            if entries:
                out.append((None, entries, []))
        return out

    @property
    def empty(self) -> bool:
        return not self.changes
