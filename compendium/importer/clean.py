"""Cleaning a plain-text regulation before it is parsed (used by :mod:`compendium.importer.pipeline`).

Three independent steps, each reporting what it removed or changed with the
source line, so that an editor can check every change:

* :func:`clean_scrape` (``--clean-scrape``): the debris of a scraped web
  preview: page lists (``標題_第1頁``), download and copyright notices,
  "溫馨提示" site tips, the comment box, the "PAGE" prefix of a Word field and
  pinyin annotations such as ``數(shù)字``.
* :func:`clean_layout` (always): page numbers (``第 3 頁 共 10 頁``, ``- 3 -``),
  running headers and footers (lines repeating at page boundaries), form
  feeds, indentation with U+3000/U+00A0 and whitespace-only lines.
* :func:`fix_traditional` (``--fix-traditional``) and :func:`fullwidth_punct`
  (``--fullwidth-punct``): word-level corrections applied by the parser to
  the text of each article, so each fix is attributed to its article.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

# -- lines -----------------------------------------------------------------------


@dataclass
class SourceLine:
    """One line of the source after cleaning; ``no`` is the 1-based line in the file."""

    no: int
    text: str
    blank_before: bool = False  # a whitespace-only line (paragraph break) preceded it
    page_break_before: bool = False  # a form feed or page number preceded it
    continued: bool = False  # indented with ASCII spaces: a hard-wrapped continuation line


@dataclass(frozen=True)
class Dropped:
    """A line (or part of a line) removed as noise."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class Fix:
    """One replacement made in the text, with where it was made."""

    line: int
    old: str
    new: str
    context: str
    kind: str = "traditional"  # traditional | punctuation


@dataclass
class CleanResult:
    lines: list[SourceLine]
    dropped: list[Dropped] = field(default_factory=list)
    pinyin: list[Fix] = field(default_factory=list)  # annotations removed
    suspicious: list[tuple[int, str]] = field(default_factory=list)  # possible encoding damage
    page_title: str | None = None  # the title as the page list of a scrape names it
    header_texts: list[str] = field(default_factory=list)  # running headers/footers removed

    def dropped_by_reason(self) -> dict[str, int]:
        return dict(Counter(d.reason for d in self.dropped))


# Characters treated as indentation or padding around a line.
PAD = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def split_lines(text: str) -> list[SourceLine]:
    """Split ``text`` into lines, keeping file line numbers; form feeds mark page breaks."""
    out: list[SourceLine] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for no, raw in enumerate(text.split("\n"), start=1):
        pieces = raw.split("\f")
        for i, piece in enumerate(pieces):
            out.append(SourceLine(no, piece, page_break_before=i > 0))
    return out


