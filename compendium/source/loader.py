"""Load ``docs/`` into the model and validate it, collecting every problem.

Each problem names the file and line and says what was expected. Nothing here
raises for an author's mistake: callers decide whether errors stop the build.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.encoding import decode_message
from compendium.source.model import (
    ROLE_KINDS,
    STYLES,
    Article,
    ArticleText,
    Chapter,
    Compendium,
    GlossarySense,
    GlossaryTerm,
    HistoryEntry,
    LocalizedNote,
    Regulation,
    Role,
    Section,
)
from compendium.source.problems import Problems
from compendium.source.terminology import check_terminology
from compendium.source.tree import Tree
from compendium.source.yamlsrc import Lines, YamlError, load_yaml, split_front_matter, type_name

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_PREFIXES = ("ch-", "sec-", "art-")
ARTICLE_FILE_RE = re.compile(r"^(?P<id>[^/.]+)\.(?P<lang>[A-Za-z-]+)\.md$")
REGULATIONS_DIR = "regulations"
MANIFEST = "index.md"
ROLES_FILE = "roles.yml"
GLOSSARY_FILE = "glossary.yml"

MANIFEST_FIELDS = {
    "compendium": "the page kind, 'regulation'",
    "id": "the regulation id, equal to the folder name",
    "code": "a short code such as OPS-01",
    "title": "the title in zh-Hant and en",
    "owner": "the owning role id from docs/roles.yml",
    "version": 'the version as a quoted string such as "1.0"',
    "effective": "the effective date, YYYY-MM-DD",
    "numbering": f"the numbering style, one of: {', '.join(STYLES)}",
    "chapters": "the list of chapters",
}
MANIFEST_OPTIONAL = {"source", "notes", "title_short"}
MANIFEST_OPTIONAL |= {"review_every", "last_reviewed"}  # review cycle (compendium.source.reviews)
ZH_FIELDS = {"id"}
ZH_OPTIONAL = {"caption", "roles", "duties", "effective", "history", "editorial", "truncated"}
ZH_OPTIONAL |= {"formerly"}  # earlier ids of a renamed or moved article (compendium.editing.rename)
EN_FIELDS = {"id"}
EN_OPTIONAL = {"caption", "translates", "duties", "editorial", "truncated"}


@dataclass
class _Ctx:
    tree: Tree
    problems: Problems
    repealed: dict[tuple[str, str], dt.date] = field(default_factory=dict)  # (manifest, id)

    def display(self, rel: str) -> str:
        return f"{self.tree.display_root}/{rel}" if self.tree.display_root else rel


def load(tree: Tree) -> tuple[Compendium, Problems]:
    """Load and validate every source under ``tree``.

    Returns the model (with whatever could be loaded) and the problems found.
    """
    ctx = _Ctx(tree, Problems())
    files = tree.files()
    roles = _load_roles(ctx, files)
    glossary = _load_glossary(ctx, files)
    regulations: dict[str, Regulation] = {}
    by_folder: dict[str, list[str]] = {}
    for rel in files:
        parts = rel.split("/")
        if parts[0] == REGULATIONS_DIR and len(parts) == 3:
            by_folder.setdefault(parts[1], []).append(parts[2])
        elif parts[0] == REGULATIONS_DIR and len(parts) > 3 and rel.endswith(".md"):
            ctx.problems.error(
                ctx.display(rel),
                1,
                "unexpected Markdown file in a subfolder of a regulation "
                "(expected docs/regulations/<regulation-id>/<article-id>.<lang>.md)",
            )
    for folder, names in sorted(by_folder.items()):
        reg = _load_regulation(ctx, folder, names, roles)
        if reg is not None:
            regulations[reg.id] = reg
    comp = Compendium(tree.display_root, regulations, roles, glossary)
    _check_references(ctx, comp)
    _check_role_pages(ctx, comp, files)
    _check_roles_used(ctx, comp)
    check_terminology(comp, ctx.problems, ctx.display(GLOSSARY_FILE))
    return comp, ctx.problems


# -- roles and glossary --------------------------------------------------------


def _read_yaml_file(ctx: _Ctx, rel: str) -> tuple[Any, Lines] | None:
    try:
        return load_yaml(ctx.tree.read(rel))
    except YamlError as exc:
        ctx.problems.error(ctx.display(rel), exc.line, exc.message)
    except UnicodeDecodeError as exc:
        ctx.problems.error(ctx.display(rel), *decode_message(exc))
    return None


def _load_roles(ctx: _Ctx, files: list[str]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    if ROLES_FILE not in files:
        return roles
    loaded = _read_yaml_file(ctx, ROLES_FILE)
    if loaded is None:
        return roles
    data, lines = loaded
    path = ctx.display(ROLES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("roles"), list):
        ctx.problems.error(path, lines(), "expected a mapping with a 'roles' list")
        return roles
    alias_owner: dict[tuple[str, str], str] = {}
    for i, entry in enumerate(data["roles"]):
        line = lines("roles", i)
        if not isinstance(entry, dict):
            ctx.problems.error(path, line, f"a role must be a mapping, got {type_name(entry)}")
            continue
        _check_fields(
            ctx,
            path,
            entry,
            lines,
            ("roles", i),
            {"id": "", "kind": "", "name": ""},
            {"aliases", "parent", "note"},
        )
        rid = entry.get("id")
        if not _check_id(ctx, path, lines("roles", i, "id"), rid, "role id"):
            continue
        if rid in roles:
            ctx.problems.error(
                path, line, f"duplicate role id '{rid}' (first at line {roles[rid].line})"
            )
            continue
        kind = entry.get("kind")
        if kind not in ROLE_KINDS:
            ctx.problems.error(
                path,
                lines("roles", i, "kind"),
                f"unknown role kind {type_name(kind)} (expected one of: {', '.join(ROLE_KINDS)})",
            )
        name = _localized(ctx, path, entry.get("name"), lines("roles", i, "name"), "name")
        aliases: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        raw_aliases = entry.get("aliases") or {}
        if not isinstance(raw_aliases, dict):
            ctx.problems.error(
                path,
                lines("roles", i, "aliases"),
                "'aliases' must map each language to a list of names",
            )
        else:
            for lang, names in raw_aliases.items():
                if (
                    lang not in LANGUAGES
                    or not isinstance(names, list)
                    or not all(isinstance(n, str) for n in names)
                ):
                    ctx.problems.error(
                        path,
                        lines("roles", i, "aliases", lang),
                        f"aliases must be listed per language ({', '.join(LANGUAGES)}) as lists of names",
                    )
                    continue
                aliases[lang] = list(names)
        for lang in LANGUAGES:
            for alias in [name.get(lang, "")] + aliases[lang]:
                if not alias:
                    continue
                key = (lang, alias.casefold())
                if key in alias_owner and alias_owner[key] != rid:
                    ctx.problems.error(
                        path,
                        lines("roles", i, "aliases"),
                        f"name '{alias}' is claimed by roles '{alias_owner[key]}' and '{rid}' "
                        "(expected each name to belong to one role)",
                    )
                alias_owner.setdefault(key, rid)
        roles[rid] = Role(
            rid, str(kind), name, aliases, entry.get("parent"), entry.get("note"), line
        )
    for role in roles.values():
        if role.parent is not None and role.parent not in roles:
            ctx.problems.error(
                path,
                role.line,
                f"role '{role.id}' has unknown parent '{role.parent}' "
                "(expected a role id from this file)",
            )
    for role in roles.values():  # cycles in belongs-to
        seen, cur = {role.id}, role.parent
        while cur in roles:
            if cur in seen:
                ctx.problems.error(
                    path, role.line, f"role '{role.id}' is its own ancestor through 'parent'"
                )
                break
            seen.add(cur)
            cur = roles[cur].parent
    return roles


def _load_glossary(ctx: _Ctx, files: list[str]) -> list[GlossaryTerm]:
    out: list[GlossaryTerm] = []
    if GLOSSARY_FILE not in files:
        return out
    loaded = _read_yaml_file(ctx, GLOSSARY_FILE)
    if loaded is None:
        return out
    data, lines = loaded
    path = ctx.display(GLOSSARY_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        ctx.problems.error(path, lines(), "expected a mapping with a 'terms' list")
        return out
    for i, entry in enumerate(data["terms"]):
        if not isinstance(entry, dict):
            ctx.problems.error(
                path, lines("terms", i), f"a term must be a mapping, got {type_name(entry)}"
            )
            continue
        _check_fields(
            ctx,
            path,
            entry,
            lines,
            ("terms", i),
            {lang: "" for lang in LANGUAGES},
            {"note", "senses", "check"},
        )
        terms = {lang: str(entry[lang]) for lang in LANGUAGES if lang in entry}
        senses = _glossary_senses(ctx, path, entry.get("senses"), lines, ("terms", i, "senses"))
        check = entry.get("check", True)
        if not isinstance(check, bool):
            ctx.problems.error(
                path, lines("terms", i, "check"), f"expected true or false, got {type_name(check)}"
            )
            check = True
        out.append(GlossaryTerm(terms, entry.get("note"), senses, check, lines("terms", i)))
    return out


def _glossary_senses(ctx: _Ctx, path: str, value: Any, lines: Lines, where: tuple) -> list:
    """The second senses of a glossary term: a list of {en, note} mappings."""
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.problems.error(
            path, lines(*where), f"expected a list of {{en, note}} senses, got {type_name(value)}"
        )
        return []
    out = []
    for j, sense in enumerate(value):
        if not isinstance(sense, dict) or not sense.get("en"):
            ctx.problems.error(
                path,
                lines(*where, j),
                "a sense must be a mapping with 'en' (the rendering) and 'note' (when to use it)",
            )
            continue
        _check_fields(ctx, path, sense, lines, (*where, j), {"en": ""}, {"note"})
        out.append(GlossarySense(str(sense["en"]), sense.get("note")))
    return out


# -- regulations ---------------------------------------------------------------


def _load_regulation(
    ctx: _Ctx, folder: str, names: list[str], roles: dict[str, Role]
) -> Regulation | None:
    base = f"{REGULATIONS_DIR}/{folder}"
    mpath = ctx.display(f"{base}/{MANIFEST}")
    if MANIFEST not in names:
        ctx.problems.error(
            ctx.display(base), 1, f"regulation folder has no manifest (expected {base}/{MANIFEST})"
        )
        return None
    try:
        doc = split_front_matter(ctx.tree.read(f"{base}/{MANIFEST}"))
    except YamlError as exc:
        ctx.problems.error(mpath, exc.line, exc.message)
        return None
    except UnicodeDecodeError as exc:
        ctx.problems.error(mpath, *decode_message(exc))
        return None
    meta, lines = doc.meta, doc.lines
    _check_fields(ctx, mpath, meta, lines, (), MANIFEST_FIELDS, MANIFEST_OPTIONAL)
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
    _check_id(ctx, mpath, lines("id"), folder, "regulation folder name")
    title = _localized(ctx, mpath, meta.get("title"), lines("title"), "title")
    code = _string(ctx, mpath, meta, lines, "code") or folder
    version = _string(ctx, mpath, meta, lines, "version") or ""
    effective = _date(ctx, mpath, meta, lines, "effective") or dt.date(1970, 1, 1)
    owner = meta.get("owner")
    if owner is not None and owner not in roles:
        ctx.problems.error(
            mpath,
            lines("owner"),
            f"unknown owner role {type_name(owner)} (expected a role id from docs/roles.yml)",
        )
    style = meta.get("numbering")
    if style is not None and style not in STYLES:
        ctx.problems.error(
            mpath,
            lines("numbering"),
            f"unknown numbering style {type_name(style)} (expected one of: {', '.join(STYLES)})",
        )
        style = STYLES[0]
    source = meta.get("source") or {}
    if not isinstance(source, dict):
        ctx.problems.error(
            mpath, lines("source"), "field 'source' must be a mapping (file, truncated)"
        )
        source = {}
    notes = _notes(ctx, mpath, meta.get("notes"), lines)

    chapters, entries = _chapters(ctx, mpath, meta.get("chapters"), lines)
    articles: dict[str, Article] = {}
    files_by_id: dict[str, dict[str, str]] = {}
    for name in names:
        if name == MANIFEST:
            continue
        m = ARTICLE_FILE_RE.match(name)
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
        files_by_id.setdefault(m["id"], {})[m["lang"]] = f"{base}/{name}"
    for aid, (chapter, section, inserted, line) in entries.items():
        langs = files_by_id.get(aid, {})
        if DEFAULT_LANGUAGE not in langs:
            ctx.problems.error(
                mpath,
                line,
                f"article '{aid}' is listed in the manifest but has no file "
                f"(expected {base}/{aid}.{DEFAULT_LANGUAGE}.md)",
            )
            continue
        art = _load_article(ctx, folder, aid, langs, chapter, section, inserted, roles)
        if art is not None:
            art.repealed = ctx.repealed.get((mpath, aid))
            articles[aid] = art
    for aid, langs in sorted(files_by_id.items()):
        if aid not in entries:
            for rel in langs.values():
                ctx.problems.error(
                    ctx.display(rel),
                    1,
                    f"article '{aid}' is in no chapter of the manifest "
                    f"(expected its id in a chapter's 'articles' list in {mpath})",
                )
        elif DEFAULT_LANGUAGE not in langs:
            pass  # reported above
    truncated = source.get("truncated")
    if isinstance(truncated, dict):
        if set(truncated) - set(LANGUAGES) or not all(
            isinstance(v, str) for v in truncated.values()
        ):
            ctx.problems.error(
                mpath,
                lines("source", "truncated"),
                f"'source.truncated' must be text, or text per language ({', '.join(LANGUAGES)})",
            )
            truncated = None
        else:
            truncated = truncated.get("en") or next(iter(truncated.values()), None)
    if truncated:
        ctx.problems.warning(
            mpath, lines("source", "truncated"), f"the source is truncated: {truncated}"
        )
    if not isinstance(meta.get("chapters"), list):
        return None
    from compendium.source.reviews import parse_cycle

    review = parse_cycle(meta, lines, mpath, ctx.problems)
    reg = Regulation(
        folder,
        mpath,
        code,
        title,
        str(owner or ""),
        version,
        effective,
        str(style or STYLES[0]),
        chapters,
        articles,
        source,
        notes,
        set(entries),
    )
    reg.review = review
    return reg


def _chapters(ctx: _Ctx, path: str, raw: Any, lines: Lines):
    chapters: list[Chapter] = []
    entries: dict[str, tuple[str, str | None, bool, int]] = {}
    if raw is None:
        return chapters, entries
    if not isinstance(raw, list) or not raw:
        ctx.problems.error(
            path, lines("chapters"), "field 'chapters' must be a non-empty list of chapters"
        )
        return chapters, entries
    seen_ids: dict[str, int] = {}
    for ci, ch in enumerate(raw):
        where = ("chapters", ci)
        if not isinstance(ch, dict):
            ctx.problems.error(
                path,
                lines(*where),
                f"a chapter must be a mapping with id, title and articles, got {type_name(ch)}",
            )
            continue
        has_sections = "sections" in ch
        _check_fields(
            ctx,
            path,
            ch,
            lines,
            where,
            {"id": "", "title": ""},
            ({"sections"} if has_sections else {"articles"}) | {"inserted"},
        )
        if not has_sections and "articles" not in ch:
            ctx.problems.error(
                path, lines(*where), "a chapter must have 'articles' (or 'sections')"
            )
        cid = ch.get("id")
        if _check_id(ctx, path, lines(*where, "id"), cid, "chapter id"):
            if cid in seen_ids:
                ctx.problems.error(
                    path,
                    lines(*where, "id"),
                    f"duplicate chapter or section id '{cid}' (first at line {seen_ids[cid]})",
                )
            seen_ids.setdefault(cid, lines(*where, "id"))
        title = _localized(ctx, path, ch.get("title"), lines(*where, "title"), "chapter title")
        sections: list[Section] = []
        if has_sections:
            raw_secs = ch.get("sections")
            if not isinstance(raw_secs, list) or not raw_secs:
                ctx.problems.error(
                    path, lines(*where, "sections"), "field 'sections' must be a non-empty list"
                )
                raw_secs = []
            for si, sec in enumerate(raw_secs):
                swhere = where + ("sections", si)
                if not isinstance(sec, dict):
                    ctx.problems.error(
                        path,
                        lines(*swhere),
                        "a section must be a mapping with id, title and articles",
                    )
                    continue
                _check_fields(
                    ctx, path, sec, lines, swhere, {"id": "", "title": "", "articles": ""}, set()
                )
                sid = sec.get("id")
                if _check_id(ctx, path, lines(*swhere, "id"), sid, "section id"):
                    if sid in seen_ids:
                        ctx.problems.error(
                            path,
                            lines(*swhere, "id"),
                            f"duplicate chapter or section id '{sid}' (first at line {seen_ids[sid]})",
                        )
                    seen_ids.setdefault(sid, lines(*swhere, "id"))
                stitle = _localized(
                    ctx, path, sec.get("title"), lines(*swhere, "title"), "section title"
                )
                ids = _article_list(
                    ctx,
                    path,
                    sec.get("articles"),
                    lines,
                    swhere + ("articles",),
                    str(cid),
                    sid,
                    entries,
                )
                sections.append(Section(str(sid), stitle, ids))
        else:
            ids = _article_list(
                ctx, path, ch.get("articles"), lines, where + ("articles",), str(cid), None, entries
            )
            sections.append(Section(None, {}, ids))
        ch_inserted = ch.get("inserted", False)
        if not isinstance(ch_inserted, bool) or (ch_inserted and not chapters):
            ctx.problems.error(
                path,
                lines(*where, "inserted"),
                "'inserted' must be true or false, and a chapter must come before an inserted one",
            )
            ch_inserted = False
        chapters.append(Chapter(str(cid), title, sections, has_sections, ch_inserted))
    return chapters, entries


def _article_list(ctx, path, raw, lines, where, chapter, section, entries) -> list[str]:
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
        inserted = False
        repealed = None
        if isinstance(item, dict):
            extra = set(item) - {"id", "inserted", "repealed"}
            if extra:
                ctx.problems.error(
                    path,
                    line,
                    f"unknown field '{sorted(extra)[0]}' in an article entry "
                    "(expected: id, inserted, repealed)",
                )
            repealed = item.get("repealed")
            if repealed is not None and not isinstance(repealed, dt.date):
                ctx.problems.error(
                    path,
                    line,
                    f"'repealed' must be a date YYYY-MM-DD, got {type_name(repealed)}",
                )
                repealed = None
            inserted = item.get("inserted", False)
            if not isinstance(inserted, bool):
                ctx.problems.error(
                    path, line, f"'inserted' must be true or false, got {type_name(inserted)}"
                )
                inserted = False
            item = item.get("id")
        if not _check_id(ctx, path, line, item, "article id"):
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


def _load_article(ctx, folder, aid, langs, chapter, section, inserted, roles) -> Article | None:
    texts: dict[str, ArticleText] = {}
    zh_meta: dict[str, Any] = {}
    zh_lines = Lines()
    for lang in LANGUAGES:
        rel = langs.get(lang)
        if rel is None:
            continue
        path = ctx.display(rel)
        try:
            doc = split_front_matter(ctx.tree.read(rel))
        except YamlError as exc:
            ctx.problems.error(path, exc.line, exc.message)
            continue
        except UnicodeDecodeError as exc:
            ctx.problems.error(path, *decode_message(exc))
            continue
        meta, lines = doc.meta, doc.lines
        is_zh = lang == DEFAULT_LANGUAGE
        _check_fields(
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
                f"'{aid}.{lang}.md' (expected '{aid}')",
            )
        caption = meta.get("caption")
        if caption is not None and not isinstance(caption, str):
            ctx.problems.error(
                path, lines("caption"), f"field 'caption' must be text, got {type_name(caption)}"
            )
            caption = None
        duties = meta.get("duties") or {}
        if not isinstance(duties, dict) or not all(isinstance(v, str) for v in duties.values()):
            ctx.problems.error(
                path, lines("duties"), "field 'duties' must map role ids to a one-line summary"
            )
            duties = {}
        editorial = _str_list(ctx, path, meta, lines, "editorial")
        translates = meta.get("translates")
        if translates is not None and not isinstance(translates, str):
            ctx.problems.error(
                path,
                lines("translates"),
                f"field 'translates' must be a text hash, got {type_name(translates)}",
            )
            translates = None
        if "truncated" in meta and not isinstance(meta["truncated"], bool):
            ctx.problems.error(
                path,
                lines("truncated"),
                f"field 'truncated' must be true or false, got {type_name(meta['truncated'])}",
            )
        body = doc.body.lstrip("\n")
        body_line = doc.body_line + (len(doc.body) - len(body))
        body = body.rstrip("\n")
        if not body.strip():
            ctx.problems.error(
                path,
                body_line,
                "the article has no text (expected the article's text below the front-matter)",
            )
        texts[lang] = ArticleText(
            lang, path, caption, body, body_line, meta, dict(duties), editorial, translates, lines
        )
        if is_zh:
            zh_meta, zh_lines = meta, lines
    if DEFAULT_LANGUAGE not in texts:
        return None
    zh_path = texts[DEFAULT_LANGUAGE].path
    role_ids = zh_meta.get("roles") or []
    if not isinstance(role_ids, list) or not all(isinstance(r, str) for r in role_ids):
        ctx.problems.error(zh_path, zh_lines("roles"), "field 'roles' must be a list of role ids")
        role_ids = []
    for i, r in enumerate(role_ids):
        if r not in roles:
            ctx.problems.error(
                zh_path,
                zh_lines("roles", i),
                f"unknown role '{r}' (expected a role id from docs/roles.yml)",
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
    effective = _date(ctx, zh_path, zh_meta, zh_lines, "effective")
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
            f"article '{aid}' has no English translation (expected {ctx.display(f'{REGULATIONS_DIR}/{folder}/{aid}.en.md')})",
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


def _history(ctx, path, raw, lines) -> list[HistoryEntry]:
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
        _check_fields(ctx, path, h, lines, ("history", i), {"date": "", "note": ""}, {"release"})
        date = _date(ctx, path, h, lines, "date", ("history", i))
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
        release = h.get("release")
        if date and isinstance(note, str):
            out.append(HistoryEntry(date, None if release is None else str(release), note))
    return out


def _notes(ctx, path, raw, lines) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(
        k not in LANGUAGES or not isinstance(v, list) for k, v in raw.items()
    ) or not all(isinstance(x, str) for v in raw.values() for x in v):
        ctx.problems.error(
            path,
            lines("notes"),
            f"field 'notes' must map each language ({', '.join(LANGUAGES)}) to a list of notes",
        )
        return {}
    return {k: [str(x) for x in v] for k, v in raw.items()}


# -- cross checks --------------------------------------------------------------


def _check_references(ctx: _Ctx, comp: Compendium) -> None:
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            for text in art.texts.values():
                for lineno, line in enumerate(text.body.split("\n"), start=text.body_line):
                    for m in XREF_RE.finditer(line):
                        target = parse_target(m.group(1), reg.id)
                        if target is None:
                            ctx.problems.error(
                                text.path,
                                lineno,
                                f"malformed cross reference '{m.group(0)}' "
                                "(expected [[article-id]] or [[regulation-id/article-id]])",
                            )
                        elif comp.article(*target) is None and not _listed(comp, *target):
                            where = "regulation" if target[0] not in comp.regulations else "article"
                            ctx.problems.error(
                                text.path,
                                lineno,
                                f"unresolved cross reference '{m.group(0)}': no {where} "
                                f"'{target[0] if where == 'regulation' else target[1]}'"
                                + ("" if where == "regulation" else f" in '{target[0]}'")
                                + " (expected the id of an existing article)",
                            )
                        elif (ref := comp.article(*target)) is not None and ref.repealed:
                            ctx.problems.warning(
                                text.path,
                                lineno,
                                f"cross reference '{m.group(0)}' points to an article repealed "
                                f"on {ref.repealed.isoformat()} (expected a reference to a "
                                "provision in force, or an editorial note explaining it)",
                            )
                for rid, summary in text.duties.items():
                    _check_duty_references(ctx, comp, reg.id, text, rid, summary)


def _check_duty_references(
    ctx: _Ctx, comp: Compendium, reg_id: str, text, rid: str, summary: str
) -> None:
    """Cross references inside a duty summary (``duties:``) must resolve like the body's."""
    for m in XREF_RE.finditer(summary):
        target = parse_target(m.group(1), reg_id)
        if target is None:
            problem = "is malformed (expected [[article-id]] or [[regulation-id/article-id]])"
        elif comp.article(*target) is None and not _listed(comp, *target):
            problem = (
                f"is unresolved: no article '{target[1]}' in '{target[0]}'"
                if target[0] in comp.regulations
                else f"is unresolved: no regulation '{target[0]}'"
            )
            problem += " (expected the id of an existing article)"
        else:
            continue
        ctx.problems.error(
            text.path,
            text.lines("duties", rid),
            f"cross reference '{m.group(0)}' in the duty summary for '{rid}' {problem}",
        )


