"""One article: its file per language (``<article-id>.<lang>.md``), the front-matter
fields of each and what the Chinese file declares for the article as a whole
(roles, effective date, history)."""

from __future__ import annotations

import re
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.source.fields import (
    ID_PATTERN,
    LoadContext,
    check_fields,
    check_one_line,
    date_field,
    read_front_matter,
    str_list,
    text_value,
)
from compendium.source.layout import ROLES_FILE, article_file, article_path
from compendium.source.model import Article, ArticleText, HistoryEntry, LocalizedNote, Role
from compendium.source.yamlsrc import Document, Lines, type_name

ZH_FIELDS = {"id"}
ZH_OPTIONAL = {"caption", "roles", "duties", "effective", "history", "editorial", "truncated"}
ZH_OPTIONAL |= {"formerly"}  # earlier ids of a renamed or moved article (compendium.editing.rename)
EN_FIELDS = {"id"}
EN_OPTIONAL = {"caption", "translates", "duties", "editorial", "truncated"}
# An earlier id of an article: `<article-id>`, or `<regulation-id>/<article-id>` after a move.
FORMER_RE = re.compile(rf"(?:{ID_PATTERN}/)?{ID_PATTERN}")
HASH_RE = re.compile(r"[0-9a-f]{12}")  # what make stamp writes (compendium.source.model.text_hash)


def load_article(
    ctx: LoadContext,
    folder: str,
    aid: str,
    langs: dict[str, str],
    chapter: str,
    section: str | None,
    inserted: bool,
    roles: dict[str, Role],
) -> Article | None:
    """The article ``aid`` of regulation ``folder`` from its files ``langs`` (lang -> rel)."""
    texts: dict[str, ArticleText] = {}
    for lang in LANGUAGES:
        rel = langs.get(lang)
        if rel is None:
            continue
        doc = read_front_matter(ctx, rel)
        if doc is not None:
            texts[lang] = _text(ctx, rel, aid, lang, doc)
    if DEFAULT_LANGUAGE not in texts:
        return None
    zh = texts[DEFAULT_LANGUAGE]
    zh_path, zh_meta, zh_lines = zh.path, zh.meta, zh.lines
    role_ids = _article_roles(ctx, texts, roles)
    effective = date_field(ctx, zh_path, zh_meta, zh_lines, "effective")
    history = _history(ctx, zh_path, zh_meta.get("history"), zh_lines)
    truncated = bool(zh_meta.get("truncated", False)) is True
    if truncated:
        ctx.problems.warning(
            zh_path, zh_lines("truncated"), "the article is truncated in its source"
        )
    if "en" not in texts:
        ctx.problems.warning(
            zh_path,
            1,
            f"article '{aid}' has no English translation "
            f"(expected {ctx.display(article_path(folder, aid, 'en'))})",
        )
    return Article(
        aid,
        folder,
        chapter,
        section,
        inserted,
        texts,
        list(role_ids),
        effective,
        history,
        truncated,
    )


def _text(ctx: LoadContext, rel: str, aid: str, lang: str, doc: Document) -> ArticleText:
    """One language's file of an article: its front-matter fields and body."""
    path = ctx.display(rel)
    meta, lines = doc.meta, doc.lines
    is_zh = lang == DEFAULT_LANGUAGE
    check_fields(
        ctx,
        path,
        meta,
        lines,
        (),
        {f: "" for f in (ZH_FIELDS if is_zh else EN_FIELDS)},
        ZH_OPTIONAL if is_zh else EN_OPTIONAL,
    )
    if "id" in meta and meta["id"] != aid:
        ctx.problems.error(
            path,
            lines("id"),
            f"field 'id' is {type_name(meta['id'])} but the file is named "
            f"'{article_file(aid, lang)}' (expected '{aid}')",
        )
    caption = meta.get("caption")
    if caption is not None and not isinstance(caption, str):
        ctx.problems.error(
            path, lines("caption"), f"field 'caption' must be text, got {type_name(caption)}"
        )
        caption = None
    check_one_line(ctx, path, lines("caption"), caption, "field 'caption'")
    duties = meta.get("duties")
    duties = {} if duties is None else duties
    if not isinstance(duties, dict) or not all(isinstance(v, str) for v in duties.values()):
        ctx.problems.error(
            path, lines("duties"), "field 'duties' must map role ids to a one-line summary"
        )
        duties = {}
    for rid, summary in duties.items():
        check_one_line(ctx, path, lines("duties", rid), summary, f"the duty summary of '{rid}'")
    editorial = str_list(ctx, path, meta, lines, "editorial")
    translates = meta.get("translates")
    if translates is not None and not (
        isinstance(translates, str) and HASH_RE.fullmatch(translates)
    ):
        ctx.problems.error(
            path,
            lines("translates"),
            f"field 'translates' must be the hash 'make stamp' writes (12 digits 0-9 and "
            f"letters a-f), got {type_name(translates)[:80]} (run make stamp)",
        )
        translates = None
    if is_zh:
        _check_formerly(ctx, path, meta, lines)
    if "truncated" in meta and not isinstance(meta["truncated"], bool):
        ctx.problems.error(
            path,
            lines("truncated"),
            f"field 'truncated' must be true or false, got {type_name(meta['truncated'])}",
        )
    body, body_line = _body(ctx, path, doc)
    return ArticleText(
        lang, path, caption, body, body_line, meta, dict(duties), editorial, translates, lines
    )


