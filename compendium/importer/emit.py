"""Writing a parsed regulation as Markdown files with YAML front-matter (manifest and articles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from compendium import DEFAULT_LANGUAGE
from compendium.editing.yamlrt import scalar
from compendium.mdescape import escape_md
from compendium.source.layout import MANIFEST, article_file
from compendium.source.loader import is_id
from compendium.source.model import ArticleText, text_hash

from .align import Alignment
from .anomaly import anomaly_notes
from .doc import (
    Chunk,
    ParsedArticle,
    ParsedDoc,
    ParsedItem,
    _display_label,
    _section_ids,
    is_repealed,
)
from .grammar import EN_END_PARA, END_PARA, _clip
from .options import ImportOptions
from .references import _link_references

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
        assert is_id(base), base
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


yaml_str = scalar  # plain when that reads back the same, else double-quoted


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
    """The files of the regulation folder: the manifest first, then the articles."""
    effective = opt.effective or dt.date.today()
    manifest = _manifest_lines(doc, opt, title_zh, title_en, effective)
    manifest.extend(_chapter_lines(doc, al, title_zh, placeholders, effective))
    manifest.append("---")
    files = {MANIFEST: "\n".join(manifest) + "\n"}
    files.update(_article_files(doc, opt, al))
    return files


def _manifest_lines(
    doc: ParsedDoc, opt: ImportOptions, title_zh: str, title_en: str, effective: dt.date
) -> list[str]:
    """The manifest's front-matter up to and including ``chapters:``."""
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
    return m


def _en_title(zh_title: str, what: str, known: str | None, placeholders: list[str]) -> str:
    """The English title: aligned, else a known rendering, else the Chinese (noted)."""
    if known:
        return known
    if zh_title in KNOWN_TITLES:
        return KNOWN_TITLES[zh_title][1]
    placeholders.append(f"{what} 「{zh_title}」")
    return zh_title


def _article_entries(arts: list[ParsedArticle], indent: str, effective: dt.date) -> list[str]:
    """The manifest's list entries of ``arts``, each noting its label and source line."""
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


def _chapter_lines(
    doc: ParsedDoc,
    al: Alignment | None,
    title_zh: str,
    placeholders: list[str],
    effective: dt.date,
) -> list[str]:
    """The manifest's ``chapters`` list: titles in both languages, sections, articles."""
    m: list[str] = []
    for ch in doc.chapters:
        zh_t = ch.title or title_zh
        m.append(
            f"  - id: {ch.id}" + (f"  # {_clip(ch.label)}, line {ch.line}" if ch.label else "")
        )
        what = f"chapter {_clip(ch.label)}" if ch.label else "the single chapter"
        known = al.chapter_titles.get(ch.id) if al else None
        en_t = _en_title(zh_t, what, known, placeholders)
        m.append(f"    title: {{zh-Hant: {yaml_str(zh_t)}, en: {yaml_str(en_t)}}}")
        if ch.sub:
            m.append("    inserted: true")
        if ch.has_sections:
            m.append("    sections:")
            for sec in _section_ids(ch):
                zs = sec.title or _clip(sec.label)
                known = al.section_titles.get(sec.id) if al else None
                es = _en_title(zs, f"section {_clip(sec.label)}", known, placeholders)
                m.append(f"      - id: {sec.id}  # {_clip(sec.label)}, line {sec.line}")
                m.append(f"        title: {{zh-Hant: {yaml_str(zs)}, en: {yaml_str(es)}}}")
                m.append("        articles:")
                m.extend(_article_entries(sec.articles, "          ", effective))
        elif ch.articles:
            m.append("    articles:")
            m.extend(_article_entries(ch.articles, "      ", effective))
        else:
            m.append("    articles: []")
    return m


def _article_files(doc: ParsedDoc, opt: ImportOptions, al: Alignment | None) -> dict[str, str]:
    """``{file name: text}`` of every article, Chinese and (when aligned) English."""
    files: dict[str, str] = {}
    id_by_key: dict[tuple[int, int], str] = {}
    for art in doc.articles:
        id_by_key.setdefault((art.num, art.sub), art.id)
    doc.links.clear()
    for art in doc.articles:
        body = body_markdown(art, DEFAULT_LANGUAGE)
        if opt.link_references:
            body = _link_references(doc, art, body, DEFAULT_LANGUAGE, id_by_key)
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
        files[article_file(art.id, DEFAULT_LANGUAGE)] = _front_matter(fields) + body
        if al is not None and art.id in al.matched:
            en_art = al.matched[art.id]
            en_body = body_markdown(en_art, "en")
            if opt.link_references:
                en_body = _link_references(doc, en_art, en_body, "en", id_by_key)
            zh_text = ArticleText(DEFAULT_LANGUAGE, "", art.caption, body.strip("\n"), 0, {})
            en_fields: list[tuple[str, Any]] = [
                ("id", art.id),
                ("caption", en_art.caption),
                ("translates", text_hash(zh_text)),
            ]
            if art.truncated:
                en_fields.append(("truncated", True))
            files[article_file(art.id, "en")] = _front_matter(en_fields) + en_body
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
