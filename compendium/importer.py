"""Import a plain-text regulation (UTF-8) into a regulation folder of ``docs/``.

The importer reads a regulation as it comes out of a Word file, a PDF or a web
page, finds its structure, and writes the manifest (``index.md``) plus one file
per article in the format described in AUTHORING.md.

Structure recognised (the numbering style is detected, or forced with ``style``):

* ``chapter-article``: 第一章 (chapter), 第一節 (section), 第一條 (article),
  第十條之一 / 第 10-1 條 (inserted article); items in an article 一、 (or 1.),
  nested （一） (or （1））. Chinese numerals or Arabic digits, with ordinary or
  full-width spaces inside (第 1 條, 第 一 章, 二　十).
* ``outline``: 一、 (chapter), （一） or (一) (article, its caption on the same
  line), 1. (item), （1） (nested item).

A label is found at the start of a line or inside a line (text copied from a
web page often has no line breaks at all). Inside a line it is accepted only
when it carries the next number expected at its level and stands where a new
unit can begin (after a full stop, or right after a heading), so that a
reference such as 依第十條規定 is not taken for a new article.

Article ids (``ids="number"``, the default) are the source numbers: ``a001`` for
第一條, ``a010-1`` for 第十條之一 (chapter-article); ``a1-03`` for 一（三）
(outline); chapters ``c1``, sections ``c1-s1``. With ``ids="caption"`` a short
table turns well-known captions into words (目的 -> ``purpose``, 總則 ->
``general``) and falls back to the number ids. Ids never change afterwards
unless an editor renames them; renaming is safe because references are written
by id and ``make check`` reports any reference left dangling.

Nothing here imports MkDocs; :func:`write_regulation` is the only function that
touches the disk.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import DEFAULT_LANGUAGE
from .importanomaly import Anomaly, anomaly_notes, find_anomalies, format_anomalies
from .importclean import (
    CJK,
    PAD,
    CleanResult,
    Fix,
    SourceLine,
    clean_layout,
    clean_scrape,
    find_suspicious,
    fix_traditional,
    fullwidth_punct,
    split_lines,
)
from .loader import ID_RE, RESERVED_PREFIXES
from .model import (
    Article,
    ArticleText,
    Chapter,
    Regulation,
    Section,
    text_hash,
)
from .numbering import Number, article_label, number_regulation
from .numerals import chinese, parse_chinese, parse_roman
from .tree import missing_docs

STYLES = ("chapter-article", "outline")
ID_MODES = ("number", "caption")


class ImportFailure(Exception):
    """The import cannot go on; the message says why and what is expected."""


# -- labels -----------------------------------------------------------------------

SP = r"[ \t\u3000\u00a0]*"
CN = "零〇一二兩三四五六七八九十百千"
NUM = rf"(?:\d+|[{CN}](?:{SP}[{CN}])*)"

# Every kind of label, by the regular expression that finds it in a line.
LABEL_PATTERNS: dict[str, re.Pattern[str]] = {
    # Chinese statute style
    "zh-chapter": re.compile(rf"第{SP}(?P<n>{NUM}){SP}章(?:{SP}之{SP}(?P<s2>{NUM}))?"),
    "zh-section": re.compile(rf"第{SP}(?P<n>{NUM}){SP}節"),
    "zh-article": re.compile(
        rf"第{SP}(?P<n>{NUM}){SP}(?:[-－‐–—]{SP}(?P<s1>\d+){SP})?條(?:{SP}之{SP}(?P<s2>{NUM}))?"
    ),
    # Chinese outline and item labels
    "cn-dun": re.compile(rf"(?<![{CN}第])(?P<n>[{CN}](?:[ \u3000]{{0,2}}[{CN}])*)、"),
    "cn-paren": re.compile(rf"[（(]{SP}(?P<n>[{CN}]+){SP}[）)]"),
    "ar-dot": re.compile(r"(?<![\d.．A-Za-z])(?P<n>\d{1,3})(?:[.．](?![\d.．])|、)"),
    "ar-paren": re.compile(rf"[（(]{SP}(?P<n>\d{{1,3}}){SP}[）)]"),
    # English
    "en-chapter": re.compile(
        r"(?<![A-Za-z])(?:CHAPTER|Chapter)\s+(?P<n>[IVXLCⅠ-Ⅻ]+|\d+|"
        r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty))(?:-(?P<s1>\d+))?\b\.?"
    ),
    "en-section": re.compile(r"(?<![A-Za-z])(?:SECTION|Section)\s+(?P<n>[IVXLC]+|\d+)\b\.?"),
    "en-article": re.compile(
        r"(?<![A-Za-z])(?:ARTICLE|Article|Art\.)\s*(?P<n>\d+)(?:\s*-\s*(?P<s1>\d+))?\b\.?"
    ),
    "roman-dot": re.compile(r"(?<![A-Za-z])(?P<n>[IVXLC]+)\.(?=\s)"),
    "en-dot": re.compile(r"(?<![\d.A-Za-z])(?P<n>\d{1,3})\.(?=\s|[A-Za-z])"),  # 1. / 1.where
    "lat-paren": re.compile(r"\((?P<n>[a-z])\)"),
    "rom-paren": re.compile(r"\((?P<n>[ivx]{1,5})\)"),
    "en-paren": re.compile(r"\((?P<n>\d{1,3})\)"),
}


@dataclass(frozen=True)
class Grammar:
    """Which label kinds play which role, for one language and numbering style."""

    lang: str
    style: str
    chapter: tuple[str, ...]
    section: tuple[str, ...]
    article: tuple[str, ...]
    items: tuple[str, ...]

    def role(self, kind: str) -> str | None:
        for role in ("chapter", "section", "article", "items"):
            if kind in getattr(self, role):
                return role
        return None

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.chapter + self.section + self.article + self.items


GRAMMARS: dict[tuple[str, str], Grammar] = {
    ("zh-Hant", "chapter-article"): Grammar(
        "zh-Hant",
        "chapter-article",
        ("zh-chapter",),
        ("zh-section",),
        ("zh-article",),
        ("cn-dun", "cn-paren", "ar-dot", "ar-paren"),
    ),
    ("zh-Hant", "outline"): Grammar(
        "zh-Hant", "outline", ("cn-dun",), (), ("cn-paren",), ("ar-dot", "ar-paren")
    ),
    ("en", "chapter-article"): Grammar(
        "en",
        "chapter-article",
        ("en-chapter",),
        ("en-section",),
        ("en-article",),
        ("en-paren", "lat-paren", "rom-paren", "en-dot"),
    ),
    ("en", "outline"): Grammar(
        "en",
        "outline",
        ("roman-dot", "en-chapter"),
        (),
        ("en-dot", "en-article"),
        ("lat-paren", "rom-paren", "en-paren"),
    ),
}


@dataclass(frozen=True)
class Label:
    """A label found in a line: its kind, number (and sub-number) and span."""

    kind: str
    num: int
    sub: int
    start: int
    end: int
    text: str


ROMAN_SIGNS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"  # U+2160…: one sign per number 1-12
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()


def _number(text: str) -> int:
    text = re.sub(rf"[{PAD}]+", "", text)
    if text.isdigit():
        return int(text)
    return parse_chinese(text)


def scan_labels(text: str, kinds: Iterable[str]) -> list[Label]:
    """Every possible label of ``kinds`` in ``text``, sorted by position."""
    found: list[Label] = []
    for kind in kinds:
        for m in LABEL_PATTERNS[kind].finditer(text):
            try:
                if kind == "en-chapter" and m["n"].lower() in NUMBER_WORDS:
                    num = NUMBER_WORDS.index(m["n"].lower()) + 1
                elif kind == "en-chapter" and m["n"][0] in ROMAN_SIGNS:
                    num = sum(ROMAN_SIGNS.index(ch) + 1 for ch in m["n"][:1])
                elif kind in ("en-chapter", "en-section", "roman-dot") and not m["n"].isdigit():
                    num = parse_roman(m["n"])
                elif kind == "rom-paren":
                    num = parse_roman(m["n"])
                elif kind == "lat-paren":
                    num = ord(m["n"]) - ord("a") + 1
                else:
                    num = _number(m["n"])
                sub = 0
                groups = m.groupdict()
                if groups.get("s1"):
                    sub = int(groups["s1"])
                elif groups.get("s2"):
                    sub = _number(groups["s2"])
            except ValueError:
                continue
            if num <= 0:
                continue
            found.append(Label(kind, num, sub, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda c: (c.start, -c.end))
    return found


def is_structural(text: str) -> bool:
    """Whether a line starts with any Chinese label (protects it from header detection)."""
    kinds = ("zh-chapter", "zh-section", "zh-article", "cn-dun", "cn-paren")
    return any(c.start == 0 for c in scan_labels(text, kinds))


# -- the parsed structure -----------------------------------------------------------


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
    title_line: int = 0
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


# Sentence-final punctuation: after it, a label inside a line may begin a new unit.
END_SENT = "。！？!?；;」』"
# Where a Chinese paragraph may end at the end of a line.
END_PARA = "。！？!?；;」』：:"
# Where an English paragraph may end at the end of a line.
EN_END_PARA = '.:;!?"”'
# Where a regulation may end (anything else means the source stops mid-sentence).
END_TEXT = "。！？!?；;」』）)…."
PUNCT = "，,。；;：:、！？!?「」『』（）()《》〈〉【】“”‘’\"'"
# Words right after 第X條 that make it a reference, not a label.
REF_AFTER = re.compile(r"^(?:之?規定|所[定列稱述]|第|(?:至|、|及|或|與|和|暨)第|但書|前段|後段)")


# -- the parser ------------------------------------------------------------------------


class _Parser:
    """One pass over the cleaned lines, building chapters, sections, articles and items."""

    def __init__(self, grammar: Grammar, fix: Callable[[str, int], tuple[str, list[Fix]]] | None):
        self.g = grammar
        self.fix = fix
        self.doc = ParsedDoc(grammar.lang, grammar.style, False)
        self.state = "preamble"  # preamble | chapter | section | article
        self.head: ParsedChapter | ParsedSection | None = None
        self.head_line = 0
        self.preamble: list[Chunk] = []
        self.chapter: ParsedChapter | None = None
        self.section: ParsedSection | None = None
        self.article: ParsedArticle | None = None
        self.item: ParsedItem | None = None
        self.last_chapter = 0
        self.last_chapter_sub = 0
        self.saved_stack: list[list[Any]] = []  # the list before a paragraph that followed it
        self.last_section = 0
        self.last_base = 0
        self.last_sub = 0

    # -- acceptance of a label -----------------------------------------------------

    def _heading_open(self, before: str) -> bool:
        """Right after a heading (or the title) on the same line: a label may follow directly."""
        if self.state == "preamble":  # only this line counts: the title is on it
            text = before
        elif self.state in ("chapter", "section") and self.head is not None:
            text = self.head.title + before
        else:
            return False
        text = text.strip(PAD)
        return len(text) <= 40 and not any(ch in text for ch in "。！？；;")

    def _expected_item(self, c: Label) -> bool:
        stack = self.article.item_stack if self.article else []
        for kind, last in stack:
            if kind == c.kind:
                return c.num == last + 1
        return c.num == 1

    def accepts(self, c: Label, at_start: bool, before: str, after: str) -> bool:
        role = self.g.role(c.kind)
        if role is None:
            return False
        if role == "items":
            if self.state != "article":
                return False
            if at_start:
                return True
            if not self._expected_item(c):
                return False
            prev = before.rstrip(PAD)[-1:] if before.strip(PAD) else ""
            if self.g.lang == "en":
                return prev in ":;." or before.rstrip().endswith((" and", " or"))
            if c.kind == "cn-dun":
                return prev in END_SENT + "：:"
            return not (prev.isascii() and prev.isalnum())
        if at_start:
            return self._fits(role, c) or self._lone_label(c, after)
        # inside a line: only the next number, where a unit can begin
        stripped = before.rstrip(PAD)
        prev = stripped[-1:]
        soft = prev in END_SENT or self._heading_open(before)
        if self.g.lang == "en":
            soft = prev in ".;:" or self._heading_open(before)
        if not soft:
            return False
        if c.kind == "zh-article" and REF_AFTER.match(after.lstrip(PAD)):
            return False
        if role == "chapter":
            return c.sub == 0 and c.num == self.last_chapter + 1
        if role == "section":
            return c.sub == 0 and c.num == self.last_section + 1
        if c.sub:
            return c.num == self.last_base and c.sub == self.last_sub + 1
        return c.num == self.last_base + 1

    def _fits(self, role: str, c: Label) -> bool:
        """Whether a label continues the source's own numbering sequence."""
        if role == "chapter":
            if c.sub:
                return c.num == self.last_chapter and c.sub == self.last_chapter_sub + 1
            return c.num == self.last_chapter + 1
        if role == "section":
            return c.sub == 0 and c.num == self.last_section + 1
        if c.sub:
            return c.num == self.last_base and c.sub > self.last_sub
        return c.num == self.last_base + 1

    def _english_heading(self, role: str, after: str) -> bool:
        """An English chapter or section heading with a wrong number (Chapter XI after VIII)."""
        rest = after.strip()
        return (
            role in ("chapter", "section")
            and 0 < len(rest) <= 80
            and rest[:1].isupper()
            and not rest.endswith((".", ";", ","))
        )

    def _lone_label(self, c: Label, after: str) -> bool:
        """An out-of-sequence label printed as a label (alone, or before a separator).

        It is taken as a label so that the gap or repeat is reported as an anomaly; a label
        followed directly by words (第十五條第二款及…, 第 15 條規定…) is a reference in the body.
        """
        if self.state == "preamble" and self.g.role(c.kind) != "article":
            return True
        rest = after.rstrip(PAD)
        if not rest:  # an English chapter prints its title ("Chapter 43" alone is a reference)
            return c.kind.startswith("zh-") or self.g.role(c.kind) == "article"
        if not c.kind.startswith("zh-"):  # English: alone on its line, or a heading
            return self._english_heading(self.g.role(c.kind) or "", after)
        return rest[:1] in PAD + "：:" and not REF_AFTER.match(rest.lstrip(PAD))

    # -- events --------------------------------------------------------------------

    def feed(self, lines: list[SourceLine]) -> ParsedDoc:
        for line in lines:
            cands = scan_labels(line.text, self.g.kinds)
            pos = 0
            i = 0
            while i < len(cands):
                group = [c for c in cands[i:] if c.start == cands[i].start]
                i += len(group)
                if group[0].start < pos:
                    continue
                for c in self._prefer(group):
                    before = line.text[pos : c.start]
                    at_start = not line.text[: c.start].strip(PAD)
                    if self.accepts(c, at_start, before, line.text[c.end :]):
                        self.text(before, line, pos == 0)
                        self.label(c, line)
                        pos = c.end
                        break
            self.text(line.text[pos:], line, pos == 0)
        self._finish_preamble()
        return self.doc

    def _prefer(self, group: list[Label]) -> list[Label]:
        """Order labels found at one place: (i) is a letter after (h), a Roman numeral otherwise."""
        if len(group) < 2:
            return group
        stack = {k: last for k, last in (self.article.item_stack if self.article else [])}

        def rank(c: Label) -> int:
            if c.kind in stack and stack[c.kind] + 1 == c.num:
                return 0
            if c.kind == "rom-paren" and "lat-paren" not in stack and c.num == 1:
                return 0  # "(i)" opening a list is a Roman numeral
            return 2 if c.kind == "rom-paren" else 1

        return sorted(group, key=rank)

    def _fix(self, text: str, line: int) -> tuple[str, list[Fix]]:
        if self.fix is None:
            return text, []
        return self.fix(text, line)

    def text(self, raw: str, line: SourceLine, new_line: bool) -> None:
        text = raw.strip(PAD)
        if not new_line:  # right after a label: drop a separator ("第一條：", "Chapter I - ")
            text = text.lstrip("：:" + ("-–—." if self.g.lang == "en" else "")).strip(PAD)
        if not text:
            return
        text, fixes = self._fix(text, line.no)
        # a hard-wrapped continuation line (indented) goes on with the paragraph before it
        chunk = Chunk(text, line.no, new_line and not line.continued, line.blank_before)
        if self.state == "preamble":
            self.preamble.append(chunk)
            self.doc.fixes.extend(fixes)
            return
        if self.state in ("chapter", "section"):
            head = self.head
            assert head is not None
            if line.no == self.head_line and not new_line:
                head.title = (head.title + " " + text).strip() if head.title else text
                self.doc.fixes.extend(fixes)
            elif not head.title and len(text) <= 30 and not any(ch in text for ch in "。；;"):
                head.title = text
                self.head_line = line.no
                self.doc.fixes.extend(fixes)
            else:
                where = "chapter" if self.state == "chapter" else "section"
                self.doc.unplaced.append(
                    Issue(
                        line.no,
                        f"text after the {where} heading {head.label} "
                        f"and before its first article: 「{_short(text)}」",
                    )
                )
            return
        assert self.article is not None
        self.article.fixes.extend(fixes)
        if self.item is not None and self._paragraph_after_list(chunk):
            # a paragraph (項) after a list: not part of the last item; a later list restarts
            self.item = ParsedItem(0, "paragraph", 0, line.no, "")
            self.article.items.append(self.item)
            self.saved_stack = self.article.item_stack
            self.article.item_stack = []
        if self.item is not None:
            self.item.chunks.append(chunk)
        else:
            self.article.intro.append(chunk)

    def _resume_list(self, art: ParsedArticle, c: Label) -> None:
        """The list goes on after the text taken as a paragraph: that text was the item's own."""
        if not art.items or art.items[-1].level != 0 or art.item_stack or c.num == 1:
            return
        if not any(kind == c.kind and last + 1 == c.num for kind, last in self.saved_stack):
            return
        para = art.items.pop()
        art.items[-1].chunks.extend(para.chunks)
        art.item_stack = self.saved_stack

    def _paragraph_after_list(self, chunk: Chunk) -> bool:
        item = self.item
        if item is None or not chunk.new_line or not item.chunks or item.level == 0:
            return False
        ends = EN_END_PARA if self.g.lang == "en" else END_PARA + "）)"
        return chunk.blank_before or item.chunks[-1].text[-1:] in ends

    def label(self, c: Label, line: SourceLine) -> None:
        role = self.g.role(c.kind)
        if role == "chapter":
            self._finish_preamble()
            if not self._fits("chapter", c):
                self._check_order("chapter", c, line.no, self.last_chapter + 1, self.last_chapter)
            self.chapter = ParsedChapter(c.num, line.no, c.text, sub=c.sub)
            self.chapter.sections.append(ParsedSection(0, line.no, ""))
            self.doc.chapters.append(self.chapter)
            self.last_chapter, self.last_chapter_sub = c.num, c.sub
            self.last_section = 0
            if self.g.style == "outline":
                self.last_base = self.last_sub = 0
            self.section = None
            self.article = self.item = None
            self.state, self.head, self.head_line = "chapter", self.chapter, line.no
        elif role == "section":
            self._finish_preamble()
            if self.chapter is None:
                self._implicit_chapter(line.no)
            assert self.chapter is not None
            self._check_order("section", c, line.no, self.last_section + 1, self.last_section)
            self.section = ParsedSection(c.num, line.no, c.text)
            self.chapter.sections.append(self.section)
            self.last_section = c.num
            self.article = self.item = None
            self.state, self.head, self.head_line = "section", self.section, line.no
        elif role == "article":
            self._finish_preamble()
            if self.chapter is None:
                self._implicit_chapter(line.no)
            assert self.chapter is not None
            self._check_article(c, line.no)
            art = ParsedArticle(c.num, c.sub, line.no, c.text, chapter_num=self.chapter.num)
            (self.section or self.chapter.sections[-1]).articles.append(art)
            self.article, self.item = art, None
            self.last_base, self.last_sub = c.num, c.sub
            self.state, self.head = "article", None
        else:
            art = self.article
            assert art is not None
            self._resume_list(art, c)
            stack = art.item_stack
            depth = next((k for k, (kind, _) in enumerate(stack) if kind == c.kind), None)
            if depth is None:
                if c.num != 1:
                    self.doc.numbering.append(
                        Issue(
                            line.no,
                            f"{_clip(c.text)} in {_clip(art.label)} starts a list "
                            "but is not its first item (expected 1)",
                        )
                    )
                stack.append([c.kind, c.num])
                level = len(stack)
            else:
                del stack[depth + 1 :]
                last = stack[depth][1]
                if c.num != last + 1:
                    self.doc.numbering.append(
                        Issue(
                            line.no,
                            f"item {_clip(c.text)} in {_clip(art.label)} follows item "
                            f"number {last} (expected {last + 1})",
                        )
                    )
                stack[depth][1] = c.num
                level = depth + 1
            self.item = ParsedItem(level, c.kind, c.num, line.no, c.text)
            art.items.append(self.item)

    def _implicit_chapter(self, line: int) -> None:
        self.chapter = ParsedChapter(0, line, "")
        self.chapter.sections.append(ParsedSection(0, line, ""))
        self.doc.chapters.append(self.chapter)
        self.doc.notes.append(
            Issue(
                line,
                "articles before any chapter heading: they are put in one chapter "
                "(the site shows it with a chapter number the source does not print)",
            )
        )

    def _check_order(self, what: str, c: Label, line: int, expected: int, last: int) -> None:
        if c.num == expected:
            return
        label = _clip(c.text)
        if c.num > expected:
            missing = f"{expected}" if c.num == expected + 1 else f"{expected} to {c.num - 1}"
            self.doc.numbering.append(
                Issue(line, f"gap: {what} {label} follows number {last} ({what} {missing} missing)")
            )
        else:
            self.doc.numbering.append(
                Issue(
                    line,
                    f"{what} {label} repeats or goes back (the previous {what} is number {last})",
                )
            )

    def _check_article(self, c: Label, line: int) -> None:
        label = _clip(c.text)
        lb, ls = self.last_base, self.last_sub
        if c.sub:
            if c.num != lb:
                self.doc.numbering.append(
                    Issue(
                        line,
                        f"inserted article {label} does not follow article {c.num} "
                        f"(the previous article is number {lb}" + (f"-{ls}" if ls else "") + ")",
                    )
                )
            elif c.sub != ls + 1:
                self.doc.numbering.append(
                    Issue(
                        line,
                        f"inserted article {label} follows {lb}"
                        + (f"-{ls}" if ls else "")
                        + f" (expected sub-number {ls + 1})",
                    )
                )
            return
        if c.num == lb + 1:
            return
        if c.num > lb + 1:
            missing = f"{lb + 1}" if c.num == lb + 2 else f"{lb + 1} to {c.num - 1}"
            self.doc.numbering.append(
                Issue(line, f"gap: article {label} follows number {lb} (article {missing} missing)")
            )
        else:
            self.doc.numbering.append(
                Issue(
                    line,
                    f"article {label} repeats or goes back (the previous article is number {lb})",
                )
            )

    def _finish_preamble(self) -> None:
        if not self.preamble:
            return
        chunks, self.preamble = self.preamble, []
        first = chunks[0]
        if (
            self.doc.title is None
            and len(first.text) <= 60
            and not any(ch in first.text for ch in "。；;")
        ):
            self.doc.title, self.doc.title_line = first.text, first.line
            chunks = chunks[1:]
        for ch in chunks:
            self.doc.unplaced.append(
                Issue(ch.line, f"text before the first chapter or article: 「{_short(ch.text)}」")
            )


