"""Updating an imported regulation from a newer source, keeping what editors added.

Articles are matched by their number: the number the site shows for an existing article (which
is the source's number, see the importer) against the number printed in the new source. A
matched article keeps its id and every editor-owned field of its front-matter (caption, roles,
duties, history, editorial notes, effective date; the English caption, duties and notes); only
its text is replaced. Articles new in the source are added (inserted ones as ``inserted``);
articles printed as （刪除） become ``repealed`` in place; articles the new source no longer
prints are either marked repealed (``missing="repeal"``) or removed (``missing="remove"``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from compendium import DEFAULT_LANGUAGE
from compendium.numbering.numbers import numbers_of
from compendium.source.layout import MANIFEST, manifest_path, regulation_dir
from compendium.source.loader import load
from compendium.source.model import Regulation, content_hash
from compendium.source.tree import MemoryTree
from compendium.source.yamlsrc import split_front_matter

from .grammar import ImportFailure
from .pipeline import ImportResult

MISSING_CHOICES = ("repeal", "remove")
_XREF = re.compile(r"\[\[([a-z0-9-]+)\]\]")


@dataclass
class UpdateResult:
    files: dict[str, str]  # the regulation folder after the update
    ids: dict[str, str] = field(default_factory=dict)  # final article id -> source label
    added: list[str] = field(default_factory=list)  # article ids
    amended: list[str] = field(default_factory=list)
    repealed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # not in the new source (before choice)
    unchanged: int = 0

    def report(self) -> str:
        out = [
            f"update: {len(self.added)} added, {len(self.amended)} amended, "
            f"{len(self.repealed)} repealed, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged"
        ]
        for what in ("added", "amended", "repealed", "removed"):
            ids = getattr(self, what)
            if ids:
                out.append(f"  {what}: " + ", ".join(ids))
        return "\n".join(out)


def _old_regulation(old_files: dict[str, str], reg_id: str) -> Regulation:
    tree = MemoryTree({f"{regulation_dir(reg_id)}/{n}": t for n, t in old_files.items()})
    comp, _problems = load(tree)
    reg = comp.regulations.get(reg_id)
    if reg is None:
        raise ImportFailure(
            f"{manifest_path(reg_id)}: the existing regulation could not be read "
            "(expected a valid manifest; run make check)"
        )
    return reg


def _dump(meta: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{head}---\n{body}"


def _remap(body: str, ids: dict[str, str]) -> str:
    return _XREF.sub(lambda m: f"[[{ids.get(m[1], m[1])}]]", body)


def update_regulation(
    old_files: dict[str, str],
    new: ImportResult,
    missing: str | None,
    date: dt.date | None = None,
) -> UpdateResult:
    """The files of the regulation updated to ``new`` (see the module doc)."""
    reg_id = new.options.reg_id
    old = _old_regulation(old_files, reg_id)
    when = date or new.options.effective or dt.date.today()
    old_by_key = {(n.base, n.sub): aid for aid, n in numbers_of(old).articles.items()}
    new_arts = {(a.num, a.sub): a for a in new.doc.articles}
    gone = [aid for key, aid in old_by_key.items() if key not in new_arts]
    if gone and missing not in MISSING_CHOICES:
        raise ImportFailure(
            f"{len(gone)} article(s) of {regulation_dir(reg_id)} are not in the new source: "
            + ", ".join(gone)
            + " (pass --missing repeal to keep them as repealed in place, or --missing remove "
            "to delete them)"
        )
    taken = set(old.articles)
    ids: dict[str, str] = {}  # new import id -> final id
    for key, art in new_arts.items():
        if key in old_by_key:
            ids[art.id] = old_by_key[key]
        else:
            final, n = art.id, 1
            while final in taken:
                n += 1
                final = f"{art.id}-{n}"
            taken.add(final)
            ids[art.id] = final
    res = UpdateResult({}, missing=gone)
    _articles(res, old, old_files, new, ids, old_by_key)
    res.files[MANIFEST] = _manifest(old, old_files, new, ids, gone, missing, when, res)
    for name, text in old_files.items():  # anything else in the folder stays
        if name not in res.files and not name.endswith(".md"):
            res.files[name] = text
    return res


def _articles(
    res: UpdateResult,
    old: Regulation,
    old_files: dict[str, str],
    new: ImportResult,
    ids: dict[str, str],
    old_by_key: dict[tuple[int, int], str],
) -> None:
    keys = {a.id: (a.num, a.sub) for a in new.doc.articles}
    for art in new.doc.articles:
        nid, fid = art.id, ids[art.id]
        res.ids[fid] = f"{art.num}" + (f"-{art.sub}" if art.sub else "")
        zh_new = split_front_matter(new.files[f"{nid}.zh-Hant.md"])
        body = _remap(zh_new.body, ids)
        old_zh = old_files.get(f"{fid}.zh-Hant.md") if keys[nid] in old_by_key else None
        if old_zh is None:
            meta = dict(zh_new.meta, id=fid)
            res.added.append(fid)
        else:
            prev = split_front_matter(old_zh)
            meta = dict(prev.meta)
            if "caption" not in meta and zh_new.meta.get("caption"):
                meta["caption"] = zh_new.meta["caption"]
            if re.sub(r"\s+", "", prev.body) != re.sub(r"\s+", "", body):
                res.amended.append(fid)
            else:
                res.unchanged += 1
        res.files[f"{fid}.zh-Hant.md"] = _dump(meta, body)
        stamp = content_hash(meta.get("caption"), body)
        en_new = new.files.get(f"{nid}.en.md")
        old_en = old_files.get(f"{fid}.en.md") if old_zh is not None else None
        if en_new is not None:
            fresh = split_front_matter(en_new)
            meta_en = dict(split_front_matter(old_en).meta) if old_en else dict(fresh.meta)
            meta_en["id"] = fid
            meta_en["translates"] = stamp
            res.files[f"{fid}.en.md"] = _dump(meta_en, _remap(fresh.body, ids))
        elif old_en is not None:
            res.files[f"{fid}.en.md"] = old_en  # kept; shown as outdated if the text changed


def _manifest(
    old: Regulation,
    old_files: dict[str, str],
    new: ImportResult,
    ids: dict[str, str],
    gone: list[str],
    missing: str | None,
    when: dt.date,
    res: UpdateResult,
) -> str:
    old_meta = split_front_matter(old_files[MANIFEST]).meta
    new_meta = split_front_matter(new.files[MANIFEST]).meta
    old_chapters = old_meta.get("chapters") or []
    chapters = []
    for ci, ch in enumerate(new_meta["chapters"]):
        prev = old_chapters[ci] if ci < len(old_chapters) else None
        entry = dict(ch)
        if prev is not None:
            entry["id"] = prev["id"]
            if prev.get("title", {}).get(DEFAULT_LANGUAGE) == ch["title"].get(DEFAULT_LANGUAGE):
                entry["title"] = prev["title"]
        if "sections" in entry:
            entry["sections"] = [
                dict(s, articles=_entries(s["articles"], ids, old, res)) for s in entry["sections"]
            ]
        else:
            entry["articles"] = _entries(entry.get("articles") or [], ids, old, res)
        chapters.append(entry)
    if missing == "repeal":
        _keep_repealed(chapters, old, gone, when, res)
        for aid in gone:
            for name in (f"{aid}.zh-Hant.md", f"{aid}.en.md"):
                if name in old_files:
                    res.files[name] = old_files[name]
    else:
        for aid in gone:
            res.removed.append(aid)
    meta = {k: v for k, v in old_meta.items() if k != "chapters"}
    if new.options.effective:
        meta["effective"] = new.options.effective
    meta["chapters"] = chapters
    return _dump(meta, "")


def _entries(raw: list[Any], ids: dict[str, str], old: Regulation, res: UpdateResult) -> list[Any]:
    out: list[Any] = []
    for item in raw:
        entry = dict(item) if isinstance(item, dict) else {"id": item}
        entry["id"] = ids[entry["id"]]
        prev = old.articles.get(entry["id"])
        if prev is not None and prev.repealed is not None and "repealed" in entry:
            entry["repealed"] = prev.repealed  # repealed before: keep its date
        elif "repealed" in entry:
            res.repealed.append(entry["id"])
        out.append(entry if set(entry) != {"id"} else entry["id"])
    return out


def _keep_repealed(
    chapters: list[dict[str, Any]],
    old: Regulation,
    gone: list[str],
    when: dt.date,
    res: UpdateResult,
) -> None:
    """Put each article the new source lacks back after its old predecessor, repealed."""
    order = [a for ch in old.chapters for a in ch.article_ids]
    for aid in gone:
        pos = order.index(aid)
        before = order[pos - 1] if pos else None
        entry = {"id": aid, "repealed": when}
        if old.articles[aid].inserted:
            entry["inserted"] = True
        placed = False
        for ch in chapters:
            lists = (
                [s["articles"] for s in ch["sections"]] if "sections" in ch else [ch["articles"]]
            )
            for arts in lists:
                names = [a["id"] if isinstance(a, dict) else a for a in arts]
                if before in names:
                    arts.insert(names.index(before) + 1, entry)
                    placed = True
                    break
            if placed:
                break
        if not placed:
            first = chapters[0]
            arts = first["sections"][0]["articles"] if "sections" in first else first["articles"]
            arts.insert(0, entry)
        res.repealed.append(aid)
