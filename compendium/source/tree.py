"""Where sources are read from: a folder on disk, or (for release diffs) a git tree.

Every reader lists and reads regular files only. What a docs folder may not hold
(symbolic links, hard links, named pipes, sockets, devices, anything resolving
outside the folder) is decided by :func:`refusal` for a folder on disk and by
``compendium.changes.git.GitTree`` for a commit (symbolic links, submodules); the
refused entries are never read, and each tree reports them through ``refused()``,
which the loader turns into errors: ``make check``, the site, the PDFs and
``make diff`` refuse the same entries with the same message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol

from compendium.source.encoding import read_utf8


class Tree(Protocol):
    """Read-only access to the files of a ``docs/`` folder."""

    display_root: str

    def files(self) -> list[str]:
        """Every file, as a POSIX path relative to the docs folder, sorted."""
        ...

    def read(self, rel: str) -> str:
        """The UTF-8 text of one file."""
        ...

    def refused(self) -> list[tuple[str, str]]:
        """``(path, message)`` of every entry that is not read (see :func:`refusal`)."""
        ...


def missing_docs(path: str | os.PathLike[str]) -> str | None:
    """The message to show when ``path`` is not a docs folder, or None when it is."""
    if Path(path).is_dir():
        return None
    return f"{path}: no such folder (expected the compendium's docs folder)"


EXPECTED = "expected a regular file or folder; copy the file in instead"


def symlink_message(target: str) -> str:
    return f"symbolic link (to '{target}') is not allowed in the docs folder ({EXPECTED})"


def submodule_message(commit: str) -> str:
    return f"submodule (commit {commit[:7]}) is not allowed in the docs folder ({EXPECTED})"


_KINDS = (
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def refusal(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """Why the entry ``path`` under the docs folder ``root`` may not be read, or None.

    The one rule for a folder on disk: a folder or a regular file with a single
    name, inside ``root`` once symbolic links and ``..`` are resolved. Refused: a
    symbolic link (to anything), a hard link (the same file under another name,
    possibly outside the repository), a named pipe, socket or device (reading one
    hangs or reads a device), and a path resolving outside ``root``.
    """
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror}; {EXPECTED})"
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return symlink_message(target)
    if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "special file")
        return f"{kind} is not allowed in the docs folder ({EXPECTED})"
    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        return (
            f"hard link (this file has {st.st_nlink} names) is not allowed in the docs folder "
            f"(expected a regular file with one name; {EXPECTED.split('; ')[1]})"
        )
    real, top = os.path.realpath(path), os.path.realpath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        return f"resolves outside the docs folder (to '{real}'; {EXPECTED})"
    return None


def path_refusal(rel: str, root: str | os.PathLike[str]) -> str | None:
    """:func:`refusal` for every step of the relative path ``rel`` under ``root`` (so no
    folder on the way is a link either); None when the file may be read."""
    path = Path(root)
    for part in rel.replace(os.sep, "/").split("/"):
        path = path / part
        why = refusal(path, root)
        if why is not None:
            return why
    return None


class DirTree:
    """A docs folder on disk. ``display_root`` prefixes paths in messages.

    Lists and reads only the entries :func:`refusal` accepts; the others are
    reported by :meth:`refused` and never opened.
    """

    def __init__(self, root: str | os.PathLike[str], display_root: str | None = None):
        self.root = Path(root)
        self.display_root = display_root if display_root is not None else self.root.name

    def _scan(self) -> tuple[list[str], list[tuple[str, str]]]:
        files: list[str] = []
        refused: list[tuple[str, str]] = []
        if os.path.islink(self.root):
            return [], [("", symlink_message(os.readlink(self.root)))]
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, self.root)
            keep = []
            for name in sorted(dirnames + filenames):
                rel = (name if rel_dir == "." else f"{rel_dir}/{name}").replace(os.sep, "/")
                why = refusal(os.path.join(dirpath, name), self.root)
                if why is not None:
                    refused.append((rel, why))
                elif name in dirnames:
                    keep.append(name)
                elif not any(part.startswith(".") for part in rel.split("/")):
                    files.append(rel)  # hidden files are not sources (but are still checked)
            dirnames[:] = keep  # never into a refused folder (os.walk does not follow links)
        return sorted(files), refused

    def files(self) -> list[str]:
        return self._scan()[0]

    def refused(self) -> list[tuple[str, str]]:
        return self._scan()[1]

    def read(self, rel: str) -> str:
        why = path_refusal(rel, self.root)
        if why is not None:
            raise PermissionError(f"{self.display_root}/{rel}: {why}")
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

    def refused(self) -> list[tuple[str, str]]:
        return []