def _check_role_pages(ctx: _Ctx, comp: Compendium, files: list[str]) -> None:
    """Every role has its page stub docs/roles/<id>.md and every stub a role."""
    if not comp.roles:
        return
    pages = {
        f[len("roles/") : -3]
        for f in files
        if f.startswith("roles/") and f.endswith(".md") and f.count("/") == 1
    }
    for rid, role in comp.roles.items():
        if rid not in pages:
            ctx.problems.error(
                ctx.display(ROLES_FILE),
                role.line,
                f"role '{rid}' has no page "
                f"(expected {ctx.display(f'roles/{rid}.md')}; run make roles)",
            )
    for stub in sorted(pages - set(comp.roles) - {"index"}):
        ctx.problems.error(
            ctx.display(f"roles/{stub}.md"),
            1,
            f"page for unknown role '{stub}' "
            "(expected a role id from docs/roles.yml; run make roles)",
        )


def _listed(comp: Compendium, reg_id: str, art_id: str) -> bool:
    """True when the target is in a manifest but its file failed to load (reported already)."""
    reg = comp.regulations.get(reg_id)
    return reg is not None and art_id in reg.listed


def _check_roles_used(ctx: _Ctx, comp: Compendium) -> None:
    from compendium.roles.duties import duty_matrix, undeclared_duties

    matrix = duty_matrix(comp)
    parents = {r.parent for r in comp.roles.values()}
    owners = {reg.owner for reg in comp.regulations.values()}
    for rid, row in matrix.items():
        if not row and rid not in parents and rid not in owners:
            ctx.problems.warning(
                ctx.display(ROLES_FILE),
                comp.roles[rid].line,
                f"role '{rid}' has no duties (no article lists it in 'roles')",
            )
    for art, lang, rid in undeclared_duties(comp):
        text = art.texts[lang]
        ctx.problems.warning(
            text.path,
            text.body_line,
            f"the text names role '{rid}' with a duty word "
            f"but the article does not declare it (expected '{rid}' in 'roles')",
        )


