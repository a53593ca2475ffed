"""A regulation: its manifest ``regulations/<id>/index.md`` (title, owner, numbering,
the chapters and sections listing the article ids in order) and the article files
of its folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.numbering.styles import DEFAULT_STYLE, STYLES
from compendium.source.articles import load_article
from compendium.source.fields import (
    ID_RULE,
    LoadContext,
    check_fields,
    check_id,
    date_field,
    date_problem,
    date_value,
    is_id,
    localized,
    read_front_matter,
    string_field,
    text_value,
)
from compendium.source.layout import (
    ARTICLE_FILE_RE,
    MANIFEST,
    ROLES_FILE,
    article_path,
    regulation_dir,
)
from compendium.source.model import Article, Chapter, Regulation, Role, Section
from compendium.source.reviews import parse_cycle
from compendium.source.yamlsrc import Lines, type_name

MANIFEST_FIELDS = {
    "compendium": "the page kind, 'regulation'",
    "id": "the regulation id, equal to the folder name",
    "code": "a short code such as OPS-01",
    "title": "the title in zh-Hant and en",
    "owner": f"the owning role id from docs/{ROLES_FILE}",
    "version": 'the version as a quoted string such as "1.0"',
    "effective": "the effective date, YYYY-MM-DD",
    "numbering": f"the numbering style, one of: {', '.join(STYLES)}",
    "chapters": "the list of chapters",
}
MANIFEST_OPTIONAL = {"source", "notes", "title_short"}
MANIFEST_OPTIONAL |= {"review_every", "last_reviewed"}  # review cycle (compendium.source.reviews)
MANIFEST_OPTIONAL |= {"formerly"}  # earlier ids of a renamed regulation (compendium.editing.rename)

# article id -> (chapter id, section id, inserted, manifest line)
Entries = dict[str, tuple[str, str | None, bool, int]]


def load_regulation(
    ctx: LoadContext, folder: str, names: list[str], roles: dict[str, Role]
) -> Regulation | None:
    """The regulation in ``regulations/<folder>/`` whose file names are ``names``."""
    base = regulation_dir(folder)
    mpath = ctx.display(f"{base}/{MANIFEST}")
    if MANIFEST not in names:
        ctx.problems.error(
            ctx.display(base), 1, f"regulation folder has no manifest (expected {base}/{MANIFEST})"
        )
        return None
    doc = read_front_matter(ctx, f"{base}/{MANIFEST}")
    if doc is None:
        return None
    meta, lines = doc.meta, doc.lines
    check_fields(ctx, mpath, meta, lines, (), MANIFEST_FIELDS, MANIFEST_OPTIONAL)
    _check_header(ctx, mpath, meta, lines, folder)
    title = localized(ctx, mpath, meta.get("title"), lines("title"), "title")
    _check_short_title(ctx, mpath, meta.get("title_short"), lines)
    code = string_field(ctx, mpath, meta, lines, "code") or folder
    version = string_field(ctx, mpath, meta, lines, "version") or ""
    effective = date_field(ctx, mpath, meta, lines, "effective") or dt.date(1970, 1, 1)
    owner = meta.get("owner")
    if owner is not None and not isinstance(owner, str):
        ctx.problems.error(
            mpath,
            lines("owner"),
            f"field 'owner' must be one role id (text), got {type_name(owner)} "
            f"(expected a role id from docs/{ROLES_FILE})",
        )
        owner = None
    elif owner is not None and owner not in roles:
        ctx.problems.error(
            mpath,
            lines("owner"),
            f"unknown owner role {type_name(owner)} (expected a role id from docs/{ROLES_FILE})",
        )
    style = _style(ctx, mpath, meta, lines)
    source = _source(ctx, mpath, meta.get("source"), lines)
    notes = _notes(ctx, mpath, meta.get("notes"), lines)
    chapters, entries = _chapters(ctx, mpath, meta.get("chapters"), lines)
    files_by_id = _article_files(ctx, base, names)
    articles = _load_articles(ctx, folder, mpath, entries, files_by_id, roles)
    _check_unlisted(ctx, mpath, entries, files_by_id)
    _warn_truncated(ctx, mpath, source, lines)
    if not isinstance(meta.get("chapters"), list):
        return None

    review = parse_cycle(meta, lines, mpath, ctx.problems)
    reg = Regulation(
        folder,
        mpath,
        code,
        title,
        str(owner or ""),
        version,
        effective,
        str(style or DEFAULT_STYLE),
        chapters,
        articles,
        source,
        notes,
        set(entries),
    )
    reg.review = review
    reg.formerly = _formerly(ctx, mpath, meta, lines, (), "regulation id")
    return reg


def _formerly(
    ctx: LoadContext,
    path: str,
    meta: dict[str, Any],
    lines: Lines,
    where: tuple[Any, ...],
    what: str,
) -> list[str]:
    """``formerly``: the earlier ids of a renamed regulation, chapter or section."""
    raw = meta.get("formerly")
    if raw is None:
        return []
    line = lines(*where, "formerly")
    if not isinstance(raw, list):
        ctx.problems.error(
            path, line, f"field 'formerly' must be a list of earlier ids, got {type_name(raw)}"
        )
        return []
    return [str(v) for v in raw if check_id(ctx, path, line, v, f"earlier {what}")]


def _check_header(
    ctx: LoadContext, mpath: str, meta: dict[str, Any], lines: Lines, folder: str
) -> None:
    """The page kind, and the id equal to the folder name."""
    if meta.get("compendium") not in (None, "regulation"):
        ctx.problems.error(
            mpath,
            lines("compendium"),
            f"field 'compendium' must be 'regulation', got {type_name(meta.get('compendium'))}",
        )
    rid = meta.get("id")
    if rid is not None and rid != folder:
        ctx.problems.error(
            mpath,
            lines("id"),
            f"field 'id' is {type_name(rid)} but the folder is named '{folder}' (expected '{folder}')",
        )
    check_id(ctx, mpath, lines("id"), folder, "regulation folder name")


def _style(ctx: LoadContext, mpath: str, meta: dict[str, Any], lines: Lines) -> Any:
    style = meta.get("numbering")
    if style is not None and style not in STYLES:
        ctx.problems.error(
            mpath,
            lines("numbering"),
            f"unknown numbering style {type_name(style)} (expected one of: {', '.join(STYLES)})",
        )
        style = DEFAULT_STYLE
    return style


def _article_files(ctx: LoadContext, base: str, names: list[str]) -> dict[str, dict[str, str]]:
    """The article files of a regulation folder: article id -> language -> path."""
    files_by_id: dict[str, dict[str, str]] = {}
    for name in names:
        if name == MANIFEST:
            continue
        m = ARTICLE_FILE_RE.fullmatch(name)
        if not m or not name.endswith(".md"):
            if name.endswith(".md"):
                ctx.problems.error(
                    ctx.display(f"{base}/{name}"),
                    1,
                    "unexpected file name (expected <article-id>.zh-Hant.md or <article-id>.en.md)",
                )
            continue
        if m["lang"] not in LANGUAGES:
            ctx.problems.error(
                ctx.display(f"{base}/{name}"),
                1,
                f"unknown language suffix '{m['lang']}' (expected one of: {', '.join(LANGUAGES)})",
            )
            continue
        if not is_id(m["id"]):
            ctx.problems.error(  # a line break or invisible character is named (Problem)
                ctx.display(f"{base}/{name}"),
                1,
                f"invalid article id {type_name(m['id'])} in the file name "
                "(expected <article-id>.<lang>.md, "
                f"such as data-backup.zh-Hant.md, the id of {ID_RULE})",
            )
            continue
        files_by_id.setdefault(m["id"], {})[m["lang"]] = f"{base}/{name}"
    return files_by_id


def _load_articles(
    ctx: LoadContext,
    folder: str,
    mpath: str,
    entries: Entries,
    files_by_id: dict[str, dict[str, str]],
    roles: dict[str, Role],
) -> dict[str, Article]:
    """Every article the manifest lists, in manifest order."""
    articles: dict[str, Article] = {}
    for aid, (chapter, section, inserted, line) in entries.items():
        langs = files_by_id.get(aid, {})
        if DEFAULT_LANGUAGE not in langs:
            ctx.problems.error(
                mpath,
                line,
                f"article '{aid}' is listed in the manifest but has no file "
                f"(expected {article_path(folder, aid, DEFAULT_LANGUAGE)})",
            )
            continue
        art = load_article(ctx, folder, aid, langs, chapter, section, inserted, roles)
        if art is not None:
            art.repealed = ctx.repealed.get((mpath, aid))
            articles[aid] = art
    return articles


def _check_unlisted(
    ctx: LoadContext, mpath: str, entries: Entries, files_by_id: dict[str, dict[str, str]]
) -> None:
    """Every article file of the folder is listed in a chapter."""
    for aid, langs in sorted(files_by_id.items()):
        if aid not in entries:
            for rel in langs.values():
                ctx.problems.error(
                    ctx.display(rel),
                    1,
                    f"article '{aid}' is in no chapter of the manifest "
                    f"(expected its id in a chapter's 'articles' list in {mpath})",
                )


def _check_short_title(ctx: LoadContext, mpath: str, short: Any, lines: Lines) -> None:
    """``title_short``: a one-line text for some of the languages."""
    if short is None:
        return
    if not isinstance(short, dict) or not short:
        ctx.problems.error(
            mpath,
            lines("title_short"),
            f"field 'title_short' must give the text per language ({', '.join(LANGUAGES)}), "
            f"got {type_name(short)[:80]}",
        )
        return
    for lang, text in short.items():
        where = lines("title_short", lang)
        if lang not in LANGUAGES:
            ctx.problems.error(
                mpath,
                where,
                f"field 'title_short' has unknown language {type_name(lang)[:80]} "
                f"(expected one of: {', '.join(LANGUAGES)})",
            )
        elif text is None:  # `en:` with nothing after it: not the same as leaving it out
            ctx.problems.error(
                mpath,
                where,
                f"field 'title_short' ({lang}) has no value "
                f"(expected the short title after '{lang}:', or remove the line)",
            )
        else:
            text_value(ctx, mpath, where, text, f"field 'title_short' ({lang})")


def _source(ctx: LoadContext, mpath: str, raw: Any, lines: Lines) -> dict[str, Any]:
    """``source``: where an imported text came from (file, truncated)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        ctx.problems.error(
            mpath, lines("source"), "field 'source' must be a mapping (file, truncated)"
        )
        return {}
    check_fields(ctx, mpath, raw, lines, ("source",), {}, {"file", "truncated"})
    if raw.get("file") is not None:
        text_value(ctx, mpath, lines("source", "file"), raw["file"], "'source.file'")
    return raw


