"""Translation stamps: which Chinese text an English article translates.

``set_translates`` sets the front-matter field ``translates: <hash>`` of one file,
changing that line only (the rest is kept byte for byte); ``plan_stamps`` decides
which English files a stamp run changes and checks every new text before any file
is written. ``scripts/stamp.py`` is the command line (``make stamp``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from compendium.source.layout import article_path
from compendium.source.model import Compendium
from compendium.source.yamlsrc import YamlError, split_front_matter


class StampError(ValueError):
    """A file that cannot be stamped; the message is ``path:line: what``."""


@dataclass(frozen=True)
class StampUpdate:
    path: Path  # the file to write
    text: str  # its new text
    shown: str  # the path as reported to the editor
    value: str  # the hash written


FRONT_END = re.compile(r"^---[ \t]*\r?$")
TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:")


def set_translates(text: str, value: str) -> str:
    """``text`` with its front-matter field ``translates`` set to ``value``.

    Replaces the existing top-level ``translates:`` line, or inserts one after the
    ``id:`` line (else as the first field). Raises ValueError when the file has no
    front-matter.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not FRONT_END.match(lines[0].rstrip("\n")):
        raise ValueError("expected YAML front-matter between '---' lines at the top of the file")
    end = next((i for i in range(1, len(lines)) if FRONT_END.match(lines[i].rstrip("\n"))), None)
    if end is None:
        raise ValueError("the front-matter has no closing '---' line")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    scalar = (
        value if isinstance(yaml.safe_load(value), str) else f'"{value}"'
    )  # 123456789012 is a number
    new_line = f"translates: {scalar}{newline}"
    after_id = None
    for i in range(1, end):
        m = TOP_KEY.match(lines[i])
        if not m:
            continue
        if m["key"] == "translates":
            j = i + 1  # drop continuation lines of a multi-line value, if any
            while j < end and lines[j][:1] in (" ", "\t"):
                j += 1
            return "".join(lines[:i] + [new_line] + lines[j:])
        if m["key"] == "id":
            after_id = i + 1
    at = after_id if after_id is not None else 1
    return "".join(lines[:at] + [new_line] + lines[at:])


def article_key(item: str) -> tuple[str, str] | None:
    """``reg/art`` or ``…/regulations/reg/art.<lang>.md`` -> (reg, art)."""
    parts = item.replace("\\", "/").split("/")
    if len(parts) >= 2 and parts[-1].endswith(".md"):
        return parts[-2], parts[-1].split(".", 1)[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return None


def plan_stamps(
    comp: Compendium,
    docs: Path,
    everything: bool,
    only: set[tuple[str, str]] | None = None,
) -> tuple[list[StampUpdate], int]:
    """The files to stamp and how many are already current.

    Without ``everything`` only English files with no ``translates`` field are
    stamped; ``only`` limits the run to those articles. Raises StampError for a file
    whose new text would not read back with the new hash."""
    updates: list[StampUpdate] = []
    unchanged = 0
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            en = art.texts.get("en")
            if only is not None and (reg.id, art.id) not in only:
                continue
            if en is None or (en.translates is not None and not everything):
                continue
            value = art.source_hash
            if en.translates == value:
                unchanged += 1
                continue
            path = docs / article_path(reg.id, art.id, "en")
            try:
                updated = set_translates(path.read_bytes().decode("utf-8"), value)
                if split_front_matter(updated).meta.get("translates") != value:
                    raise ValueError("the field could not be set on its own line")
            except (ValueError, YamlError) as exc:
                raise StampError(f"{en.path}:1: cannot stamp: {exc}") from None
            updates.append(StampUpdate(path, updated, en.path, value))
    return updates, unchanged
