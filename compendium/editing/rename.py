"""Rename an article, chapter, section, regulation or role, or move an article.

Ids are the identity of everything in the compendium, so a rename must rewrite
every place that names the id: the manifest, the article files (their names and
``id``), cross references ``[[...]]`` in every page, ``packs.yml``, the role
registry, ``roles``/``duties``/``owner`` fields and role pages. Edits are made
in the text in place (comments and layout are kept), then the result is loaded
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
from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.edits import Edits
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
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import YamlError, load_yaml, split_front_matter


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
    from compendium.printing.packs import load_packs

    comp, problems = load(tree)
    _, pack_problems = load_packs(tree, comp)
    # Compare messages without line numbers: edits may shift lines.
    return [f"{p.path}: {p.message}" for p in problems.errors + pack_problems.errors]


def _id_sub(line: str, old: str, new: str) -> tuple[str, int]:
    return re.subn(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, line, count=1)


def _at(text: str, line_no: int, old: str, new: str) -> str:
    lines = text.split("\n")
    lines[line_no - 1], n = _id_sub(lines[line_no - 1], old, new)
    if not n:
        raise RenameError(f"{line_no}: could not find '{old}' on this line")
    return "\n".join(lines)


def _front(text: str) -> tuple[dict[str, Any], Any]:
    try:
        doc = split_front_matter(text)
    except YamlError as exc:
        raise RenameError(f"{exc.line}: {exc.message}") from exc
    return (doc.meta if isinstance(doc.meta, dict) else {}), doc.lines


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


def _add_formerly(text: str, value: str, where: tuple[Any, ...] = ()) -> str:
    """Record ``value`` in the ``formerly`` list of the front-matter mapping at ``where``
    (the top level, or a chapter or section of a manifest), next to its ``id``."""
    meta, lines = _front(text)
    item: Any = meta
    for p in where:
        item = item[p]
    rows = text.split("\n")
    id_row = rows[lines(*where, "id") - 1]
    col = id_row.find("id:")
    if col < 0 or "{" in id_row[:col]:
        return text  # a flow mapping {id: …}: left as written (the diff then shows remove + add)
    indent = " " * (len(id_row) - len(id_row.lstrip(" -")) if where else 0)
    earlier = item.get("formerly")
    if isinstance(earlier, list):
        items = [*earlier, value]
        ln = lines(*where, "formerly") - 1
        if rows[ln].strip().startswith("formerly:") and "[" in rows[ln]:
            rows[ln] = indent + "formerly: [" + ", ".join(str(i) for i in items) + "]"
        else:
            rows.insert(ln + len(earlier) + 1, f"{indent}  - {value}")
    else:
        rows.insert(lines(*where, "id"), f"{indent}formerly: [{value}]")
    return "\n".join(rows)


# ``fn(key kind, value, pack part)``: the new value of a packs.yml scalar, or None to keep it.
PacksRenamer = Callable[[tuple[str, ...], Any, dict[str, Any]], str | None]


def _packs_rename(work: _Work, fn: PacksRenamer) -> None:
    """Apply ``fn(path, value) -> new value or None`` to every scalar of packs.yml."""
    if not (work.docs / PACKS_FILE).is_file():
        return
    text = work.text(PACKS_FILE)
    try:
        data, lines = load_yaml(text)
    except YamlError:
        return
    for pi, pack in enumerate((data or {}).get("packs") or []):
        if not isinstance(pack, dict):
            continue
        for ri, role in enumerate(pack.get("roles") or []):
            new = fn(("roles",), role, pack)
            if new:
                text = _at(text, lines("packs", pi, "roles", ri), role, new)
        for qi, part in enumerate(pack.get("contents") or []):
            if not isinstance(part, dict):
                continue
            where = ("packs", pi, "contents", qi)
            if isinstance(part.get("regulation"), str):
                new = fn(("regulation",), part["regulation"], part)
                if new:
                    text = _at(text, lines(*where, "regulation"), part["regulation"], new)
                for ci, ch in enumerate(part.get("chapters") or []):
                    new = fn(("chapters",), ch, part)
                    if new:
                        text = _at(text, lines(*where, "chapters", ci), ch, new)
            for ai, key in enumerate(part.get("articles") or []):
                new = fn(("articles",), key, part)
                if new:
                    text = _at(text, lines(*where, "articles", ai), key, new)
    work.put(PACKS_FILE, text)


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
    meta, lines = _front(text)
    item: Any = meta
    for p in entry.path:
        item = item[p]
    item = item[entry.index]
    line = (
        lines(*entry.path, entry.index, "id")
        if isinstance(item, dict)
        else lines(*entry.path, entry.index)
    )
    work.put(mrel, _at(text, line, oid, nid))
    for lang in LANGUAGES:
        orel = article_path(reg, oid, lang)
        if not (docs / orel).is_file():
            continue
        nrel = article_path(reg, nid, lang)
        ftext = work.text(orel)
        fmeta, flines = _front(ftext)
        if fmeta.get("id") == oid:
            ftext = _at(ftext, flines("id"), oid, nid)
        if lang == DEFAULT_LANGUAGE:
            ftext = _add_formerly(ftext, oid)
        work.put(orel, ftext)
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
    meta, _ = _front(text)
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
    _, lines = _front(text)
    where = _chapter_path(text, oid)
    assert where is not None  # rename() only calls this for a chapter or section id
    text = _at(text, lines(*where), oid, nid)
    work.put(mrel, _add_formerly(text, oid, where[:-1]))
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
    meta, lines = _front(text)
    if meta.get("id") == old:
        work.put(mrel, _add_formerly(_at(text, lines("id"), old, new), old))
    prefix = f"{regulation_dir(old)}/"
    articles = listed_ids(text)
    mapping = {(old, a): (new, a) for a in articles}
    _rewrite_refs(work, mapping)
    for rel in [r for r in work.tree.files() if r.startswith(prefix)]:
        if rel.endswith(f".{DEFAULT_LANGUAGE}.md"):
            aid = rel[len(prefix) :].removesuffix(f".{DEFAULT_LANGUAGE}.md")
            work.put(rel, _add_formerly(work.text(rel), f"{old}/{aid}"))
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
    text = work.text(ROLES_FILE)
    data, lines = load_yaml(text)
    for i, role in enumerate(data["roles"]):
        if role.get("id") == old:
            text = _at(text, lines("roles", i, "id"), old, new)
        if role.get("parent") == old:
            text = _at(text, lines("roles", i, "parent"), old, new)
    work.put(ROLES_FILE, text)
    for rel in work.markdown():
        ftext = work.text(rel)
        meta, flines = _front(ftext)
        if regulation_of_manifest(rel) and meta.get("owner") == old:
            ftext = _at(ftext, flines("owner"), old, new)
        for i, r in enumerate(
            meta.get("roles") or [] if isinstance(meta.get("roles"), list) else []
        ):
            if r == old:
                ftext = _at(ftext, flines("roles", i), old, new)
        if isinstance(meta.get("duties"), dict) and old in meta["duties"]:
            ftext = _at(ftext, flines("duties", old), old, new)
        if meta.get("compendium") == "role" and meta.get("role") == old:
            ftext = _at(ftext, flines("role"), old, new)
        work.put(rel, ftext)
    page = role_page(old)
    if (docs / page).is_file():
        work.move(page, role_page(new))
    _packs_rename(work, lambda kind, v, _p: new if kind == ("roles",) and v == old else None)
    return work.finish()


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
            meta, _ = _front(ttext)
            items = meta
            for p in path:
                items = items[p]
            index = len(items or [])
        work.put(trel, insert(ttext, path, index, aid, False))
    except EditError as exc:
        raise RenameError(f"{docs / trel}:{exc}") from exc
    if treg != reg:
        for lang in LANGUAGES:
            orel = article_path(reg, aid, lang)
            if (docs / orel).is_file():
                ftext = _requalify(work.text(orel), reg, treg)
                if lang == DEFAULT_LANGUAGE:
                    ftext = _add_formerly(ftext, f"{reg}/{aid}")
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
