"""Writing files and folders so that a reader never sees half of one.

A file is written to a temporary file in its own folder, flushed to disk and
renamed over its target: a reader sees the old file or the new one, and a failure
leaves the old one and no temporary. A new file is readable by all (0644); an
existing one keeps its permissions. A folder is swapped in whole (``replace_dir``),
a set of edits applied together (``Edits``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path``; returns ``path``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_via(path, _writer(raw))
    return path


def write_atomic_via(path: Path, make: Callable[[Path], T]) -> T:
    """``make(tmp)`` writes the file ``tmp`` beside ``path`` (a PDF streamed to disk,
    a copy), which then replaces ``path``; returns what ``make`` returned."""
    tmp, result = _staged(path, make)
    os.replace(tmp, path)
    return result


def replace_dir(new: Path, target: Path, aside: Path | None = None) -> None:
    """Put the folder ``new`` (a sibling) in place of ``target``: the old folder is
    renamed to ``aside`` (default: a hidden sibling), ``new`` renamed in, the old one
    removed; when ``new`` cannot go in, the old folder is put back."""
    moved = target.exists()
    if moved:
        if aside is None:
            aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.replaced-", dir=target.parent))
            aside.rmdir()
        os.replace(target, aside)
    try:
        os.replace(new, target)
    except BaseException:
        if moved and aside is not None:
            os.replace(aside, target)
        raise
    if moved and aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _writer(raw: bytes) -> Callable[[Path], int]:
    return lambda tmp: tmp.write_bytes(raw)


def _staged(path: Path, make: Callable[[Path], T]) -> tuple[Path, T]:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        result = make(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)  # the bytes are on disk before the rename shows them
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, result


@dataclass
class Edits:
    """File changes under ``root`` applied all at once, or not at all: every new text
    is staged beside its target first, and only when all are written are they renamed
    into place (and deleted files removed)."""

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
                temps.append((rel, _staged(self.root / rel, _writer(text.encode("utf-8")))[0]))
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
