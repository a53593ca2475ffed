"""Rename an article, chapter, section, regulation or role, or move an article.

Ids are the identity of everything in the compendium, so a rename must rewrite
every place that names the id: the manifest, the article files (their names and
``id``), cross references ``[[...]]`` in every page, ``packs.yml``, the role
registry, ``roles``/``duties``/``owner`` fields and role pages. YAML is edited
by ruamel.yaml round-trips (comments and layout are kept), then the result is loaded
and validated before anything is written: a rename never leaves the compendium
with more problems than it had.

A renamed or moved article records its earlier id in ``formerly`` (Chinese
front-matter), a renamed regulation, chapter or section in ``formerly`` of its
manifest entry, so that :func:`compendium.changes.diff.compare` pairs it with its
old self: a rename is then no change at all, a move is reported as moved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.editing.manifestedit import (
    EditError,
    find_entry,
    find_group,
    insert,
    listed_ids,
    remove,
)
from compendium.editing.scaffold import ScaffoldError, check_id
from compendium.editing.yamlrt import (
    Document,
    YamlEditError,
    flow_list,
    put_after,
    rename_key,
)
from compendium.fsutil import Edits
from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.layout import (
    PACKS_FILE,
    ROLES_FILE,
    article_path,
    manifest_path,
    regulation_dir,
    regulation_of,
    regulation_of_manifest,
    role_page,
)
from compendium.source.loader import load
from compendium.source.packs import load_packs
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import YamlError, split_front_matter


class RenameError(ScaffoldError):
    pass


class _Overlay:
    """The docs folder as it will be after ``edits``."""

    def __init__(self, base: DirTree, edits: Edits):
        self.base, self.edits = base, edits
        self.display_root = base.display_root

    def files(self) -> list[str]:
        return sorted((set(self.base.files()) - set(self.edits.deletes)) | set(self.edits.writes))

    def read(self, rel: str) -> str:
        if rel in self.edits.writes:
            return self.edits.writes[rel]
        return self.base.read(rel)

    def refused(self) -> list[tuple[str, str]]:
        return self.base.refused()


class _Work:
    def __init__(self, docs: Path):
        self.docs = docs
        self.tree = DirTree(docs, display_root=str(docs))
        self.edits = Edits(docs)

    def text(self, rel: str) -> str:
        if rel in self.edits.writes:
            return self.edits.writes[rel]
        return self.tree.read(rel)

    def put(self, rel: str, text: str) -> None:
        if text != self.text(rel) or rel in self.edits.writes:
            self.edits.write(rel, text)

    def move(self, old: str, new: str) -> None:
        if (self.docs / new).exists():
            raise RenameError(f"{self.docs / new}: already exists (expected a free target)")
        self.edits.write(new, self.text(old))
        self.edits.writes.pop(old, None)
        self.edits.delete(old)

    def markdown(self) -> list[str]:
        return [
            r
            for r in sorted(set(self.tree.files()) | set(self.edits.writes))
            if r.endswith(".md") and r not in self.edits.deletes
        ]

    def finish(self) -> Edits:
        before = _errors(self.tree)
        after = _errors(_Overlay(self.tree, self.edits))
        new = [p for p in after if p not in before]
        if new:
            raise RenameError(
                "the change would leave these problems, nothing was written:\n  " + "\n  ".join(new)
            )
        return self.edits


def _errors(tree: Any) -> list[str]:
    comp, problems = load(tree)
    _, pack_problems = load_packs(tree, comp)
    # Compare messages without line numbers: edits may shift lines.
    return [f"{p.path}: {p.message}" for p in problems.errors + pack_problems.errors]


def _front(text: str) -> dict[str, Any]:
    try:
        meta = split_front_matter(text).meta
    except YamlError as exc:
        raise RenameError(f"{exc.line}: {exc.message}") from exc
    return meta if isinstance(meta, dict) else {}


def _doc(text: str, path: Path, front_matter: bool = True) -> Document:
    try:
        return Document(text, front_matter)
    except YamlEditError as exc:
        raise RenameError(f"{path}:{exc}") from exc


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _list(mapping: Any, key: str) -> list[Any]:
    value = mapping.get(key)
    return value if isinstance(value, list) else []


def _rewrite_refs(work: _Work, mapping: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Rewrite ``[[...]]`` whose target is a key of ``mapping`` in every page."""
    for rel in work.markdown():
        current = regulation_of(rel) or ""
        text = work.text(rel)

        def sub(m: re.Match[str], current: str = current) -> str:
            target = parse_target(m.group(1), current)
            if target is None or target not in mapping:
                return m.group(0)
            reg, art = mapping[target]
            return f"[[{art}]]" if reg == current else f"[[{reg}/{art}]]"

        work.put(rel, XREF_RE.sub(sub, text))


