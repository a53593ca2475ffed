"""Writing files and folders so that a reader never sees half of one.

The one owner of atomic writes: every output, cache entry and source edit goes
through here. A file is written to a temporary file in its own folder, flushed to
disk, and renamed over its target (``os.replace``): a reader sees the old file or
the new one, and a failure leaves the old one and no temporary behind. A folder
built beside its target is swapped in the same way (``replace_dir``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically. An existing file keeps
    its permissions; a new one is readable by all (0644). Returns ``path``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_atomic_with(path, lambda fh: fh.write(raw))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """As ``write_atomic``, with ``write(file)`` streaming the content (a large PDF
    is written straight to disk, not held in memory)."""

    def make(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            write(fh)

    write_atomic_via(path, make)
    return path


def write_atomic_via(path: Path, make: Callable[[Path], T]) -> T:
    """As ``write_atomic``, for a writer that takes a file name: ``make(tmp)`` writes
    the temporary file ``tmp`` beside ``path``; returns what ``make`` returned."""
    mode = _mode(path)
    tmp = _temp_name(path)
    try:
        result = make(tmp)
        _flush(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def stage_beside(path: Path, raw: bytes) -> Path:
    """A temporary file beside ``path`` holding ``raw``, for a caller that renames a
    set of them into place together (``compendium.source.edits.Edits``)."""
    mode = _mode(path)
    tmp = _temp_name(path)
    try:
        tmp.write_bytes(raw)
        _flush(tmp)
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def replace_dir(new: Path, target: Path, aside: Path | None = None) -> None:
    """Put the folder ``new`` (a sibling of ``target``) in place of ``target``: the
    old folder is renamed to ``aside`` (default: a hidden sibling), ``new`` is renamed
    in, and the old one removed. When renaming in fails the old folder is put back."""
    old: Path | None = None
    if target.exists():
        if aside is None:
            aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.replaced-", dir=target.parent))
            aside.rmdir()
        os.replace(target, aside)
        old = aside
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _mode(path: Path) -> int:
    """The permissions the new file gets: an existing file's, else 0644."""
    return path.stat().st_mode & 0o777 if path.exists() else 0o644


def _temp_name(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def _flush(tmp: Path) -> None:
    """Make the written bytes durable before the rename makes them visible."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
