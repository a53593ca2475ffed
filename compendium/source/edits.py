"""Write files so that a reader never sees half of one: ``write_atomic`` for one
file, ``Edits`` for a set of file changes applied all at once, or not at all.

Every new text is written to a temporary file beside its target first; only when
all are written are they renamed into place (and old files removed). A failure
before that point leaves the tree untouched.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file beside it,
    renamed into place: the old file or the new one, never a part. An existing file
    keeps its permissions; a new one is readable by all (0644)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_atomic_with(path, functools.partial(_put, raw))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """As ``write_atomic``, with ``write(file)`` streaming the content (a large PDF
    is written straight to disk, not held in memory)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    tmp = _temp_beside(path, write)
    try:
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _put(raw: bytes, out: BinaryIO) -> None:
    out.write(raw)


def _temp_beside(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """A temporary file in ``path``'s folder holding what ``write`` wrote; removed
    again when ``write`` fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@dataclass
class Edits:
    root: Path
    writes: dict[str, str] = field(default_factory=dict)  # rel -> new text
    deletes: list[str] = field(default_factory=list)  # rel

    def write(self, rel: str, text: str) -> None:
        self.writes[rel] = text

    def delete(self, rel: str) -> None:
        self.deletes.append(rel)

    def touched(self) -> list[str]:
        return sorted(set(self.writes) | set(self.deletes))

    def apply(self) -> None:
        temps: list[tuple[str, Path]] = []
        try:
            for rel, text in sorted(self.writes.items()):
                raw = text.encode("utf-8")
                temps.append((rel, _temp_beside(self.root / rel, functools.partial(_put, raw))))
        except BaseException:
            for _, tmp in temps:
                tmp.unlink(missing_ok=True)
            raise
        for rel, tmp in temps:
            os.replace(tmp, self.root / rel)
        for rel in self.deletes:
            if rel not in self.writes:
                (self.root / rel).unlink(missing_ok=True)
        for rel in self.deletes:  # remove folders emptied by a move
            parent = (self.root / rel).parent
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
