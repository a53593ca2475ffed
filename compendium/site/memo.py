"""Results kept between builds, keyed by their whole input: never by a file's time.

A ``Memo`` maps a digest of a computation's input to its output (text). It is
read from a JSON file when a build starts and written back, holding only what
this build used, when it ends; a missing, unreadable or foreign file is an
empty memo. Every key also holds ``CODE``: a digest of the source of the
``compendium`` package, so a change to the code that computes a result never
reuses a result of the old code.

Used for the Markdown conversion of article bodies (site and print) and the word
segmentation of pages for the search index: after a one-article edit, only the
bodies and pages of that edit are computed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import markdown

from compendium.fsutil import write_atomic

PACKAGE = Path(__file__).resolve().parent.parent


def _code_digest() -> str:
    digest = hashlib.sha256(markdown.__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


CODE = _code_digest()


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256(CODE.encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8"))
    return h.hexdigest()


class Memo:
    """Digest of an input -> output text, loaded from and saved to ``path`` (or kept in memory)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._old: dict[str, str] = {}
        self._new: dict[str, str] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and data.get("code") == CODE:
                entries = data.get("entries")
                if isinstance(entries, dict):
                    self._old = {k: v for k, v in entries.items() if isinstance(v, str)}
        self._changed = False

    def get(self, key: str) -> str | None:
        found = self._new.get(key)
        if found is None:
            found = self._old.get(key)
            if found is not None:
                self._new[key] = found
        return found

    def put(self, key: str, value: str) -> None:
        self._new[key] = value
        self._changed = True

    def save(self) -> None:
        """Write what this build used (atomically); nothing when there is no file."""
        if self.path is None or not (self._changed or self._new.keys() != self._old.keys()):
            return
        write_atomic(
            self.path, json.dumps({"code": CODE, "entries": self._new}, ensure_ascii=False)
        )


class FileMemo(Memo):
    """A ``Memo`` of large results: one file per entry in the folder ``path``.

    Only the entries a build asks for are read; ``save`` removes the files this
    build did not use. The folder is named after ``CODE``'s first digits, so a
    change of code starts afresh.
    """

    def __init__(self, path: Path):
        super().__init__(None)
        self.folder = path / CODE[:16]
        self._used: set[str] = set()

    def get(self, key: str) -> str | None:
        try:
            found = (self.folder / key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self._used.add(key)
        return found

    def put(self, key: str, value: str) -> None:
        write_atomic(self.folder / key, value)
        self._used.add(key)

    def save(self) -> None:
        parent = self.folder.parent
        if not parent.is_dir():
            return
        for old in parent.iterdir():
            if old.is_dir() and old != self.folder:
                for f in old.iterdir():
                    f.unlink()
                old.rmdir()
        if self.folder.is_dir():
            for f in self.folder.iterdir():
                if f.name not in self._used:
                    f.unlink()
