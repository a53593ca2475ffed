"""Edit a regulation manifest as text, keeping its comments and layout.

The manifest is YAML written by people: lists may be flow lists
(``articles: [a, b]``) or block lists (``- a`` / ``- {id: b, inserted: true}`` /
``- id: c`` followed by ``inserted: true``). These helpers change one entry in
place and then re-read the result to make sure the change is exactly the one
intended; anything else raises :class:`EditError` with a message for the editor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


def _meta(text: str) -> tuple[dict[str, Any], Any]:
    try:
        doc = split_front_matter(text)
    except YamlError as exc:
        raise EditError(f"{exc.line}: {exc.message}") from exc
    if not isinstance(doc.meta, dict):
        raise EditError("1: the manifest has no front-matter mapping")
    return doc.meta, doc.lines


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
    meta, _ = _meta(text)
    for path, cid, sid, items in article_lists(meta):
        for i, item in enumerate(items):
            if _item_id(item) == aid:
                return Entry(path, i, cid, sid)
    return None


def find_group(text: str, group: str) -> tuple[Any, ...] | None:
    """The article-list path of the chapter (without sections) or section ``group``."""
    meta, _ = _meta(text)
    for path, cid, sid, _items in article_lists(meta):
        if (sid or cid) == group:
            return path
    return None


def listed_ids(text: str) -> list[str]:
    meta, _ = _meta(text)
    return [str(_item_id(i)) for _p, _c, _s, items in article_lists(meta) for i in items]


def _get(meta: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        meta = meta[p]
    return meta


def _entry_text(aid: str, inserted: bool) -> str:
    return f"{{id: {aid}, inserted: true}}" if inserted else aid


def _block_end(lines: list[str], start: int) -> int:
    """Index after the last line of the block-list item starting at ``start``."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and (len(line) - len(line.lstrip())) <= indent:
            break
        if line.strip() == "---":
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def insert(text: str, path: tuple[Any, ...], index: int, aid: str, inserted: bool) -> str:
    """``text`` with ``aid`` inserted at ``index`` of the article list at ``path``."""
    meta, lines_of = _meta(text)
    items = list(_get(meta, path))
    expected = [_item_id(i) for i in items]
    expected.insert(index, aid)
    lines = text.split("\n")
    entry = _entry_text(aid, inserted)
    if not items:
        ln = lines_of(*path) - 1
        m = re.match(r"^(\s*articles:\s*)\[\s*\](.*)$", lines[ln])
        if not m:
            raise EditError(f"{ln + 1}: expected an 'articles: []' list here")
        lines[ln] = f"{m.group(1)}[{entry}]{m.group(2)}"
    else:
        ref = min(index, len(items) - 1)
        ln = lines_of(*path, ref) - 1
        line = lines[ln]
        head = line.lstrip()
        flow = not head.startswith("- ")
        if flow:
            tok = re.escape(str(_item_id(items[ref])))
            pat = rf"(\{{\s*id:\s*{tok}\s*(?:,[^}}]*)?\}}|(?<![\w-]){tok}(?![\w-]))"
            m = re.search(pat, line)
            if not m:
                raise EditError(f"{ln + 1}: could not find '{items[ref]}' on this line")
            if index > ref:
                lines[ln] = line[: m.end()] + f", {entry}" + line[m.end() :]
            else:
                lines[ln] = line[: m.start()] + f"{entry}, " + line[m.start() :]
        else:
            indent = line[: len(line) - len(head)]
            new_line = f"{indent}- {entry}"
            if index > ref:
                lines.insert(_block_end(lines, ln), new_line)
            else:
                lines.insert(ln, new_line)
    out = "\n".join(lines)
    got = [_item_id(i) for i in _get(_meta(out)[0], path)]
    if got != expected:
        raise EditError(
            f"{lines_of(*path)}: the article list could not be edited safely; edit it by hand"
        )
    return out


def remove(text: str, aid: str) -> str:
    """``text`` without the manifest entry of ``aid``."""
    entry = find_entry(text, aid)
    if entry is None:
        raise EditError(f"1: article '{aid}' is not listed in this manifest")
    meta, lines_of = _meta(text)
    items = _get(meta, entry.path)
    expected = [_item_id(i) for i in items if _item_id(i) != aid]
    lines = text.split("\n")
    ln = lines_of(*entry.path, entry.index) - 1
    line = lines[ln]
    if line.lstrip().startswith("- "):
        del lines[ln : _block_end(lines, ln)]
    else:
        tok = re.escape(aid)
        pat = rf"(\{{\s*id:\s*{tok}\s*(?:,[^}}]*)?\}}|(?<![\w-]){tok}(?![\w-]))"
        m = re.search(pat, line)
        if not m:
            raise EditError(f"{ln + 1}: could not find '{aid}' on this line")
        start, end = m.start(), m.end()
        after = re.match(r"\s*,\s*", line[end:])
        before = re.search(r",\s*$", line[:start])
        if after:
            end += after.end()
        elif before:
            start = before.start()
        lines[ln] = line[:start] + line[end:]
    out = "\n".join(lines)
    newmeta = _meta(out)[0]
    got = [_item_id(i) for i in (_get(newmeta, entry.path) or [])] if expected else []
    if got != expected:
        raise EditError(f"{ln + 1}: the article list could not be edited safely; edit it by hand")
    return out
