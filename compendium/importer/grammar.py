"""Label grammar of the importer: the label patterns, numerals and what each label kind means."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from compendium.numbering.numerals import parse_chinese, parse_roman

from .clean import (
    PAD,
)

ID_MODES = ("number", "caption")


class ImportFailure(Exception):
    """The import cannot go on; the message says why and what is expected."""


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


# A run of Chinese numerals with at most two spaces between them: where a 、 label may stand.
_CN_RUN_RE = re.compile(rf"[{CN}](?:[ \u3000]{{0,2}}[{CN}])*")


def _cn_dun(text: str) -> Iterator[re.Match[str]]:
    """The matches of the ``cn-dun`` pattern, found in time linear in ``text``.

    Its own search tries every numeral of a run (``一 一 一 …``) as a start and reads the
    run to its end from each: quadratic. A match ends where its run ends, so each run is
    read once, and the pattern is tried only at the first numeral its look-behind allows.
    """
    pattern = LABEL_PATTERNS["cn-dun"]
    for run in _CN_RUN_RE.finditer(text):
        start, end = run.start(), run.end()
        if not text.startswith("、", end):
            continue
        while start < end and start > 0 and text[start - 1] in f"{CN}第":
            start += 1  # refused by the look-behind: the next numeral after a space
            while start < end and text[start] not in CN:
                start += 1
        if start < end and (m := pattern.match(text, start)):
            yield m


def scan_labels(text: str, kinds: Iterable[str]) -> list[Label]:
    """Every possible label of ``kinds`` in ``text``, sorted by position."""
    found: list[Label] = []
    for kind in kinds:
        matches = _cn_dun(text) if kind == "cn-dun" else LABEL_PATTERNS[kind].finditer(text)
        for m in matches:
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


def _clip(label: str) -> str:
    """A label without its inner spacing (第 1 條 -> 第1條; English keeps one space)."""
    if re.search(r"[A-Za-z]", label):
        return re.sub(r"\s+", " ", label).strip()
    return re.sub(rf"[{PAD}]+", "", label)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"
