"""Find and change the article lists of a regulation manifest.

The manifest is YAML written by people: lists may be flow lists
(``articles: [a, b]``) or block lists (``- a`` / ``- {id: b, inserted: true}`` /
``- id: c`` followed by ``inserted: true``). Edits are ruamel.yaml round-trips
(:mod:`compendium.editing.yamlrt`): comments and layout are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from compendium.editing.yamlrt import (
    Document,
    YamlEditError,
    flow_list,
    flow_map,
)
from compendium.source.yamlsrc import YamlError, split_front_matter


class EditError(ValueError):
    pass


@dataclass
class Entry:
    """Where an article is listed: the list's key path and the index in it."""

    path: tuple[Any, ...]  # ("chapters", 0, "articles") or (..., "sections", 1, "articles")
    index: int
    chapter: str
    section: str | None


def _meta(text: str) -> dict[str, Any]:
    try:
        doc = split_front_matter(text)
    except YamlError as exc:
        raise EditError(f"{exc.line}: {exc.message}") from exc
    if not isinstance(doc.meta, dict):
        raise EditError("1: the manifest has no front-matter mapping")
    return doc.meta


def _item_id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else item


def article_lists(
    meta: dict[str, Any],
) -> Iterator[tuple[tuple[Any, ...], Any, Any, list[Any]]]:
    """``(key path, chapter id, section id, list)`` of every article list, in order."""
    for ci, ch in enumerate(meta.get("chapters") or []):
        if not isinstance(ch, dict):
            continue
        if "sections" in ch:
            for si, sec in enumerate(ch.get("sections") or []):
                if isinstance(sec, dict):
                    yield (
                        ("chapters", ci, "sections", si, "articles"),
                        ch.get("id"),
                        sec.get("id"),
                        sec.get("articles") or [],
                    )
        else:
            yield ("chapters", ci, "articles"), ch.get("id"), None, ch.get("articles") or []


def find_entry(text: str, aid: str) -> Entry | None:
    meta = _meta(text)
    for path, cid, sid, items in article_lists(meta):
        for i, item in enumerate(items):
            if _item_id(item) == aid:
                return Entry(path, i, cid, sid)
    return None


def find_group(text: str, group: str) -> tuple[Any, ...] | None:
    """The article-list path of the chapter (without sections) or section ``group``."""
    meta = _meta(text)
    for path, cid, sid, _items in article_lists(meta):
        if (sid or cid) == group:
            return path
    return None


def listed_ids(text: str) -> list[str]:
    meta = _meta(text)
    return [str(_item_id(i)) for _p, _c, _s, items in article_lists(meta) for i in items]


def _edit(text: str, path: tuple[Any, ...]) -> tuple[Document, Any]:
    """The manifest ready to edit and its article list at ``path``."""
    try:
        doc = Document(text, front_matter=True)
    except YamlEditError as exc:
        raise EditError(str(exc)) from exc
    parent = doc.data
    for p in path[:-1]:
        parent = parent[p]
    if not parent[path[-1]]:  # ``articles: []`` (or no value) stays a flow list
        parent[path[-1]] = flow_list()
    return doc, parent[path[-1]]


def insert(text: str, path: tuple[Any, ...], index: int, aid: str, inserted: bool) -> str:
    """``text`` with ``aid`` inserted at ``index`` of the article list at ``path``."""
    doc, items = _edit(text, path)
    items.insert(index, flow_map(id=aid, inserted=True) if inserted else aid)
    return doc.text()


def remove(text: str, aid: str) -> str:
    """``text`` without the manifest entry of ``aid``."""
    entry = find_entry(text, aid)
    if entry is None:
        raise EditError(f"1: article '{aid}' is not listed in this manifest")
    doc, items = _edit(text, entry.path)
    del items[entry.index]
    return doc.text()
