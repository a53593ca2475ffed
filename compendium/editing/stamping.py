"""Translation stamps: which Chinese text an English article translates.

``set_translates`` sets the front-matter field ``translates: <hash>`` of one file
(a ruamel.yaml round-trip: the rest is kept as written); ``plan_stamps`` decides
which English files a stamp run changes and checks every new text before any file
is written. ``scripts/stamp.py`` is the command line (``make stamp``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compendium.editing.yamlrt import Document, YamlEditError, put_after
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


def set_translates(text: str, value: str) -> str:
    """``text`` with its front-matter field ``translates`` set to ``value`` (a new
    field goes after ``id``); the rest is kept as written. Raises YamlEditError
    when the file has no front-matter mapping."""
    doc = Document(text, front_matter=True)
    put_after(doc.data, "id", "translates", value)
    return doc.text()


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
            except YamlEditError as exc:
                raise StampError(f"{en.path}:{exc.line}: cannot stamp: {exc.message}") from None
            except (ValueError, YamlError) as exc:
                raise StampError(f"{en.path}:1: cannot stamp: {exc}") from None
            updates.append(StampUpdate(path, updated, en.path, value))
    return updates, unchanged