def _warn_truncated(ctx: LoadContext, mpath: str, source: dict[str, Any], lines: Lines) -> None:
    """``source.truncated``: a warning that the imported source was incomplete."""
    truncated = source.get("truncated")
    if isinstance(truncated, dict):
        if (
            not truncated
            or set(truncated) - set(LANGUAGES)
            or not all(isinstance(v, str) for v in truncated.values())
        ):
            ctx.problems.error(
                mpath,
                lines("source", "truncated"),
                f"'source.truncated' must be text, or text per language ({', '.join(LANGUAGES)})",
            )
            truncated = None
        else:
            truncated = truncated.get("en") or next(iter(truncated.values()), None)
    elif truncated is not None and not isinstance(truncated, str):
        ctx.problems.error(
            mpath,
            lines("source", "truncated"),
            f"'source.truncated' must be text, or text per language, got {type_name(truncated)}",
        )
        truncated = None
    if truncated:
        ctx.problems.warning(
            mpath, lines("source", "truncated"), f"the source is truncated: {truncated}"
        )


def _notes(ctx: LoadContext, path: str, raw: Any, lines: Lines) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if (
        not isinstance(raw, dict)
        or any(k not in LANGUAGES or not isinstance(v, list) for k, v in raw.items())
        or not all(isinstance(x, str) for v in raw.values() for x in v)
    ):
        ctx.problems.error(
            path,
            lines("notes"),
            f"field 'notes' must map each language ({', '.join(LANGUAGES)}) to a list of notes",
        )
        return {}
    return {k: [str(x) for x in v] for k, v in raw.items()}


