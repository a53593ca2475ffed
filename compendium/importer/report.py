"""The import report: counts, numbering of the source, what the site will show differently."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from compendium.numbering.numbers import Number, article_label, number_regulation
from compendium.source.model import Article, Chapter, Regulation, Section

from .doc import ParsedArticle, ParsedDoc, _display_label, _section_ids
from .emit import _truncation_text
from .grammar import _clip

if TYPE_CHECKING:
    from .pipeline import ImportResult


def _labels_zh(doc: ParsedDoc) -> tuple[str, str]:
    arts = doc.articles
    if not arts:
        return "", ""

    def lab(a: ParsedArticle) -> str:
        return _display_label(doc, a)

    return lab(arts[0]), lab(arts[-1])


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
            Section(s.id if s.num else None, {"zh-Hant": s.title}, [a.id for a in s.articles])
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
    """The import report an editor reads: what was found, and what to check."""
    return "\n".join(
        _structure_lines(res)
        + _caption_lines(res.doc)
        + _source_problem_lines(res.doc)
        + _cleaning_lines(res.doc)
        + _english_lines(res)
    )


def _structure_lines(res: ImportResult) -> list[str]:
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
    return out


def _caption_lines(doc: ParsedDoc) -> list[str]:
    arts = doc.articles
    items = doc.items()
    out: list[str] = []
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
    return out


def _source_problem_lines(doc: ParsedDoc) -> list[str]:
    arts = doc.articles
    out: list[str] = []
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
    return out


def _cleaning_lines(doc: ParsedDoc) -> list[str]:
    arts = doc.articles
    out: list[str] = []
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
    return out


def _english_lines(res: ImportResult) -> list[str]:
    doc = res.doc
    opt = res.options
    arts = doc.articles
    out: list[str] = []
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
        for issue in al.english.numbering:
            out.append(f"  English line {issue.line}: {issue.message}")
        for issue in al.english.unplaced:
            out.append(f"  English line {issue.line}: could not place: {issue.message}")
    if res.placeholders:
        out.append(
            "English titles still in Chinese (translate them in the manifest): "
            + ", ".join(res.placeholders)
        )
    return out
