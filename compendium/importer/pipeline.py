"""The import: options, the result, and :func:`import_text` from text to files."""

from __future__ import annotations

from dataclasses import dataclass, field

from compendium.source.layout import ROLES_FILE, regulation_dir
from compendium.source.loader import load
from compendium.source.rolementions import undeclared_duties
from compendium.source.tree import MemoryTree

from .align import Alignment, align_english
from .anomaly import Anomaly, find_anomalies, format_anomalies
from .doc import Chunk, Issue, ParsedDoc
from .emit import KNOWN_TITLES, _assign_ids, _build_files
from .grammar import ID_MODES, ImportFailure, _clip
from .options import ImportOptions, _check_id
from .parse import parse_text
from .report import format_report


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

    Uses the validator's own rule (:func:`compendium.source.rolementions.undeclared_duties`),
    so an imported article starts without "undeclared role" warnings; the
    editor checks the suggestions (the report lists them).
    """
    tree = {f"{regulation_dir(options.reg_id)}/{name}": text for name, text in files.items()}
    tree[ROLES_FILE] = options.roles_yml or ""
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
