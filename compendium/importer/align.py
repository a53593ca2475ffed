"""Aligning the English text with the Chinese by number (Article 10-1, Chapter I)."""

from __future__ import annotations

from dataclasses import dataclass

from .doc import Issue, ParsedArticle, ParsedDoc
from .grammar import _clip
from .parse import parse_text


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