def _requalify(text: str, reg: str, treg: str) -> str:
    """References of a page moving from ``reg`` to ``treg``, written for ``treg``."""

    def sub(m: re.Match[str]) -> str:
        target = parse_target(m.group(1), reg)
        if target is None:
            return m.group(0)
        return f"[[{target[1]}]]" if target[0] == treg else f"[[{target[0]}/{target[1]}]]"

    return XREF_RE.sub(sub, text)


def _add_formerly(item: Any, value: str) -> None:
    """Record ``value`` in the ``formerly`` list of the mapping ``item``, next to its ``id``."""
    earlier = item.get("formerly")
    if isinstance(earlier, list):
        earlier.append(value)
    else:
        put_after(item, "id", "formerly", flow_list(value))


def _formerly(text: str, value: str, path: Path) -> str:
    """``text`` with ``value`` recorded in its front-matter's ``formerly``."""
    doc = _doc(text, path)
    _add_formerly(doc.data, value)
    return doc.text()


# ``fn(key kind, value, pack part)``: the new value of a packs.yml scalar, or None to keep it.
PacksRenamer = Callable[[tuple[str, ...], Any, dict[str, Any]], str | None]


def _packs_rename(work: _Work, fn: PacksRenamer) -> None:
    """Apply ``fn(kind, value, part) -> new value or None`` to every id of packs.yml."""
    if not (work.docs / PACKS_FILE).is_file():
        return
    try:
        doc = Document(work.text(PACKS_FILE))
    except YamlEditError:
        return
    changed = False

    def apply(items: list[Any], kind: str, part: dict[str, Any]) -> None:
        nonlocal changed
        for i, value in enumerate(items):
            new = fn((kind,), value, part)
            if new:
                items[i], changed = new, True

    for pack in _list(doc.data, "packs"):
        if not isinstance(pack, dict):
            continue
        apply(_list(pack, "roles"), "roles", pack)
        for part in _list(pack, "contents"):
            if not isinstance(part, dict):
                continue
            if isinstance(part.get("regulation"), str):
                new = fn(("regulation",), part["regulation"], part)
                if new:
                    part["regulation"], changed = new, True
                apply(_list(part, "chapters"), "chapters", part)
            apply(_list(part, "articles"), "articles", part)
    if changed:
        work.put(PACKS_FILE, doc.text())


def _split(value: str, what: str) -> tuple[str, str]:
    if value.count("/") != 1:
        raise RenameError(f"{what}='{value}' must be <regulation-id>/<id>")
    a, b = value.split("/")
    return a, b


# -- entry points ----------------------------------------------------------------


def rename(docs: Path, old: str, new: str) -> Edits:
    """Rename ``old`` to ``new``: ``reg/article``, ``reg/chapter``, ``reg`` or ``role:id``."""
    docs = Path(docs)
    if old.startswith("role:") or new.startswith("role:"):
        return _rename_role(docs, old.removeprefix("role:"), new.removeprefix("role:"))
    if "/" in old:
        reg, oid = _split(old, "OLD")
        nreg, nid = _split(new, "NEW")
        if nreg != reg:
            raise RenameError(
                f"OLD and NEW name different regulations ('{reg}', '{nreg}'): "
                "use make move to move an article to another regulation"
            )
        check_id(nid, "new id")
        if oid == nid:
            raise RenameError("OLD and NEW are the same")
        mrel = manifest_path(reg)
        if not (docs / mrel).is_file():
            raise RenameError(f"{docs / mrel}: no such regulation '{reg}'")
        text = (docs / mrel).read_text(encoding="utf-8")
        if find_entry(text, oid) is not None:
            return _rename_article(docs, reg, oid, nid)
        if find_group(text, oid) is not None or _chapter_path(text, oid) is not None:
            return _rename_chapter(docs, reg, oid, nid)
        raise RenameError(
            f"{docs / mrel}:1: '{oid}' is neither an article nor a chapter or section of '{reg}'"
        )
    check_id(new, "new id")
    if (docs / regulation_dir(old)).is_dir():
        return _rename_regulation(docs, old, new)
    comp, _ = load(DirTree(docs))
    if old in comp.roles:
        return _rename_role(docs, old, new)
    raise RenameError(
        f"'{old}' is no regulation and no role (expected reg/article, reg/chapter, reg or role:id)"
    )