# -- field helpers -------------------------------------------------------------


def _check_fields(ctx, path, meta, lines, where, required, optional) -> None:
    allowed = set(required) | set(optional)
    for key in meta:
        if key not in allowed:
            ctx.problems.error(
                path,
                lines(*where, key),
                f"unknown field '{key}' (expected one of: {', '.join(sorted(allowed))})",
            )
    for key in required:
        if key not in meta:
            desc = required[key] if isinstance(required, dict) and required[key] else None
            ctx.problems.error(
                path,
                lines(*where),
                f"missing field '{key}'" + (f" (expected {desc})" if desc else ""),
            )


def _check_id(ctx, path, line, value, what) -> bool:
    if not isinstance(value, str) or not ID_RE.match(value):
        ctx.problems.error(
            path,
            line,
            f"invalid {what} {type_name(value)} (expected lower-case letters, digits and hyphens, e.g. 'data-backup')",
        )
        return False
    if value.startswith(RESERVED_PREFIXES):
        ctx.problems.error(
            path,
            line,
            f"invalid {what} '{value}': ids must not start with {', '.join(RESERVED_PREFIXES)}",
        )
        return False
    return True


def _localized(ctx, path, value, line, what) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.problems.error(
            path,
            line,
            f"{what} must give the text per language ({', '.join(LANGUAGES)}), got {type_name(value)}",
        )
        return {}
    out = {}
    for lang in LANGUAGES:
        v = value.get(lang)
        if not isinstance(v, str) or not v.strip():
            ctx.problems.error(
                path, line, f"{what} has no {lang} text (expected a '{lang}:' entry)"
            )
        else:
            out[lang] = v
    for k in value:
        if k not in LANGUAGES:
            ctx.problems.error(
                path,
                line,
                f"{what} has unknown language '{k}' (expected one of: {', '.join(LANGUAGES)})",
            )
    return out


def _string(ctx, path, meta, lines, key) -> str | None:
    v = meta.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        hint = f' (quote it: "{v}")' if isinstance(v, (int, float)) else ""
        ctx.problems.error(
            path, lines(key), f"field '{key}' must be text, got {type_name(v)}{hint}"
        )
        return str(v)
    return v


def _str_list(ctx, path, meta, lines, key) -> list[str]:
    v = meta.get(key)
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        ctx.problems.error(path, lines(key), f"field '{key}' must be a list of text notes")
        return []
    return v


def _date(ctx, path, meta, lines, key, where=()) -> dt.date | None:
    v = meta.get(key)
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    ctx.problems.error(
        path,
        lines(*where, key),
        f"field '{key}' must be a valid date YYYY-MM-DD, got {type_name(v)}",
    )
    return None
