"""Where sources are read from: a folder on disk, or (for release diffs) a git tree."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class Tree(Protocol):
    """Read-only access to the files of a ``docs/`` folder."""

    display_root: str

    def files(self) -> list[str]:
        """Every file, as a POSIX path relative to the docs folder, sorted."""
        ...

    def read(self, rel: str) -> str:
        """The UTF-8 text of one file."""
        ...


def missing_docs(path: str | os.PathLike[str]) -> str | None:
    """The message to show when ``path`` is not a docs folder, or None when it is."""
    if Path(path).is_dir():
        return None
    return f"{path}: no such folder (expected the compendium's docs folder)"


class DirTree:
    """A docs folder on disk. ``display_root`` prefixes paths in messages."""

    def __init__(self, root: str | os.PathLike[str], display_root: str | None = None):
        self.root = Path(root)
        self.display_root = display_root if display_root is not None else self.root.name

    def files(self) -> list[str]:
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = os.path.relpath(dirpath, self.root)
            for name in filenames:
                if name.startswith("."):
                    continue
                rel = name if rel_dir == "." else f"{rel_dir}/{name}"
                out.append(rel.replace(os.sep, "/"))
        return sorted(out)

    def read(self, rel: str) -> str:
        from compendium.source.encoding import read_utf8

        return read_utf8((self.root / rel).read_bytes())


class MemoryTree:
    """Files held in a dict; used by tests and by the git reader."""

    def __init__(self, files: dict[str, str], display_root: str = "docs"):
        self._files = dict(files)
        self.display_root = display_root

    def files(self) -> list[str]:
        return sorted(self._files)

    def read(self, rel: str) -> str:
        return self._files[rel]