def context(text: str, start: int, end: int, width: int = 8) -> str:
    """``text[start:end]`` with a little text either side, for messages."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return f"{lead}{left}{text[start:end]}{right}{tail}"


# -- scraped previews --------------------------------------------------------------

# Pinyin annotations inserted after characters by the scraping site: "數(shù)字".
# Only parenthesised lower-case syllables with a tone mark are removed, and only
# when not preceded by a Latin letter or digit (so "f(x)" or "(a)" stay).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_RE = re.compile(rf"(?<![A-Za-z0-9])[(（]([a-zü]*[{_TONED}][a-zü{_TONED}]*)[)）]")

# Lines of a scraped preview that are not part of the regulation, by reason.
# Matched against the whole line after pinyin removal and trimming; both the
# Traditional and the Simplified spelling of the site's phrases are listed.
SCRAPE_LINES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        ("page list", r"^(?P<title>.{1,100}?)_第\s*\d+\s*[頁页]$"),
        ("preview notice", r"^全文(預覽|预览)已(結束|结束)$"),
        ("preview notice", r"^已(閱讀|阅读)\s*\d+\s*[頁页].*$"),
        ("preview notice", r"^(繼續|继续)(免費|免费)(閱讀|阅读)$"),
        (
            "download notice",
            r"^(下載本文檔|下载本文档|付費下載|付费下载|免費下載|免费下载|立即下載|立即下载)$",
        ),
        ("copyright notice", r"^(版權|版权)(說明|说明|聲明|声明)\s*[:：].*$"),
        (
            "site heading",
            r"^(文檔簡介|文档简介|最新文檔|最新文档|相關文檔|相关文档|相關資源|相关资源)$",
        ),
        ("comment box", r"^(評論|评论|提交評論|提交评论|發表評論|发表评论)$"),
        ("comment box", r"^\d+\s*/\s*\d+$"),
        ("site tips", r"^(溫馨提示|温馨提示)$"),
    )
)
BULLET_RE = re.compile(r"^[•·●▪◆■]")
# The result of a Word PAGE field: "PAGE" glued to the text, optionally with its switches.
PAGE_PREFIX_RE = re.compile(r"^PAGE(?:\s*\\\*\s*MERGEFORMAT)?\s*(?=[^\x00-\x7f]|$)")
# An ASCII "?" next to a CJK character, or U+FFFD: typical of text decoded with the wrong encoding.
SUSPICIOUS_RE = re.compile(rf"[{CJK}][?\ufffd]|[?\ufffd][{CJK}]|\ufffd")


def clean_scrape(lines: list[SourceLine], result: CleanResult) -> list[SourceLine]:
    """Remove the debris of a scraped web preview (see the module docstring)."""
    out: list[SourceLine] = []
    in_tips = False
    for line in lines:
        text = line.text

        def strip_pinyin(m: re.Match[str], line_no: int = line.no, text: str = text) -> str:
            result.pinyin.append(
                Fix(line_no, m.group(0), "", context(text, m.start(), m.end()), "pinyin")
            )
            return ""

        text = PINYIN_RE.sub(strip_pinyin, text)
        trimmed = text.strip(PAD)
        if in_tips and BULLET_RE.match(trimmed):
            result.dropped.append(Dropped(line.no, "site tips", trimmed))
            continue
        if trimmed:
            in_tips = False
        reason = None
        for why, pattern in SCRAPE_LINES:
            m = pattern.match(trimmed)
            if m:
                reason = why
                if why == "page list" and result.page_title is None:
                    result.page_title = m.group("title").strip(PAD)
                break
        if reason:
            result.dropped.append(Dropped(line.no, reason, trimmed))
            in_tips = reason == "site tips"
            continue
        m = PAGE_PREFIX_RE.match(trimmed)
        if m:
            result.dropped.append(Dropped(line.no, "PAGE prefix", "PAGE"))
            trimmed = trimmed[m.end() :]
            text = trimmed
        out.append(
            SourceLine(line.no, text, line.blank_before, line.page_break_before, line.continued)
        )
    return out


# -- layout noise ------------------------------------------------------------------

# Page numbers on a line of their own.
PAGE_NUMBER_RES = tuple(
    re.compile(p, re.I)
    for p in (
        r"^第\s*[\d一二三四五六七八九十百]+\s*[頁页]\s*[,，/／、]?\s*(共\s*[\d一二三四五六七八九十百]+\s*[頁页])?$",
        r"^共\s*\d+\s*[頁页]\s*[,，/／、]?\s*第\s*\d+\s*[頁页]$",
        r"^[-－—–‒]\s*\d+\s*[-－—–‒]$",
        r"^page\s*\d+(\s*(of|/)\s*\d+)?$",
        r"^\d+\s*/\s*\d+$",
        r"^\d{1,4}$",
    )
)
HEADER_WINDOW = 2  # lines at the top and bottom of a page that may be a header or footer


def is_page_number(text: str) -> bool:
    return any(p.match(text) for p in PAGE_NUMBER_RES)


def _header_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(rf"[{PAD}]+", "", text))


def clean_layout(
    lines: list[SourceLine], result: CleanResult, is_label: Callable[[str], bool] | None = None
) -> list[SourceLine]:
    """Remove page numbers, running headers/footers, indentation and blank lines.

    ``is_label(text) -> bool`` (optional) protects structural lines (第一章, 一、)
    from being taken for a running header.
    """
    # 1. trim, drop blank lines and page numbers; find page boundaries.
    kept: list[SourceLine] = []
    blank = False
    page_break = False
    for line in lines:
        text = line.text.strip(PAD).replace("\u00a0", " ")
        page_break = page_break or line.page_break_before
        if not text:
            if line.text:
                result.dropped.append(Dropped(line.no, "whitespace-only line", ""))
            blank = True
            continue
        if is_page_number(text):
            result.dropped.append(Dropped(line.no, "page number", text))
            page_break = True
            blank = True
            continue
        continued = line.text.startswith("  ") and not blank and not line.blank_before
        kept.append(SourceLine(line.no, text, blank or line.blank_before, page_break, continued))
        blank = page_break = False

    # 2. running headers and footers: the same text (digits ignored) next to many
    # page boundaries. Only meaningful with at least two pages.
    starts = [0] + [i for i, ln in enumerate(kept) if ln.page_break_before and i > 0]
    pages = len(starts)
    if pages >= 2:
        near: dict[str, set[int]] = defaultdict(set)
        sample: dict[str, str] = {}
        bounds = starts + [len(kept)]
        for p in range(pages):
            lo, hi = bounds[p], bounds[p + 1]
            window = set(range(lo, min(hi, lo + HEADER_WINDOW))) | set(
                range(max(lo, hi - HEADER_WINDOW), hi)
            )
            for i in window:
                key = _header_key(kept[i].text)
                near[key].add(p)
                sample.setdefault(key, kept[i].text)
        needed = max(2, math.ceil(pages / 2))
        repeating = {
            key
            for key, on in near.items()
            if len(on) >= needed and key and not (is_label is not None and is_label(sample[key]))
        }
        if repeating:
            out: list[SourceLine] = []
            carry_blank = False
            for ln in kept:
                key = _header_key(ln.text)
                if key in repeating:
                    result.dropped.append(Dropped(ln.no, "running header or footer", ln.text))
                    if ln.text not in result.header_texts:
                        result.header_texts.append(ln.text)
                    carry_blank = True
                    continue
                if carry_blank:
                    ln = SourceLine(ln.no, ln.text, True, True)
                    carry_blank = False
                out.append(ln)
            kept = out
    return kept


def find_suspicious(lines: list[SourceLine], result: CleanResult) -> None:
    """Record lines that look damaged by a wrong text encoding ("確?;顒")."""
    for ln in lines:
        for m in SUSPICIOUS_RE.finditer(ln.text):
            result.suspicious.append((ln.no, context(ln.text, m.start(), m.end())))
            break


# -- word fixes --------------------------------------------------------------------

# Simplified characters left over by a machine conversion to Traditional, fixed
# only inside words where the Traditional form is certain. 于 (a surname in
# Traditional text) is only replaced inside the listed words; 并 becomes 併 in
# 合并/兼并 and 並 elsewhere; 后 (also "empress") and 采 (also "colour, spirit")
# only inside the listed words.
TRADITIONAL_FIXES: dict[str, str] = {
    # 范 -> 範 (范 alone is a surname)
    "規范": "規範",
    "范圍": "範圍",
    "防范": "防範",
    "示范": "示範",
    "典范": "典範",
    "模范": "模範",
    "范例": "範例",
    "范本": "範本",
    "范疇": "範疇",
    # 于 -> 於
    "適用于": "適用於",
    "對于": "對於",
    "由于": "由於",
    "關于": "關於",
    "屬于": "屬於",
    "等于": "等於",
    "基于": "基於",
    "用于": "用於",
    "位于": "位於",
    "在于": "在於",
    "便于": "便於",
    "利于": "利於",
    "限于": "限於",
    "易于": "易於",
    "至于": "至於",
    "鑒于": "鑒於",
    "處于": "處於",
    "高于": "高於",
    "低于": "低於",
    "大于": "大於",
    "小于": "小於",
    "少于": "少於",
    "多于": "多於",
    "致力于": "致力於",
    "有助于": "有助於",
    # 并 -> 併 / 並
    "合并": "合併",
    "兼并": "兼併",
    "并": "並",
    # 后 -> 後
    "之后": "之後",
    "以后": "以後",
    "后續": "後續",
    "然后": "然後",
    "最后": "最後",
    "此后": "此後",
    "事后": "事後",
    "前后": "前後",
    "先后": "先後",
    "隨后": "隨後",
    "售后": "售後",
    "落后": "落後",
    "延后": "延後",
    "后期": "後期",
    "后果": "後果",
    "背后": "背後",
    "今后": "今後",
    "日后": "日後",
    # 采 -> 採
    "采用": "採用",
    "采取": "採取",
    "采購": "採購",
    "采集": "採集",
    "采納": "採納",
    "開采": "開採",
    # others
    "關系": "關係",
    "聯系": "聯繫",
    "注冊": "註冊",
}
_FIX_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(TRADITIONAL_FIXES, key=len, reverse=True))
)


def fix_traditional(text: str, line: int) -> tuple[str, list[Fix]]:
    """Replace leftover simplified characters per :data:`TRADITIONAL_FIXES`."""
    fixes: list[Fix] = []

    def sub(m: re.Match[str]) -> str:
        new = TRADITIONAL_FIXES[m.group(0)]
        fixes.append(Fix(line, m.group(0), new, context(text, m.start(), m.end())))
        return new

    return _FIX_RE.sub(sub, text), fixes


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_PUNCT_RE = re.compile(rf"(?<=[{CJK}」）])[,:;!]|[,:;!](?=[{CJK}「（])")
_PAREN_RE = re.compile(r"\(([^()\n]{0,40})\)")


def fullwidth_punct(text: str, line: int) -> tuple[str, list[Fix]]:
    """Half-width , : ; ! and ( ) next to Chinese text become full-width (，：；！（）)."""
    fixes: list[Fix] = []

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if re.search(rf"[{CJK}]", inner + before + after):
            fixes.append(
                Fix(
                    line,
                    m.group(0),
                    f"（{inner}）",
                    context(text, m.start(), m.end()),
                    "punctuation",
                )
            )
            return f"（{inner}）"
        return m.group(0)

    text = _PAREN_RE.sub(paren, text)

    def punct(m: re.Match[str]) -> str:
        fixes.append(Fix(line, m.group(0), _HALF_TO_FULL[m.group(0)], "", "punctuation"))
        return _HALF_TO_FULL[m.group(0)]

    return _PUNCT_RE.sub(punct, text), fixes