REPEALED_RE = re.compile(r"^[（(]\s*(?:刪除|删除|deleted|repealed)\s*[）)][。.]?$", re.I)


def is_repealed(art: ParsedArticle) -> bool:
    """Whether the whole text of an article is （刪除） / (Deleted): repealed in place."""
    text = "".join(c.text for c in art.intro).strip(PAD)
    return not art.items and bool(REPEALED_RE.match(text))


def _clip(label: str) -> str:
    """A label without its inner spacing (第 1 條 -> 第1條; English keeps one space)."""
    if re.search(r"[A-Za-z]", label):
        return re.sub(r"\s+", " ", label).strip()
    return re.sub(rf"[{PAD}]+", "", label)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


# -- captions --------------------------------------------------------------------------


# Guessing where a caption ends when caption and text run together
# ("（一）目的本規章制度旨在…"): the caption must end with one of CAPTION_ENDINGS
# and the text must start with one of BODY_OPENERS; the longest opener wins.
# Guesses are listed in the report for the editor to check.
def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words, longest first (so the longest match wins)."""
    return tuple(sorted(set(text.split()), key=len, reverse=True))


CAPTION_ENDINGS = _words("""
    目的 宗旨 依據 範圍 范圍 原則 定義 階段 管理 職責 分工 架構 圖 流程 規劃 計劃 措施 安全 控制
    機制 策略 評估 激勵 培訓 發展 招聘 選拔 錄用 溝通 協作 執行 實施 上線 部署 測試 開發 維護 升級
    優化 反饋 處理 考核 監督 監控 預警 識別 應對 改進 提升 目標 方針 標準 規範 規范 要求 指南 概述
    說明 準備 籌備 調研 選型 驗收 總結 轉移 指標 周期 方式 通道 輪崗 加密 隔離 審計 恢復 備份 協議
    簽訂 報銷 審核 調整 編制 分析 節約 關係 系統 內容 服務 項目 活動 預算 成本 費用 演練 預案 報告
    創新 拓展 合作 建設 生效 解釋 責任 義務 權利 紀律 獎懲 處罰 獎勵 需求 計畫 制度 體系 程序 設計
    採購 收集 評價 檢查 保密 監測 運營 策劃 制定 跟進 經理 專員 分析員 設定 應用 會議 工具 風險 規避
    降低 接受 認證 索引 秘密 信息 支持 與支持 組織