# -- chapters, sections and the article lists ----------------------------------


def _chapters(ctx: LoadContext, path: str, raw: Any, lines: Lines) -> tuple[list[Chapter], Entries]:
    chapters: list[Chapter] = []
    entries: Entries = {}
    if raw is None:
        return chapters, entries
    if not isinstance(raw, list) or not raw:
        ctx.problems.error(
            path, lines("chapters"), "field 'chapters' must be a non-empty list of chapters"
        )
        return chapters, entries
    seen_ids: dict[str, int] = {}
    for ci, ch in enumerate(raw):
        chapter = _chapter(ctx, path, ch, lines, ("chapters", ci), seen_ids, entries, chapters)
        if chapter is not None:
            chapters.append(chapter)
    return chapters, entries


def _chapter(
    ctx: LoadContext,
    path: str,
    ch: Any,
    lines: Lines,
    where: tuple[Any, ...],
    seen_ids: dict[str, int],
    entries: Entries,
    before: list[Chapter],
) -> Chapter | None:
    """One entry of ``chapters``: id, title, and its articles or its sections."""
    if not isinstance(ch, dict):
        ctx.problems.error(
            path,
            lines(*where),
            f"a chapter must be a mapping with id, title and articles, got {type_name(ch)}",
        )
        return None
    has_sections = "sections" in ch
    check_fields(
        ctx,
        path,
        ch,
        lines,
        where,
        {"id": "", "title": ""},
        ({"sections"} if has_sections else {"articles"}) | {"inserted", "formerly"},
    )
    if not has_sections and "articles" not in ch:
        ctx.problems.error(path, lines(*where), "a chapter must have 'articles' (or 'sections')")
    cid = ch.get("id")
    _unique_id(ctx, path, lines, where, cid, "chapter id", seen_ids)
    title = localized(ctx, path, ch.get("title"), lines(*where, "title"), "chapter title")
    sections: list[Section] = []
    if has_sections:
        raw_secs = ch.get("sections")
        if not isinstance(raw_secs, list) or not raw_secs:
            ctx.problems.error(
                path, lines(*where, "sections"), "field 'sections' must be a non-empty list"
            )
            raw_secs = []
        for si, sec in enumerate(raw_secs):
            section = _section(
                ctx, path, sec, lines, where + ("sections", si), str(cid), seen_ids, entries
            )
            if section is not None:
                sections.append(section)
    else:
        ids = _article_list(
            ctx, path, ch.get("articles"), lines, where + ("articles",), str(cid), None, entries
        )
        sections.append(Section(None, {}, ids))
    ch_inserted = ch.get("inserted", False)
    if not isinstance(ch_inserted, bool) or (ch_inserted and not before):
        ctx.problems.error(
            path,
            lines(*where, "inserted"),
            "'inserted' must be true or false, and a chapter must come before an inserted one",
        )
        ch_inserted = False
    formerly = _formerly(ctx, path, ch, lines, where, "chapter id")
    return Chapter(str(cid), title, sections, has_sections, ch_inserted, formerly)


