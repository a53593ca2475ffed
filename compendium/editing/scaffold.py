"""Create a new regulation or a new article: valid files in the right place.

Used by ``make new-regulation`` and ``make new-article``. Nothing is written when
a target exists or an argument is wrong; otherwise every file appears at once
(:class:`compendium.fsutil.Edits`). The stubs pass ``make check``; their text says
what to write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compendium import DEFAULT_LANGUAGE
from compendium.editing.manifestedit import EditError, find_entry, find_group, insert
from compendium.editing.yamlrt import scalar
from compendium.fsutil import Edits
from compendium.numbering.styles import DEFAULT_STYLE, STYLES
from compendium.source import htmlpolicy
from compendium.source.layout import DOCS_DIR, article_path, manifest_path, regulation_dir
from compendium.source.loader import id_problem, load
from compendium.source.stubs import EN_STUB, ZH_STUB
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import MAX_FIELD_CHARS, control_chars


class ScaffoldError(ValueError):
    """An author mistake, as ``path:line: message`` text."""


def check_id(value: str, what: str) -> None:
    if message := id_problem(value, what):
        raise ScaffoldError(message)


def check_text(value: str | None, what: str) -> None:
    """Refuse a title or caption that ``make check`` would refuse (the same policy)."""
    if value is None:
        return
    if "\n" in value or "\r" in value:
        raise ScaffoldError(f"{what} must be one line of text (expected no line break)")
    for _, message in control_chars(value):
        raise ScaffoldError(f"{what}: {message}")
    if len(value) > MAX_FIELD_CHARS:
        raise ScaffoldError(
            f"{what} is {len(value):,} characters long (expected at most {MAX_FIELD_CHARS:,})"
        )
    for _, message in htmlpolicy.text_problems(value):
        raise ScaffoldError(f"{what}: {message}")


def _role_ids(docs: Path) -> list[str]:
    comp, _ = load(DirTree(docs))
    return list(comp.roles)


def article_files(
    reg: str, aid: str, caption: str | None, caption_en: str | None
) -> dict[str, str]:
    zh = (
        f"---\nid: {aid}\n"
        + (f"caption: {scalar(caption)}\n" if caption else "")
        + "roles: []\n---\n"
    )
    en = f"---\nid: {aid}\n" + (f"caption: {scalar(caption_en)}\n" if caption_en else "") + "---\n"
    return {
        article_path(reg, aid, DEFAULT_LANGUAGE): zh + ZH_STUB + "\n",
        article_path(reg, aid, "en"): en + EN_STUB + "\n",
    }


def new_regulation(
    docs: Path,
    rid: str,
    title: str,
    title_en: str,
    *,
    owner: str | None = None,
    code: str | None = None,
    effective: dt.date | None = None,
    numbering: str = DEFAULT_STYLE,
) -> Edits:
    check_id(rid, "regulation id")
    if not title.strip() or not title_en.strip():
        raise ScaffoldError("TITLE and TITLE_EN are required (the title in Chinese and in English)")
    for value, what in ((title, "TITLE"), (title_en, "TITLE_EN"), (code, "CODE")):
        check_text(value, what)
    if numbering not in STYLES:
        raise ScaffoldError(
            f"unknown numbering style '{numbering}' (expected one of: {', '.join(STYLES)})"
        )
    folder = docs / regulation_dir(rid)
    if folder.exists():
        raise ScaffoldError(f"{folder}: already exists (expected a new regulation id)")
    roles = _role_ids(docs)
    if owner is None:
        raise ScaffoldError(
            "OWNER is required: the role id that owns the regulation (one of: "
            + ", ".join(roles)
            + ")"
        )
    if owner not in roles:
        raise ScaffoldError(
            f"unknown owner role '{owner}' (expected a role id from docs/roles.yml)"
        )
    effective = effective or dt.date.today()
    manifest = (
        "---\n"
        "compendium: regulation\n"
        f"id: {rid}\n"
        f"code: {scalar(code or rid.upper())}\n"
        "title:\n"
        f"  zh-Hant: {scalar(title)}\n"
        f"  en: {scalar(title_en)}\n"
        f"owner: {owner}\n"
        'version: "1.0"\n'
        f"effective: {effective.isoformat()}\n"
        f"numbering: {numbering}\n"
        "chapters:\n"
        "  - id: general\n"
        "    title: {zh-Hant: 總則, en: General Provisions}\n"
        "    articles: [purpose]\n"
        "---\n"
    )
    edits = Edits(docs)
    edits.write(manifest_path(rid), manifest)
    for rel, text in article_files(rid, "purpose", "目的", "Purpose").items():
        edits.write(rel, text)
    return edits


def new_article(
    docs: Path,
    reg: str,
    aid: str,
    after: str,
    *,
    inserted: bool = False,
    caption: str | None = None,
    caption_en: str | None = None,
) -> Edits:
    """Add ``aid`` after article ``after`` (or first in chapter/section ``after``)."""
    check_id(aid, "article id")
    for value, what in ((caption, "CAPTION"), (caption_en, "CAPTION_EN")):
        check_text(value, what)
    mrel = manifest_path(reg)
    mpath = docs / mrel
    if not mpath.is_file():
        raise ScaffoldError(f"{mpath}: no such regulation (expected {DOCS_DIR}/{mrel})")
    text = mpath.read_text(encoding="utf-8")
    for rel in article_files(reg, aid, None, None):
        if (docs / rel).exists():
            raise ScaffoldError(f"{docs / rel}: already exists (expected a new article id)")
    try:
        if find_entry(text, aid) is not None:
            raise ScaffoldError(f"{mpath}:1: article '{aid}' is already listed in the manifest")
        entry = find_entry(text, after)
        if entry is not None:
            path, index = entry.path, entry.index + 1
        else:
            group = find_group(text, after)
            if group is None:
                raise ScaffoldError(
                    f"{mpath}:1: AFTER='{after}' is neither an article nor a chapter or section "
                    "of this regulation (expected the article id the new one follows, or a "
                    "chapter id to put it first in that chapter)"
                )
            path, index = group, 0
            if inserted:
                raise ScaffoldError(
                    f"{mpath}:1: INSERTED=1 needs an article before it (expected AFTER=<article-id>)"
                )
        new_text = insert(text, path, index, aid, inserted)
    except EditError as exc:
        raise ScaffoldError(f"{mpath}:{exc}") from exc
    edits = Edits(docs)
    edits.write(mrel, new_text)
    for rel, body in article_files(reg, aid, caption, caption_en).items():
        edits.write(rel, body)
    return edits