""")
BODY_OPENERS = _words("""
    本規章制度 本規章 本管理辦法 本辦法 本制度 本規定 本細則 本準則 本運營 為了 為 根據 依據 按照
    依照 建立 制定 定期 負責 明確 嚴格 優化 針對 通過 採用 采用 採取 采取 強調 對於 對于 對 鼓勵
    關注 運用 跟蹤 與 組織 確保 涉及 持續 從 將 如因 在 包括 利用 保障 以 設立 清晰 提供 加強 及時
    實行 實施 結合 做好 開展 推動 遵守 遵循 由 各部門 每 凡 當 若 規範 規范 發生 協助 財務部門
    人力資源部門
""")
MAX_CAPTION = 16
_CAPTION_SEP = re.compile(
    rf"^(?P<cap>[^，,。；;：:、！？!?\s\u3000]{{1,{MAX_CAPTION}}})"
    rf"(?P<sep>\u3000+|\s{{2,}}|[ \t](?=[{CJK}]))(?P<rest>.+)$"
)
_CAPTION_COLON = re.compile(r"^(?P<cap>[^，,。；;：:、！？!?]{1,20}?)(?P<sep>[：:])(?P<rest>.*)$")
_CAPTION_PAREN = re.compile(r"^[（(](?P<cap>[^（）()，,。；;]{1,15})[）)][ \t\u3000]*(?P<rest>.*)$")


def guess_caption(text: str) -> tuple[str, str] | None:
    """``(caption, rest)`` where a caption ends and the text begins, or None.

    Each place where the text before ends with a caption ending and the text
    after starts with a body opener scores 2 per opener character plus the
    length of the ending; an opener that is itself a caption ending (實施,
    制定) scores 3 less, since it more likely belongs to the caption
    (培訓實施 | 採用…). The best score wins, the shorter caption on a tie. Text
    that itself starts with an opener (建立…, 根據…) has no caption.
    """
    lead = next((o for o in BODY_OPENERS if text.startswith(o)), "")
    if lead and lead not in CAPTION_ENDINGS:
        return None
    best: tuple[int, int] | None = None  # (score, position)
    for p in range(2, min(len(text), MAX_CAPTION + 1)):
        if text[p - 1] in PUNCT or text[p - 1].isspace():
            break
        rest = text[p:]
        opener = next((o for o in BODY_OPENERS if rest.startswith(o)), None)
        if opener is None or len(rest) < 2:
            continue
        cap = text[:p]
        ending = next((e for e in CAPTION_ENDINGS if cap.endswith(e)), None)
        if ending is None:
            continue
        score = len(opener) * 2 + len(ending) - (3 if opener in CAPTION_ENDINGS else 0)
        if best is None or score > best[0]:
            best = (score, p)
    if best is None:
        return None
    return text[: best[1]], text[best[1] :]


def _split_first(
    chunks: list[Chunk], style: str, lang: str, what: str, has_items: bool
) -> tuple[str | None, str, str | None]:
    """Find a caption at the start of an article or item: ``(caption, separator, how)``.

    Modifies ``chunks`` (the first chunk loses its caption).
    """
    if not chunks:
        return None, "", None
    if chunks[0].new_line:
        # the label alone on its line, then a caption alone in brackets: (小型電業之定義)
        m = _CAPTION_PAREN.match(chunks[0].text) if lang != "en" else None
        if not (what == "article" and m and not m["rest"].strip(PAD) and len(chunks) > 1):
            return None, "", None
    first = chunks[0]
    text = first.text
    more = len(chunks) > 1
    result: tuple[str, str, str, str] | None = None  # caption, sep, rest, how
    if lang == "en":
        m = re.match(r"^[(（](?P<cap>[^()]{1,60})[)）]\s*(?P<rest>.*)$", text)
        if what == "article" and m:
            result = (m["cap"], "", m["rest"], "paren")
        elif (
            what == "article"
            and (more and chunks[1].new_line or not more and has_items)
            and len(text) <= 80
            and not text.endswith((".", ";", ",", ":"))
        ):
            result = (text, "", "", "heading")
        elif what == "item":
            m = re.match(r"^(?P<cap>[A-Z][^.:;]{0,50}?)(?P<sep>:|\s[–—-])\s+(?P<rest>.+)$", text)
            if m:
                result = (m["cap"], m["sep"].strip(), m["rest"], "colon")
    else:
        m = _CAPTION_PAREN.match(text)
        short_heading = (
            len(text) <= (12 if style == "chapter-article" else MAX_CAPTION)
            and not any(ch in text for ch in PUNCT)
            and not any(ch.isspace() for ch in text.strip())
        )
        if what == "article" and m and (m["rest"] or more or has_items):
            result = (m["cap"].strip(PAD), "", m["rest"], "paren")
        elif what == "article" and short_heading and more and chunks[1].new_line:
            result = (text, "", "", "heading")
        elif what == "article" and style == "outline" and short_heading and not more and has_items:
            result = (text, "", "", "heading")
        elif style == "outline" or what == "item":
            m = _CAPTION_COLON.match(text)
            if m and m["rest"].strip(PAD):
                result = (m["cap"].strip(PAD), m["sep"], m["rest"].strip(PAD), "colon")
            elif style == "outline":
                m = _CAPTION_SEP.match(text)
                if m:
                    result = (m["cap"], "", m["rest"].strip(PAD), "space")
                else:
                    g = guess_caption(text)
                    if g:
                        result = (g[0], "", g[1], "guess")
    if result is None:
        return None, "", None
    cap, sep, rest, how = result
    if not rest and not more and not has_items:
        return None, "", None  # nothing would be left as text
    if rest:
        chunks[0] = Chunk(rest, first.line, False, first.blank_before)
    else:
        del chunks[0]
        if chunks:
            chunks[0] = Chunk(chunks[0].text, chunks[0].line, False, chunks[0].blank_before)
    return cap, sep, how


def _captions(doc: ParsedDoc) -> None:
    for art in doc.articles:
        art.caption, _, art.caption_how = _split_first(
            art.intro, doc.style, doc.lang, "article", bool(art.items)
        )
        if art.caption and doc.lang != "en":
            art.caption = tidy_title(art.caption)
        for item in (i for i in art.items if i.level):
            item.caption, item.caption_sep, item.caption_how = _split_first(
                item.chunks, doc.style, doc.lang, "item", False
            )


# -- parsing a whole text -------------------------------------------------------------


def detect_style(lines: list[SourceLine]) -> str:
    """``chapter-article`` when 第…條 labels begin units, ``outline`` otherwise."""
    strong = 0
    outline = 0
    for ln in lines:
        for c in scan_labels(ln.text, ("zh-article", "cn-dun", "cn-paren")):
            before = ln.text[: c.start].rstrip(PAD)
            starts = not before or before[-1] in END_SENT
            if c.kind == "zh-article" and starts:
                strong += 1
            elif c.kind != "zh-article" and starts:
                outline += 1
    return "chapter-article" if strong >= 2 or (strong and not outline) else "outline"


def parse_text(
    text: str,
    *,
    lang: str = DEFAULT_LANGUAGE,
    style: str | None = None,
    clean_scrape_noise: bool = False,
    fix_trad: bool = False,
    fullwidth: bool = False,
) -> ParsedDoc:
    """Clean ``text`` and parse it into chapters, sections, articles and items."""
    if style is not None and style not in STYLES:
        raise ImportFailure(
            f"unknown numbering style '{style}' (expected one of: {', '.join(STYLES)})"
        )
    clean = CleanResult([])
    lines = split_lines(text)
    if clean_scrape_noise:
        lines = clean_scrape(lines, clean)
    lines = clean_layout(lines, clean, is_structural if lang != "en" else None)
    find_suspicious(lines, clean)
    clean.lines = lines
    detected = style is None
    if style is None:
        style = detect_style(lines) if lang != "en" else "chapter-article"

    def fix(t: str, line: int) -> tuple[str, list[Fix]]:
        fixes: list[Fix] = []
        if fix_trad:
            t, f = fix_traditional(t, line)
            fixes += f
        if fullwidth:
            t, f = fullwidth_punct(t, line)
            fixes += f
        return t, fixes

    parser = _Parser(GRAMMARS[(lang, style)], fix if (fix_trad or fullwidth) else None)
    doc = parser.feed(lines)
    doc.style_detected = detected
    doc.clean = clean
    if doc.title is None and clean.page_title:
        doc.title = clean.page_title
    if doc.title is None and clean.header_texts:
        doc.title = clean.header_texts[0]
        doc.notes.append(Issue(0, f"title taken from the running header 「{doc.title}」"))
    if doc.title:
        doc.title = tidy_title(doc.title)
    for ch in doc.chapters:
        ch.title = tidy_title(ch.title)
        for sec in ch.sections:
            sec.title = tidy_title(sec.title)
    _captions(doc)
    _truncation(doc)
    return doc


def tidy_title(text: str) -> str:
    """Drop typographic spacing between Chinese characters in a heading (總　則 -> 總則)."""
    return re.sub(rf"(?<=[{CJK}])[{PAD}]+(?=[{CJK}])", "", text.strip(PAD))


def _unit_text(art: ParsedArticle) -> str:
    if art.items:
        last = art.items[-1]
        return last.chunks[-1].text if last.chunks else last.caption or ""
    return art.intro[-1].text if art.intro else (art.caption or "")


def _truncation(doc: ParsedDoc) -> None:
    """Notice a source that stops mid-sentence; drop an empty last item."""
    arts = doc.articles
    if not arts:
        return
    last = arts[-1]
    empty_item = bool(last.items) and not last.items[-1].chunks and not last.items[-1].caption
    if empty_item:
        item = last.items.pop()
        doc.notes.append(
            Issue(
                item.line,
                f"the last item label {_clip(item.label)} of {_clip(last.label)} "
                "has no text: dropped",
            )
        )
    tail = _unit_text(last)
    if empty_item or not tail or tail[-1] not in END_TEXT:
        last.truncated = True
        doc.truncated = last
        doc.truncated_tail = tail[-12:]


# -- ids ------------------------------------------------------------------------------

# Well-known captions and chapter titles: (id word, English title). Used for the
# English chapter titles when no English text is given, and for ids with ids="caption".
KNOWN_TITLES: dict[str, tuple[str, str]] = {
    "總則": ("general", "General Provisions"),
    "附則": ("supplementary", "Supplementary Provisions"),
    "罰則": ("penalties", "Penalties"),
    "目的": ("purpose", "Purpose"),
    "立法目的": ("purpose", "Purpose"),
    "宗旨": ("purpose", "Purpose"),
    "適用範圍": ("scope", "Scope"),
    "適用范圍": ("scope", "Scope"),
    "範圍": ("scope", "Scope"),
    "基本原則": ("principles", "Basic Principles"),
    "原則": ("principles", "Principles"),
    "定義": ("definitions", "Definitions"),
    "用語定義": ("definitions", "Definitions"),
    "名詞定義": ("definitions", "Definitions"),
    "職責": ("responsibilities", "Responsibilities"),
    "組織架構": ("organisational-structure", "Organisational Structure"),
    "組織架構與職責": (
        "organisation-and-responsibilities",
        "Organisational Structure and Responsibilities",
    ),
    "法律責任": ("legal-liability", "Legal Liability"),
    "獎懲": ("rewards-and-penalties", "Rewards and Penalties"),
    "解釋": ("interpretation", "Interpretation"),
    "解釋權": ("interpretation", "Interpretation"),
    "施行日期": ("entry-into-force", "Entry into Force"),
    "生效日期": ("entry-into-force", "Entry into Force"),
    "施行": ("entry-into-force", "Entry into Force"),
}


def _assign_ids(doc: ParsedDoc, mode: str) -> None:
    used: set[str] = set()

    def unique(base: str) -> str:
        assert ID_RE.match(base) and not base.startswith(RESERVED_PREFIXES), base
        cand, n = base, 2
        while cand in used:
            cand = f"{base}-{n}"
            n += 1
        used.add(cand)
        return cand

    nch = len(doc.chapters)
    cw = len(str(nch)) if nch >= 10 else 1
    arts = doc.articles
    aw = max(3, len(str(max((a.num for a in arts), default=1))))
    for ci, ch in enumerate(doc.chapters, start=1):
        word = KNOWN_TITLES.get(ch.title, ("", ""))[0] if mode == "caption" else ""
        ch.id = unique(word or ("main" if ch.num == 0 and nch == 1 else f"c{ci}"))
        si = 0
        for sec in ch.sections:
            if sec.num:
                si += 1
                sec.id = unique(f"{ch.id}-s{si}")
    for ci, ch in enumerate(doc.chapters, start=1):
        for art in ch.articles:
            word = KNOWN_TITLES.get(art.caption or "", ("", ""))[0] if mode == "caption" else ""
            if doc.style == "outline":
                base = f"a{ci:0{cw}d}-{art.num:02d}"
            else:
                base = f"a{art.num:0{aw}d}"
            if art.sub:
                base += f"-{art.sub}"
            chosen = word if word and word not in used else base
            art.id = unique(chosen)


# -- English alignment ------------------------------------------------------------------


def _key(doc: ParsedDoc, art: ParsedArticle) -> tuple[int, ...]:
    return (art.chapter_num, art.num, art.sub) if doc.style == "outline" else (art.num, art.sub)


@dataclass
class Alignment:
    english: ParsedDoc
    matched: dict[str, ParsedArticle]  # Chinese article id -> English article
    missing: list[ParsedArticle]  # Chinese articles without English
    extra: list[ParsedArticle]  # English articles without Chinese
    chapter_titles: dict[str, str]  # Chinese chapter id -> English title
    section_titles: dict[str, str]


def align_english(zh: ParsedDoc, en_text: str, clean_scrape_noise: bool = False) -> Alignment:
    """Parse ``en_text`` in the style of ``zh`` and match articles by number."""
    en = parse_text(en_text, lang="en", style=zh.style, clean_scrape_noise=clean_scrape_noise)
    by_key: dict[tuple[int, ...], ParsedArticle] = {}
    for art in en.articles:
        if _key(en, art) in by_key:
            en.numbering.append(
                Issue(art.line, f"English {_clip(art.label)} appears twice; the first is used")
            )
            continue
        by_key[_key(en, art)] = art
    matched: dict[str, ParsedArticle] = {}
    missing: list[ParsedArticle] = []
    used: set[tuple[int, ...]] = set()
    for art in zh.articles:
        k = _key(zh, art)
        if k in by_key and not (by_key[k].intro or by_key[k].items):
            en.notes.append(
                Issue(by_key[k].line, f"English {_clip(by_key[k].label)} has no text: not used")
            )
            used.add(k)
            missing.append(art)
        elif k in by_key and k not in used:
            matched[art.id] = by_key[k]
            used.add(k)
        else:
            missing.append(art)
    extra = [a for k, a in by_key.items() if k not in used]
    en_chapters = {c.num: c for c in en.chapters}
    chapter_titles = {
        c.id: en_chapters[c.num].title
        for c in zh.chapters
        if c.num in en_chapters and en_chapters[c.num].title
    }
    section_titles: dict[str, str] = {}
    for c in zh.chapters:
        ec = en_chapters.get(c.num)
        if ec is None:
            continue
        esecs = {s.num: s for s in ec.sections if s.num}
        for s in c.sections:
            if s.num and s.num in esecs and esecs[s.num].title:
                section_titles[s.id] = esecs[s.num].title
    return Alignment(en, matched, missing, extra, chapter_titles, section_titles)


# -- Markdown ---------------------------------------------------------------------------


def _paragraphs(chunks: list[Chunk], lang: str) -> list[str]:
    paras: list[str] = []
    cur = ""
    for ch in chunks:
        if not cur:
            cur = ch.text
            continue
        if lang == "en":  # a blank line, or a new line after a finished sentence
            brk = ch.new_line and (ch.blank_before or cur[-1] in EN_END_PARA)
        else:
            brk = ch.new_line and cur[-1] in END_PARA
        if brk:
            paras.append(cur)
            cur = ch.text
        else:
            spaced = lang == "en" or (
                cur[-1].isascii()
                and cur[-1].isalnum()
                and ch.text[0].isascii()
                and ch.text[0].isalnum()
            )
            cur = cur + (" " if spaced else "") + ch.text
    if cur:
        paras.append(cur)
    return paras


_MD_INLINE = re.compile(r"([\\`*_{}])|\[\[|<(?=[A-Za-z/!?])")


def escape_md(text: str) -> str:
    """Escape what Markdown would read as markup in plain regulation text."""

    def inline(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "[[":
            return "\\[\\["
        if s == "<":
            return "&lt;"
        return "\\" + s

    text = _MD_INLINE.sub(inline, text)
    m = re.match(r"^(\d+)([.)])(\s|$)", text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end(2) :]}"
    if text[:1] in "#>+-=|":
        return "\\" + text
    return text


def _item_lead(item: ParsedItem, lang: str) -> str:
    if not item.caption:
        return ""
    sep = item.caption_sep or ("：" if lang != "en" else ":")
    if lang == "en" and sep not in (":",):
        sep = " " + sep if sep else ":"
    return f"**{escape_md(item.caption)}**{sep}" + (" " if lang == "en" else "")


def body_markdown(art: ParsedArticle, lang: str) -> str:
    """The article body: intro paragraphs, then items as (nested) ordered lists."""
    out: list[str] = [escape_md(p) for p in _paragraphs(art.intro, lang)]
    if art.items:
        paras_by_item = [_paragraphs(i.chunks, lang) for i in art.items]
        loose = any(len(p) > 1 for p in paras_by_item)
        lines: list[str] = []
        counters: list[int] = []
        for item, paras in zip(art.items, paras_by_item, strict=True):
            if item.level == 0:  # a paragraph after a list ends the list
                out.append("\n".join(lines))
                out.extend(escape_md(p) for p in paras)
                lines, counters = [], []
                continue
            depth = item.level
            del counters[depth:]
            while len(counters) < depth:
                counters.append(0)
            counters[depth - 1] += 1
            indent = "    " * (depth - 1)
            lead = _item_lead(item, lang)
            first = escape_md(paras[0]) if paras else ""
            if loose and lines:
                lines.append("")
            lines.append(f"{indent}{counters[depth - 1]}. {lead}{first}".rstrip())
            for p in paras[1:]:
                lines.append("")
                lines.append(f"{indent}    {escape_md(p)}")
        if lines:
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


# References typed as numbers, turned into [[id]] references with link_references.
_ZH_REF = re.compile(
    rf"第{SP}(?P<n>{NUM}){SP}(?:[-－]{SP}(?P<s1>\d+){SP})?條(?:{SP}之{SP}(?P<s>{NUM}))?"
)
_EN_REF = re.compile(
    r"(?<![A-Za-z])Article\s+(?P<n>\d+)(?:-(?P<s>\d+))?\b(?!\s+of\s+(?:the|a|an)\b)"
    r"(?!\s+(?:before|prior\s+to)\s+(?:the\s+|its\s+)?amendment)"
)
# "Articles 22 through 26", "Articles 53 and 55", "Articles 3, 5 and 7"
_EN_NUM = r"\d+(?:-\d+)?"
_EN_REFS = re.compile(
    rf"(?<![A-Za-z])Articles\s+(?P<list>{_EN_NUM}(?:\s*(?:,|and|or|through|to)\s*{_EN_NUM})+)\b"
    r"(?!\s+of\s+(?:the|a|an)\b)"
)
# the law's own former text (修正前第十九條) or an act named in brackets before (本法）第三條)
_ZH_FORMER = re.compile(r"(?:修正前|修正施行前|原)$")
_ZH_NAMED = re.compile(r"[（(]以下簡稱[^）)]*[）)]$")
# A reference right after the name of another law or regulation is left alone
# (勞動基準法第五條, 《…》第五條), unless the name is 本… ("this": 本辦法第五條).
_LAW_SUFFIXES = ("條例", "規則", "辦法", "細則", "準則", "規程", "章程", "規定", "制度", "法")


def _link_references(
    doc: ParsedDoc, art: ParsedArticle, body: str, lang: str, id_by_key: dict[tuple[int, int], str]
) -> str:
    """Replace references to articles of this regulation (第三條, Article 3) with ``[[id]]``."""
    if doc.style != "chapter-article":
        return body

    def sub(m: re.Match[str]) -> str:
        try:
            sub_no = m["s"] or (m.groupdict().get("s1") or "")
            key = (_number(m["n"]), _number(sub_no) if sub_no else 0)
        except ValueError:
            return m.group(0)
        target = id_by_key.get(key)
        if target is None:
            return m.group(0)
        if lang != "en":
            before = body[max(0, m.start() - 20) : m.start()].rstrip(PAD)
            if before.endswith(("》", "〉")) or _ZH_FORMER.search(before):
                return m.group(0)
            if _ZH_NAMED.search(before):  # 證券交易法（以下簡稱本法）第三十六條: another act
                return m.group(0)
            suffix = next((x for x in _LAW_SUFFIXES if before.endswith(x)), None)
            if suffix and not before.endswith("本" + suffix):
                return m.group(0)
        doc.links.append(
            Issue(
                art.line,
                f"{_display_label(doc, art) if lang != 'en' else _clip(art.label)}: "
                f"「{m.group(0)}」 -> [[{target}]]",
            )
        )
        return f"[[{target}]]"

    if lang == "en":
        body = _EN_REFS.sub(lambda m: _link_english_list(m, id_by_key), body)
    return (_EN_REF if lang == "en" else _ZH_REF).sub(sub, body)


def _link_english_list(m: re.Match[str], id_by_key: dict[tuple[int, int], str]) -> str:
    """Articles 22 through 26 -> [[a022]] through [[a026]] (each renders as Article N)."""
    nums = re.findall(_EN_NUM, m["list"])
    keys = [(int(n.split("-")[0]), int(n.split("-")[1]) if "-" in n else 0) for n in nums]
    if not all(k in id_by_key for k in keys):
        return m.group(0)
    out = m["list"]
    for n, k in zip(nums, keys, strict=True):
        out = re.sub(rf"(?<![\d\[-]){re.escape(n)}(?![\d-])", f"[[{id_by_key[k]}]]", out, count=1)
    return out


# -- YAML ---------------------------------------------------------------------------------

_YAML_PLAIN_BAD = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[:#]\s|\s#|:$|\s$|[,\[\]{}]")


def yaml_str(value: str) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    plain_ok = (
        value != ""
        and "\n" not in value
        and not _YAML_PLAIN_BAD.search(value)
        and _safe_load(value) == value
    )
    if plain_ok:
        return value
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{out}"'


def _safe_load(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _front_matter(fields: list[tuple[str, Any]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
            else:
                lines.append(f"{key}:")
                lines.extend(f"  - {yaml_str(v)}" for v in value)
        else:
            lines.append(f"{key}: {yaml_str(str(value))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# -- the import ----------------------------------------------------------------------------


@dataclass
class ImportOptions:
    reg_id: str
    code: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    owner: str = "all-employees"
    version: str = "1.0"
    effective: dt.date | None = None  # default: today
    style: str | None = None  # None: detect
    ids: str = "number"
    clean_scrape: bool = False
    fix_traditional: bool = False
    fullwidth_punct: bool = False
    drop_incomplete: bool = False
    link_references: bool = False  # 第三條 / Article 3 in the text -> [[a003]]
    roles_yml: str | None = None  # text of docs/roles.yml: suggest each article's roles
    source_name: str | None = None
    english_name: str | None = None
    accept_anomalies: bool = False  # write despite anomalies; record them in the manifest


@dataclass
class ImportResult:
    doc: ParsedDoc
    options: ImportOptions
    files: dict[str, str]  # file name inside the regulation folder -> text
    alignment: Alignment | None
    placeholders: list[str]  # titles still in Chinese on the English side
    title_zh: str
    title_en: str

    anomalies: list[Anomaly] = field(default_factory=list)

    def report(self) -> str:
        return format_report(self)


def _check_id(value: str, what: str) -> None:
    if not ID_RE.match(value) or value.startswith(RESERVED_PREFIXES):
        raise ImportFailure(
            f"invalid {what} '{value}' (expected lower-case letters, digits and hyphens, "
            f"not starting with {', '.join(RESERVED_PREFIXES)}, e.g. 'leave-policy')"
        )


def import_text(zh_text: str, options: ImportOptions, en_text: str | None = None) -> ImportResult:
    """Parse a Chinese regulation (and optionally its English text) into regulation files."""
    _check_id(options.reg_id, "regulation id")
    if options.ids not in ID_MODES:
        raise ImportFailure(
            f"unknown id scheme '{options.ids}' (expected one of: {', '.join(ID_MODES)})"
        )
    doc = parse_text(
        zh_text,
        style=options.style,
        clean_scrape_noise=options.clean_scrape,
        fix_trad=options.fix_traditional,
        fullwidth=options.fullwidth_punct,
    )
    if not doc.articles:
        where = "".join(f"\n  line {i.line}: {i.message}" for i in doc.unplaced[:10])
        raise ImportFailure(
            f"{options.source_name or 'the source'}: no articles found (expected labels such as "
            f"第一條 … or 一、 … （一） … at the start of a line){where}"
        )
    if options.drop_incomplete and doc.truncated is not None:
        _drop_last_article(doc)
    _empty_articles(doc)
    _trailing_empty_chapters(doc)
    anomalies = find_anomalies(doc.numbering, doc.empty)
    if anomalies and not options.accept_anomalies:
        raise ImportFailure(format_anomalies(anomalies, options.source_name or "source"))
    doc.accepted = anomalies
    _assign_ids(doc, options.ids)
    alignment = align_english(doc, en_text, options.clean_scrape) if en_text is not None else None
    title_zh = options.title_zh or doc.title or options.reg_id
    placeholders: list[str] = []
    title_en = options.title_en or (
        alignment.english.title if alignment and alignment.english.title else ""
    )
    if not title_en:
        title_en = KNOWN_TITLES.get(title_zh, ("", title_zh))[1]
        placeholders.append(f"regulation title 「{title_zh}」")
    files = _build_files(doc, options, alignment, title_zh, title_en, placeholders)
    if options.roles_yml is not None and _suggest_roles(doc, options, files):
        files = _build_files(doc, options, alignment, title_zh, title_en, [])
    return ImportResult(doc, options, files, alignment, placeholders, title_zh, title_en, anomalies)


def _suggest_roles(doc: ParsedDoc, options: ImportOptions, files: dict[str, str]) -> bool:
    """Fill each article's ``roles`` with the roles its text names next to a duty word.

    Uses the validator's own rule (:func:`compendium.roles.undeclared_duties`),
    so an imported article starts without "undeclared role" warnings; the
    editor checks the suggestions (the report lists them).
    """
    try:
        from .loader import load
        from .roles import undeclared_duties
        from .tree import MemoryTree
    except ImportError:  # pragma: no cover - the roles module is optional here
        return False
    tree = {f"regulations/{options.reg_id}/{name}": text for name, text in files.items()}
    tree["roles.yml"] = options.roles_yml or ""
    comp, _problems = load(MemoryTree(tree))
    by_id = {a.id: a for a in doc.articles}
    changed = False
    for art, _lang, rid in undeclared_duties(comp):
        parsed = by_id.get(art.id)
        if parsed is not None and rid not in parsed.roles:
            parsed.roles.append(rid)
            changed = True
    return changed


def _drop_last_article(doc: ParsedDoc) -> None:
    for ch in reversed(doc.chapters):
        for sec in reversed(ch.sections):
            if sec.articles:
                doc.dropped_article = sec.articles.pop()
                doc.truncated = None
                return


def _empty_articles(doc: ParsedDoc) -> None:
    for art in doc.articles:
        if not art.intro and not art.items:
            if art.caption:
                art.intro.append(Chunk(art.caption, art.line, False))
                art.caption = art.caption_how = None
            else:
                doc.empty.append(Issue(art.line, f"article {_clip(art.label)} has no text"))
                doc.notes.append(
                    Issue(
                        art.line,
                        f"{_clip(art.label)} has no text: written as the placeholder "
                        "「[原文無條文內容]」 (check whether it is a reference at the start "
                        "of a line rather than an article)",
                    )
                )
                art.intro.append(Chunk("[原文無條文內容]", art.line, False))


def _trailing_empty_chapters(doc: ParsedDoc) -> None:
    while doc.chapters and not doc.chapters[-1].articles and len(doc.chapters) > 1:
        ch = doc.chapters.pop()
        doc.notes.append(
            Issue(
                ch.line,
                f"chapter {_clip(ch.label)} {ch.title} at the end has no articles: left out",
            )
        )
    for ch in doc.chapters:
        if not ch.articles:
            doc.notes.append(
                Issue(ch.line, f"chapter {_clip(ch.label)} {ch.title} has no articles")
            )
        if ch.has_sections and ch.sections[0].num == 0 and ch.sections[0].articles:
            lead = ch.sections.pop(0)
            first = next(s for s in ch.sections if s.num)
            first.articles[:0] = lead.articles
            doc.notes.append(
                Issue(
                    lead.articles[0].line,
                    f"articles of chapter {_clip(ch.label)} before its first "
                    f"section are put in {_clip(first.label)}",
                )
            )
        elif ch.has_sections:
            ch.sections = [s for s in ch.sections if s.num]


def _section_ids(ch: ParsedChapter) -> list[ParsedSection]:
    return [s for s in ch.sections if s.num] if ch.has_sections else ch.sections


def _editorial(art: ParsedArticle) -> list[str]:
    notes: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for f in art.fixes:
        if f.kind == "traditional":
            seen[(f.old, f.new)] = seen.get((f.old, f.new), 0) + 1
    for (old, new), n in seen.items():
        times = f"（{n}處）" if n > 1 else ""
        notes.append(f"原文「{old}」為機器轉換遺留的簡體字，已改為「{new}」{times}。")
    return notes


def _build_files(
    doc: ParsedDoc,
    opt: ImportOptions,
    al: Alignment | None,
    title_zh: str,
    title_en: str,
    placeholders: list[str],
) -> dict[str, str]:
    files: dict[str, str] = {}
    effective = opt.effective or dt.date.today()
    m: list[str] = [
        "---",
        "compendium: regulation",
        f"id: {opt.reg_id}",
        f"code: {yaml_str(opt.code or opt.reg_id.upper())}",
        "title:",
        f"  zh-Hant: {yaml_str(title_zh)}",
        f"  en: {yaml_str(title_en)}",
        f"owner: {yaml_str(opt.owner)}",
        f'version: "{opt.version}"',
        f"effective: {effective.isoformat()}",
        f"numbering: {doc.style}",
    ]
    truncated = _truncation_text(doc)
    if opt.source_name or truncated:
        m.append("source:")
        if opt.source_name:
            m.append(f"  file: {yaml_str(opt.source_name)}")
        if truncated:
            m.append(f"  truncated: {yaml_str(truncated)}")
    notes_zh, notes_en = _manifest_notes(doc, opt)
    if notes_zh:
        m.append("notes:")
        m.append("  zh-Hant:")
        m.extend(f"    - {yaml_str(n)}" for n in notes_zh)
        m.append("  en:")
        m.extend(f"    - {yaml_str(n)}" for n in notes_en)
    m.append("chapters:")

    def en_title(zh_title: str, what: str, known: str | None) -> str:
        if known:
            return known
        if zh_title in KNOWN_TITLES:
            return KNOWN_TITLES[zh_title][1]
        placeholders.append(f"{what} 「{zh_title}」")
        return zh_title

    def article_entries(arts: list[ParsedArticle], indent: str) -> list[str]:
        out: list[str] = []
        for art in arts:
            note = f"  # {_clip(art.label)}, line {art.line}"
            if art.inserted or is_repealed(art):
                out.append(f"{indent}- id: {art.id}{note}")
                if art.inserted:
                    out.append(f"{indent}  inserted: true")
                if is_repealed(art):
                    out.append(f"{indent}  repealed: {effective.isoformat()}")
            else:
                out.append(f"{indent}- {art.id}{note}")
        return out

    for ch in doc.chapters:
        zh_t = ch.title or title_zh
        m.append(
            f"  - id: {ch.id}" + (f"  # {_clip(ch.label)}, line {ch.line}" if ch.label else "")
        )
        what = f"chapter {_clip(ch.label)}" if ch.label else "the single chapter"
        en_t = en_title(zh_t, what, al.chapter_titles.get(ch.id) if al else None)
        m.append(f"    title: {{zh-Hant: {yaml_str(zh_t)}, en: {yaml_str(en_t)}}}")
        if ch.sub:
            m.append("    inserted: true")
        if ch.has_sections:
            m.append("    sections:")
            for sec in _section_ids(ch):
                zs = sec.title or _clip(sec.label)
                es = en_title(
                    zs, f"section {_clip(sec.label)}", al.section_titles.get(sec.id) if al else None
                )
                m.append(f"      - id: {sec.id}  # {_clip(sec.label)}, line {sec.line}")
                m.append(f"        title: {{zh-Hant: {yaml_str(zs)}, en: {yaml_str(es)}}}")
                m.append("        articles:")
                m.extend(article_entries(sec.articles, "          "))
        else:
            arts = ch.articles
            if arts:
                m.append("    articles:")
                m.extend(article_entries(arts, "      "))
            else:
                m.append("    articles: []")
    m.append("---")
    files["index.md"] = "\n".join(m) + "\n"

    id_by_key: dict[tuple[int, int], str] = {}
    for art in doc.articles:
        id_by_key.setdefault((art.num, art.sub), art.id)
    doc.links.clear()
    for art in doc.articles:
        body = body_markdown(art, "zh-Hant")
        if opt.link_references:
            body = _link_references(doc, art, body, "zh-Hant", id_by_key)
        fields: list[tuple[str, Any]] = [
            ("id", art.id),
            ("caption", art.caption),
            ("roles", art.roles),
        ]
        editorial = _editorial(art)
        if editorial:
            fields.append(("editorial", editorial))
        if art.truncated:
            fields.append(("truncated", True))
        files[f"{art.id}.zh-Hant.md"] = _front_matter(fields) + body
        if al is not None and art.id in al.matched:
            en_art = al.matched[art.id]
            en_body = body_markdown(en_art, "en")
            if opt.link_references:
                en_body = _link_references(doc, en_art, en_body, "en", id_by_key)
            zh_text = ArticleText("zh-Hant", "", art.caption, body.strip("\n"), 0, {})
            en_fields: list[tuple[str, Any]] = [
                ("id", art.id),
                ("caption", en_art.caption),
                ("translates", text_hash(zh_text)),
            ]
            if art.truncated:
                en_fields.append(("truncated", True))
            files[f"{art.id}.en.md"] = _front_matter(en_fields) + en_body
    return files


def _truncation_text(doc: ParsedDoc) -> str | None:
    if doc.dropped_article is not None:
        art = doc.dropped_article
        kept = doc.articles[-1] if doc.articles else None
        end = f"; the regulation ends at {_display_label(doc, kept)}" if kept else ""
        return (
            f"The source breaks off in {_display_label(doc, art)} "
            f"(line {art.line}); that incomplete "
            f"article was left out{end}."
        )
    if doc.truncated is not None:
        art = doc.truncated
        return (
            f"The source breaks off in {_display_label(doc, art)} (line {art.line}) "
            f"after 「{doc.truncated_tail}」; "
            "the article is kept as far as it goes and marked truncated."
        )
    return None


def _manifest_notes(doc: ParsedDoc, opt: ImportOptions) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    clean = doc.clean
    if opt.clean_scrape and clean is not None:
        zh.append(
            "本規章據網頁預覽文本匯入：已刪除頁面清單、預覽及下載提示、版權說明、網站提示、評論框、"
            "「PAGE」前綴及正文中括號內的拼音注音。"
        )
        en.append(
            "Imported from a scraped web preview: the page list, preview and download notices, the "
            "copyright notice, site tips, "
            'the comment box, the "PAGE" prefix and the pinyin annotations '
            "in brackets were removed."
        )
    if any(f.kind == "traditional" for a in doc.articles for f in a.fixes) or any(
        f.kind == "traditional" for f in doc.fixes
    ):
        zh.append(
            "機器轉換遺留的簡體字已依固定對照表改為繁體字（如「規范」改為「規範」），各條的編輯附註逐一列明。"
        )
        en.append(
            "Simplified characters left over by a machine conversion "
            "were replaced by their Traditional "
            "forms from a fixed table (for example 規范 became 規範); "
            "each article's editorial notes list "
            "the replacements."
        )
    title_fixes: dict[tuple[str, str], int] = {}
    for f in doc.fixes:
        if f.kind == "traditional":
            title_fixes[(f.old, f.new)] = title_fixes.get((f.old, f.new), 0) + 1
    if title_fixes:
        listed = "、".join(
            f"「{o}」改為「{n}」" + (f"（{k}處）" if k > 1 else "")
            for (o, n), k in title_fixes.items()
        )
        zh.append(f"標題中機器轉換遺留的簡體字：{listed}。")
        en.append(
            "Leftover simplified characters in titles: "
            + ", ".join(
                f"{o} -> {n}" + (f" ({k} times)" if k > 1 else "")
                for (o, n), k in title_fixes.items()
            )
            + "."
        )
    acc_zh, acc_en = anomaly_notes(doc.accepted, opt.source_name or "source")
    zh += acc_zh
    en += acc_en
    if opt.fullwidth_punct and any(f.kind == "punctuation" for f in doc.all_fixes()):
        zh.append("原文的半形標點（, : ; ( )）已改為全形中文標點（，：；（））。")
        en.append(
            "The half-width punctuation of the source (, : ; ( )) "
            "was normalised to full-width Chinese "
            "punctuation (，：；（）)."
        )
    return zh, en


# -- the report -----------------------------------------------------------------------------


def _labels_zh(doc: ParsedDoc) -> tuple[str, str]:
    arts = doc.articles
    if not arts:
        return "", ""

    def lab(a: ParsedArticle) -> str:
        return _display_label(doc, a)

    return lab(arts[0]), lab(arts[-1])


def _display_label(doc: ParsedDoc, a: ParsedArticle) -> str:
    """The label as the site would print the source number (第十條之一, 一（三））."""
    num = Number(doc.style, a.chapter_num, a.num, a.sub)
    if doc.style == "outline":
        return (
            f"{chinese(a.chapter_num)}、" + article_label(num, "zh-Hant")
            if a.chapter_num
            else article_label(num, "zh-Hant")
        )
    return article_label(num, "zh-Hant")


def site_mismatches(doc: ParsedDoc) -> list[tuple[ParsedArticle, str, str]]:
    """Articles whose number on the site would differ from the source: (article, source, site)."""
    reg = to_regulation(doc)
    numbering = number_regulation(reg)
    out: list[tuple[ParsedArticle, str, str]] = []
    for ci, ch in enumerate(doc.chapters, start=1):
        for art in ch.articles:
            src = Number(doc.style, ci, art.num, art.sub)
            site = numbering.articles[art.id]
            if (site.base, site.sub) != (src.base, src.sub):
                out.append((art, article_label(src, "zh-Hant"), article_label(site, "zh-Hant")))
    return out


def to_regulation(doc: ParsedDoc, reg_id: str = "imported") -> Regulation:
    """A model regulation with the parsed structure (enough for numbering)."""
    chapters: list[Chapter] = []
    articles: dict[str, Article] = {}
    for ch in doc.chapters:
        secs = [
            Section(s.id if s.num else None, {"zh-Hant": s.title}, [a.id for a in s.articles])  # type: ignore[arg-type]
            for s in _section_ids(ch)
        ]
        chapters.append(Chapter(ch.id, {"zh-Hant": ch.title}, secs, ch.has_sections, bool(ch.sub)))
        for s in ch.sections:
            for a in s.articles:
                articles[a.id] = Article(a.id, reg_id, ch.id, s.id or None, a.inserted, {})
    return Regulation(
        reg_id, "", "", {}, "", "", dt.date(1970, 1, 1), doc.style, chapters, articles
    )


def format_report(res: ImportResult) -> str:
    doc = res.doc
    opt = res.options
    out: list[str] = []
    src = opt.source_name or "source"
    style = doc.style + (" (detected)" if doc.style_detected else " (as asked)")
    out.append(f"Imported 「{res.title_zh}」 from {src}: numbering {style}")
    chapters = doc.chapters
    if chapters:
        first = chapters[0]
        last = chapters[-1]
        rng = (
            f" ({_clip(first.label)} {first.title} … {_clip(last.label)} {last.title})"
            if first.label and len(chapters) > 1
            else ""
        )
        out.append(f"  chapters: {len(chapters)}{rng}")
    secs = [s for c in doc.chapters for s in c.sections if s.num]
    if secs:
        out.append(f"  sections: {len(secs)}")
    arts = doc.articles
    first_l, last_l = _labels_zh(doc)
    inserted = [a for a in arts if a.inserted]
    out.append(
        f"  articles: {len(arts)} ({first_l} … {last_l})"
        + (
            f", of which inserted: {len(inserted)} "
            f"({', '.join(_display_label(doc, a) for a in inserted)})"
            if inserted
            else ""
        )
    )
    items = doc.items()
    by_level: dict[int, int] = {}
    for it in items:
        by_level[it.level] = by_level.get(it.level, 0) + 1
    if items:
        out.append(
            "  items: " + ", ".join(f"{n} at level {lv}" for lv, n in sorted(by_level.items()))
        )
    caps = [a for a in arts if a.caption]
    guessed = [a for a in arts if a.caption_how == "guess"]
    item_caps = [i for i in items if i.caption]
    if caps or item_caps:
        out.append(f"  captions: {len(caps)} article(s), {len(item_caps)} item(s)")
    if guessed or any(i.caption_how == "guess" for i in items):
        out.append("Captions guessed where caption and text run together (check them):")
        for a in guessed:
            out.append(f"  line {a.line}: {_display_label(doc, a)} 「{a.caption}」")
        for a in arts:
            for i in a.items:
                if i.caption_how == "guess":
                    out.append(
                        f"  line {i.line}: {_display_label(doc, a)} "
                        f"item {_clip(i.label)} 「{i.caption}」"
                    )
    if doc.numbering:
        out.append("Numbering of the source:")
        out.extend(f"  line {i.line}: {i.message}" for i in doc.numbering)
    mism = site_mismatches(doc) if all(a.id for a in arts) else []
    if mism:
        out.append(
            "The site will number these differently from the source "
            "(fix the source numbering or accept):"
        )
        out.extend(f"  line {a.line}: source {s} is shown as {t}" for a, s, t in mism)
    if doc.unplaced:
        out.append("Lines that could not be placed (not imported):")
        out.extend(f"  line {i.line}: {i.message}" for i in doc.unplaced)
    if doc.notes:
        out.append("Notes:")
        out.extend(f"  line {i.line}: {i.message}" for i in doc.notes)
    if doc.truncated is not None or doc.dropped_article is not None:
        out.append("Truncated source: " + (_truncation_text(doc) or ""))
    clean = doc.clean
    if clean is not None:
        reasons = clean.dropped_by_reason()
        if reasons or clean.pinyin:
            parts = [f"{n} {r}" for r, n in sorted(reasons.items())]
            if clean.pinyin:
                parts.append(f"{len(clean.pinyin)} pinyin annotation(s)")
            out.append("Noise removed: " + ", ".join(parts))
        if clean.header_texts:
            out.append(
                "  running headers/footers: " + ", ".join(f"「{h}」" for h in clean.header_texts)
            )
        if clean.suspicious:
            out.append("Possible encoding damage (check against the original):")
            out.extend(f"  line {n}: 「{c}」" for n, c in clean.suspicious)
    fixes = [f for f in doc.all_fixes() if f.kind == "traditional"]
    if fixes:
        out.append(f"Traditional-character fixes ({len(fixes)}):")
        out.extend(f"  line {f.line}: {f.old} -> {f.new}  「{f.context}」" for f in fixes)
    if doc.links:
        out.append(f"References turned into [[id]] links ({len(doc.links)}):")
        out.extend(f"  line {i.line}: {i.message}" for i in doc.links)
    suggested = [a for a in arts if a.roles]
    if suggested:
        out.append(
            f"Roles filled in from the role registry (check them): {len(suggested)} article(s)"
        )
        out.extend(f"  {_display_label(doc, a)}: {', '.join(a.roles)}" for a in suggested)
    punct = [f for f in doc.all_fixes() if f.kind == "punctuation"]
    if punct:
        out.append(f"Punctuation made full-width: {len(punct)}")
    al = res.alignment
    if al is not None:
        out.append(
            f"English ({opt.english_name or 'English text'}): "
            f"{len(al.matched)} of {len(arts)} article(s) "
            f"matched, {len(al.english.chapters)} chapter(s) found"
        )
        if al.missing:
            out.append(
                "  articles without English: "
                + ", ".join(_display_label(doc, a) for a in al.missing)
            )
        if al.extra:
            out.append(
                "  English articles without Chinese: "
                + ", ".join(f"{_clip(a.label)} (line {a.line})" for a in al.extra)
            )
        for i in al.english.numbering:
            out.append(f"  English line {i.line}: {i.message}")
        for i in al.english.unplaced:
            out.append(f"  English line {i.line}: could not place: {i.message}")
    if res.placeholders:
        out.append(
            "English titles still in Chinese (translate them in the manifest): "
            + ", ".join(res.placeholders)
        )
    return "\n".join(out)


# -- writing ---------------------------------------------------------------------------------


def write_regulation(
    files: dict[str, str], docs: str | os.PathLike[str], reg_id: str, force: bool = False
) -> Path:
    """Write ``files`` as ``docs/regulations/<reg_id>/`` all at once.

    The files are written into a hidden temporary folder next to the target,
    which is renamed into place at the end; on any failure the temporary folder
    is removed and an existing regulation is left as it was. An existing folder
    is replaced only with ``force``.
    """
    _check_id(reg_id, "regulation id")
    docs = Path(docs)
    if problem := missing_docs(docs):
        raise ImportFailure(problem)
    parent = docs / "regulations"
    target = parent / reg_id
    if target.exists() and not force:
        raise ImportFailure(
            f"{target}: a regulation with this id already exists "
            "(choose another --id, or use --force to replace it)"
        )
    parent.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{reg_id}.importing-", dir=parent))
    old: Path | None = None
    try:
        for name, text in files.items():
            if "/" in name or name.startswith("."):
                raise ImportFailure(f"refusing to write '{name}' (expected a plain file name)")
            (tmp / name).write_text(text, encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{reg_id}.replaced-", dir=parent))
            os.rmdir(old)
            target.rename(old)
        try:
            tmp.rename(target)
        except BaseException:
            if old is not None:
                old.rename(target)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