def _section(
    ctx: LoadContext,
    path: str,
    sec: Any,
    lines: Lines,
    where: tuple[Any, ...],
    cid: str,
    seen_ids: dict[str, int],
    entries: Entries,
) -> Section | None:
    """One entry of a chapter's ``sections``."""
    if not isinstance(sec, dict):
        ctx.problems.error(
            path,
            lines(*where),
            "a section must be a mapping with id, title and articles",
        )
        return None
    check_fields(
        ctx, path, sec, lines, where, {"id": "", "title": "", "articles": ""}, {"formerly"}
    )
    sid = sec.get("id")
    _unique_id(ctx, path, lines, where, sid, "section id", seen_ids)
    stitle = localized(ctx, path, sec.get("title"), lines(*where, "title"), "section title")
    ids = _article_list(
        ctx, path, sec.get("articles"), lines, where + ("articles",), cid, sid, entries
    )
    return Section(str(sid), stitle, ids, _formerly(ctx, path, sec, lines, where, "section id"))


def _unique_id(
    ctx: LoadContext,
    path: str,
    lines: Lines,
    where: tuple[Any, ...],
    value: Any,
    what: str,
    seen_ids: dict[str, int],
) -> None:
    """A valid chapter or section id, unique among the regulation's chapters and sections."""
    if check_id(ctx, path, lines(*where, "id"), value, what):
        if value in seen_ids:
            ctx.problems.error(
                path,
                lines(*where, "id"),
                f"duplicate chapter or section id '{value}' (first at line {seen_ids[value]})",
            )
        seen_ids.setdefault(value, lines(*where, "id"))