def _body(ctx: LoadContext, path: str, doc: Document) -> tuple[str, int]:
    """The article's text without surrounding blank lines, and its first line number."""
    body = doc.body.lstrip("\n")
    body_line = doc.body_line + (len(doc.body) - len(body))
    body = body.rstrip("\n")
    if not body.strip():
        ctx.problems.error(
            path,
            body_line,
            "the article has no text (expected the article's text below the front-matter)",
        )
    return body, body_line


def _article_roles(
    ctx: LoadContext, texts: dict[str, ArticleText], roles: dict[str, Role]
) -> list[str]:
    """The roles the Chinese file lists; every duty summary must name one of them."""
    zh = texts[DEFAULT_LANGUAGE]
    role_ids = zh.meta.get("roles")
    role_ids = [] if role_ids is None else role_ids
    if not isinstance(role_ids, list) or not all(isinstance(r, str) for r in role_ids):
        ctx.problems.error(zh.path, zh.lines("roles"), "field 'roles' must be a list of role ids")
        role_ids = []
    for i, r in enumerate(role_ids):
        if r not in roles:
            ctx.problems.error(
                zh.path,
                zh.lines("roles", i),
                f"unknown role '{r}' (expected a role id from docs/{ROLES_FILE})",
            )
    for text in texts.values():
        for r in text.duties:
            if r not in role_ids:
                ctx.problems.error(
                    text.path,
                    text.lines("duties", r),
                    f"duty summary for role '{r}', which the article does not list in 'roles' "
                    f"(expected one of: {', '.join(role_ids) or 'none'})",
                )
    return role_ids


def _history(ctx: LoadContext, path: str, raw: Any, lines: Lines) -> list[HistoryEntry]:
    """The ``history`` field: dated notes of earlier changes."""
    out: list[HistoryEntry] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        ctx.problems.error(
            path, lines("history"), "field 'history' must be a list of {date, release, note}"
        )
        return out
    for i, h in enumerate(raw):
        if not isinstance(h, dict):
            ctx.problems.error(
                path,
                lines("history", i),
                "a history entry must be a mapping with date, release and note",
            )
            continue
        check_fields(ctx, path, h, lines, ("history", i), {"date": "", "note": ""}, {"release"})
        date = date_field(ctx, path, h, lines, "date", ("history", i))
        note = h.get("note")
        if isinstance(note, dict):
            if (
                DEFAULT_LANGUAGE not in note
                or set(note) - set(LANGUAGES)
                or not all(isinstance(v, str) for v in note.values())
            ):
                ctx.problems.error(
                    path,
                    lines("history", i, "note"),
                    "a history note must be text, or text per "
                    f"language with a '{DEFAULT_LANGUAGE}' entry ({', '.join(LANGUAGES)})",
                )
                note = None
            else:
                note = LocalizedNote(note)
        elif note is not None and not isinstance(note, str):
            ctx.problems.error(
                path,
                lines("history", i, "note"),
                f"a history note must be text, or text per language, got {type_name(note)}",
            )
        release = h.get("release")
        if release is not None:
            where = lines("history", i, "release")
            release = text_value(ctx, path, where, release, "a history release")
        if date and isinstance(note, str):
            out.append(HistoryEntry(date, release, note))
    return out


def _check_formerly(ctx: LoadContext, path: str, meta: dict[str, Any], lines: Lines) -> None:
    """``formerly`` (written by make rename / make move): a list of earlier ids."""
    raw = meta.get("formerly")
    if raw is None:
        return
    if not isinstance(raw, list):
        ctx.problems.error(
            path,
            lines("formerly"),
            f"field 'formerly' must be a list of earlier ids, got {type_name(raw)[:80]}",
        )
        return
    for i, v in enumerate(raw):
        if not isinstance(v, str) or not FORMER_RE.fullmatch(v):
            ctx.problems.error(
                path,
                lines("formerly", i),
                f"invalid earlier article id {type_name(v)[:80]} (expected an article id, "
                "or <regulation-id>/<article-id>)",
            )