def _rename_article(docs: Path, reg: str, oid: str, nid: str) -> Edits:
    work = _Work(docs)
    mrel = manifest_path(reg)
    text = work.text(mrel)
    if nid in listed_ids(text):
        raise RenameError(f"{docs / mrel}:1: article '{nid}' already exists in '{reg}'")
    entry = find_entry(text, oid)
    assert entry is not None  # rename() only calls this for a listed article
    doc = _doc(text, docs / mrel)
    items = _get(doc.data, entry.path)
    if isinstance(items[entry.index], dict):
        items[entry.index]["id"] = nid
    else:
        items[entry.index] = nid
    work.put(mrel, doc.text())
    for lang in LANGUAGES:
        orel = article_path(reg, oid, lang)
        if not (docs / orel).is_file():
            continue
        nrel = article_path(reg, nid, lang)
        doc = _doc(work.text(orel), docs / orel)
        if doc.data.get("id") == oid:
            doc.data["id"] = nid
        if lang == DEFAULT_LANGUAGE:
            _add_formerly(doc.data, oid)
        work.put(orel, doc.text())
        work.move(orel, nrel)
    _rewrite_refs(work, {(reg, oid): (reg, nid)})
    _packs_rename(
        work,
        lambda kind, v, _p: (
            f"{reg}/{nid}" if kind == ("articles",) and v == f"{reg}/{oid}" else None
        ),
    )
    return work.finish()


def _chapter_path(text: str, cid: str) -> tuple[Any, ...] | None:
    meta = _front(text)
    for ci, ch in enumerate(meta.get("chapters") or []):
        if isinstance(ch, dict) and ch.get("id") == cid:
            return ("chapters", ci, "id")
        for si, sec in enumerate((ch or {}).get("sections") or [] if isinstance(ch, dict) else []):
            if isinstance(sec, dict) and sec.get("id") == cid:
                return ("chapters", ci, "sections", si, "id")
    return None


def _rename_chapter(docs: Path, reg: str, oid: str, nid: str) -> Edits:
    work = _Work(docs)
    mrel = manifest_path(reg)
    text = work.text(mrel)
    if _chapter_path(text, nid) is not None:
        raise RenameError(f"{docs / mrel}:1: chapter or section '{nid}' already exists in '{reg}'")
    where = _chapter_path(text, oid)
    assert where is not None  # rename() only calls this for a chapter or section id
    doc = _doc(text, docs / mrel)
    group = _get(doc.data, where[:-1])
    group["id"] = nid
    _add_formerly(group, oid)
    work.put(mrel, doc.text())
    _packs_rename(
        work,
        lambda kind, v, part: (
            nid if kind == ("chapters",) and v == oid and part.get("regulation") == reg else None
        ),
    )
    return work.finish()


def _rename_regulation(docs: Path, old: str, new: str) -> Edits:
    work = _Work(docs)
    if (docs / regulation_dir(new)).exists():
        raise RenameError(
            f"{docs / regulation_dir(new)}: already exists (expected a new regulation id)"
        )
    mrel = manifest_path(old)
    text = work.text(mrel)
    doc = _doc(text, docs / mrel)
    if doc.data.get("id") == old:
        doc.data["id"] = new
        _add_formerly(doc.data, old)
        work.put(mrel, doc.text())
    prefix = f"{regulation_dir(old)}/"
    articles = listed_ids(text)
    mapping = {(old, a): (new, a) for a in articles}
    _rewrite_refs(work, mapping)
    for rel in [r for r in work.tree.files() if r.startswith(prefix)]:
        if rel.endswith(f".{DEFAULT_LANGUAGE}.md"):
            aid = rel[len(prefix) :].removesuffix(f".{DEFAULT_LANGUAGE}.md")
            work.put(rel, _formerly(work.text(rel), f"{old}/{aid}", docs / rel))
        work.move(rel, f"{regulation_dir(new)}/{rel[len(prefix) :]}")

    def packs(kind: tuple[str, ...], v: Any, _part: dict[str, Any]) -> str | None:
        if kind == ("regulation",) and v == old:
            return new
        if kind == ("articles",) and isinstance(v, str) and v.startswith(f"{old}/"):
            return f"{new}/{v.split('/', 1)[1]}"
        return None

    _packs_rename(work, packs)
    return work.finish()