def _article_list(
    ctx: LoadContext,
    path: str,
    raw: Any,
    lines: Lines,
    where: tuple[Any, ...],
    chapter: str,
    section: str | None,
    entries: Entries,
) -> list[str]:
    """An ``articles`` list: ids, or mappings {id, inserted, repealed}."""
    ids: list[str] = []
    if raw is None:
        return ids
    if not isinstance(raw, list):
        ctx.problems.error(
            path, lines(*where), f"'articles' must be a list of article ids, got {type_name(raw)}"
        )
        return ids
    for ai, item in enumerate(raw):
        line = lines(*where, ai)
        item, inserted, repealed = _article_entry(ctx, path, line, item)
        if not check_id(ctx, path, line, item, "article id"):
            continue
        if item in entries:
            ctx.problems.error(
                path,
                line,
                f"duplicate article id '{item}' (first listed at line {entries[item][3]})",
            )
            continue
        if inserted and ai == 0 and not ids and not entries:
            ctx.problems.error(
                path, line, f"article '{item}' is marked inserted but no article comes before it"
            )
            inserted = False
        entries[item] = (chapter, section, inserted, line)
        if repealed is not None:
            ctx.repealed[(path, item)] = repealed
        ids.append(item)
    return ids


def _article_entry(
    ctx: LoadContext, path: str, line: int, item: Any
) -> tuple[Any, bool, dt.date | None]:
    """An item of an ``articles`` list: (id, inserted, repealed date)."""
    if not isinstance(item, dict):
        return item, False, None
    extra = set(item) - {"id", "inserted", "repealed"}
    if extra:
        ctx.problems.error(
            path,
            line,
            f"unknown field '{sorted(extra)[0]}' in an article entry "
            "(expected: id, inserted, repealed)",
        )
    repealed = item.get("repealed")
    if repealed is None and "repealed" in item:
        ctx.problems.error(
            path,
            line,
            "'repealed' has no value (expected the date the article was repealed, "
            "YYYY-MM-DD, or remove 'repealed')",
        )
    elif repealed is not None:
        if (day := date_value(repealed)) is None:
            ctx.problems.error(path, line, date_problem(repealed, "'repealed'"))
        repealed = day
    inserted = item.get("inserted", False)
    if not isinstance(inserted, bool):
        ctx.problems.error(
            path, line, f"'inserted' must be true or false, got {type_name(inserted)}"
        )
        inserted = False
    return item.get("id"), inserted, repealed