def _rename_role(docs: Path, old: str, new: str) -> Edits:
    check_id(new, "new role id")
    work = _Work(docs)
    comp, _ = load(DirTree(docs))
    if old not in comp.roles:
        raise RenameError(f"{docs / ROLES_FILE}:1: no role '{old}'")
    if new in comp.roles:
        raise RenameError(f"{docs / ROLES_FILE}:1: role '{new}' already exists")
    doc = _doc(work.text(ROLES_FILE), docs / ROLES_FILE, front_matter=False)
    for role in _list(doc.data, "roles"):
        for key in ("id", "parent"):
            if role.get(key) == old:
                role[key] = new
    work.put(ROLES_FILE, doc.text())
    for rel in work.markdown():
        ftext = work.text(rel)
        if (
            old in ftext
            and _front(ftext)
            and _rename_role_in(doc := _doc(ftext, docs / rel), rel, old, new)
        ):
            work.put(rel, doc.text())
    page = role_page(old)
    if (docs / page).is_file():
        work.move(page, role_page(new))
    _packs_rename(work, lambda kind, v, _p: new if kind == ("roles",) and v == old else None)
    return work.finish()


def _rename_role_in(doc: Document, rel: str, old: str, new: str) -> bool:
    """Rename role ``old`` in the front-matter ``doc`` of page ``rel``; whether it named it."""
    meta, changed = doc.data, False
    if regulation_of_manifest(rel) and meta.get("owner") == old:
        meta["owner"], changed = new, True
    roles = _list(meta, "roles")
    for i, r in enumerate(roles):
        if r == old:
            roles[i], changed = new, True
    if isinstance(meta.get("duties"), dict) and old in meta["duties"]:
        rename_key(meta["duties"], old, new)
        changed = True
    if meta.get("compendium") == "role" and meta.get("role") == old:
        meta["role"], changed = new, True
    return changed


def move(docs: Path, article: str, to: str, after: str | None = None) -> Edits:
    """Move ``reg/article`` to the end of chapter or section ``to`` (``[reg/]group``),
    or right after article ``after`` of the target regulation."""
    docs = Path(docs)
    reg, aid = _split(article, "OLD")
    treg, group = to.split("/", 1) if "/" in to else (reg, to)
    work = _Work(docs)
    srel, trel = manifest_path(reg), manifest_path(treg)
    for rel, r in ((srel, reg), (trel, treg)):
        if not (docs / rel).is_file():
            raise RenameError(f"{docs / rel}: no such regulation '{r}'")
    stext = work.text(srel)
    if find_entry(stext, aid) is None:
        raise RenameError(f"{docs / srel}:1: article '{aid}' is not listed in '{reg}'")
    if treg != reg and aid in listed_ids(work.text(trel)):
        raise RenameError(f"{docs / trel}:1: article '{aid}' already exists in '{treg}'")
    try:
        stext = remove(stext, aid)
        work.put(srel, stext)
        ttext = work.text(trel)
        if after:
            entry = find_entry(ttext, after)
            if entry is None:
                raise RenameError(f"{docs / trel}:1: AFTER='{after}' is not an article of '{treg}'")
            path, index = entry.path, entry.index + 1
        else:
            group_path = find_group(ttext, group)
            if group_path is None:
                raise RenameError(
                    f"{docs / trel}:1: '{group}' is no chapter (without sections) or section of '{treg}'"
                )
            path = group_path
            index = len(_get(_front(ttext), path) or [])
        work.put(trel, insert(ttext, path, index, aid, False))
    except EditError as exc:
        raise RenameError(f"{docs / trel}:{exc}") from exc
    if treg != reg:
        for lang in LANGUAGES:
            orel = article_path(reg, aid, lang)
            if (docs / orel).is_file():
                ftext = _requalify(work.text(orel), reg, treg)
                if lang == DEFAULT_LANGUAGE:
                    ftext = _formerly(ftext, f"{reg}/{aid}", docs / orel)
                work.put(orel, ftext)
                work.move(orel, article_path(treg, aid, lang))
        _rewrite_refs(work, {(reg, aid): (treg, aid)})
        _packs_rename(
            work,
            lambda kind, v, _p: (
                f"{treg}/{aid}" if kind == ("articles",) and v == f"{reg}/{aid}" else None
            ),
        )
    return work.finish()
