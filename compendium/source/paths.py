"""Paths a user names on a command line or in a make variable: where they may point.

The one rule, for every script and make variable that takes a path:

- an **output** (``--out``, ``OUT=``, ``--notes-out``) never goes into the docs folder
  or into a ``.git`` folder, is never a symbolic link itself, and stays inside the
  repository;
- an **input** (``--notes-file``, ``--docs``) stays inside the repository and is a
  regular file or folder (a named pipe would hang the command);
- ``--allow-outside`` lets an input or output be outside the repository (never in
  docs/ or .git/).

Symbolic links and ``..`` are resolved before deciding, and the resolved path is
what the caller uses, so a link swapped in afterwards is not followed. Import
sources (``make import SRC=../shared/...``) are inputs that may be anywhere: they
are only read, and reading a shared corpus beside the repository is their use
(:func:`check_source`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

ALLOW_OUTSIDE = "--allow-outside"


class PathRefused(ValueError):
    """A path that may not be used; ``str()`` names the option, the path and what is allowed."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolve(value: str | os.PathLike[str], base: str | os.PathLike[str] | None) -> Path:
    given = Path(value)
    if not given.is_absolute():
        given = Path(base if base is not None else os.getcwd()) / given
    return Path(os.path.realpath(given))


def _refuse(what: str, value: str | os.PathLike[str], why: str, expected: str) -> PathRefused:
    return PathRefused(f"{what} '{os.fspath(value)}': {why} (expected {expected})")


def check_output(
    what: str,
    value: str | os.PathLike[str],
    root: str | os.PathLike[str],
    docs: str | os.PathLike[str] = "docs",
    allow_outside: bool = False,
    base: str | os.PathLike[str] | None = None,
) -> Path:
    """The resolved path an output named by ``what`` (``OUT``, ``--out``) may be written
    to; ``value`` is relative to ``base`` (default: the current folder), ``docs`` to the
    repository ``root``. Raises PathRefused saying what is allowed."""
    expected = "a path inside the repository, outside docs/ and .git/, such as build/diff" + (
        "" if allow_outside else f"; a path outside the repository needs {ALLOW_OUTSIDE}"
    )
    given = Path(value) if Path(value).is_absolute() else Path(base or os.getcwd()) / value
    if os.path.islink(given):
        why = "is a symbolic link (an output is never written through one)"
        raise _refuse(what, value, why, expected)
    real = _resolve(value, base)
    top = Path(os.path.realpath(root))
    docs_dir = Path(os.path.realpath(top / docs))
    if ".git" in real.parts:
        raise _refuse(what, value, f"resolves into a .git folder ({real})", expected)
    if _inside(real, docs_dir):
        raise _refuse(what, value, f"resolves into the docs folder ({real})", expected)
    if not _inside(real, top) and not allow_outside:
        raise _refuse(what, value, f"resolves to {real}, outside the repository {top}", expected)
    return real


def check_input(
    what: str,
    value: str | os.PathLike[str],
    root: str | os.PathLike[str],
    allow_outside: bool = False,
    base: str | os.PathLike[str] | None = None,
    folder: bool = False,
) -> Path:
    """The resolved path of an input named by ``what`` (``--notes-file``, ``--docs``):
    inside the repository ``root`` (unless ``allow_outside``), a regular file (or a
    folder when ``folder``) when it exists. Raises PathRefused saying what is allowed."""
    kind = "folder" if folder else "file"
    expected = f"a {kind} inside the repository" + (
        "" if allow_outside else f"; a {kind} outside it needs {ALLOW_OUTSIDE}"
    )
    real = _resolve(value, base)
    top = Path(os.path.realpath(root))
    if not _inside(real, top) and not allow_outside:
        raise _refuse(what, value, f"resolves to {real}, outside the repository {top}", expected)
    _check_kind(what, value, real, folder, expected)
    return real


def check_source(what: str, value: str | os.PathLike[str], base: str | None = None) -> Path:
    """An import source: anywhere (a corpus beside the repository is the usual place),
    but a regular file, so reading it cannot hang on a named pipe or read a device."""
    real = _resolve(value, base)
    _check_kind(what, value, real, False, "a regular UTF-8 text file")
    return real


def _check_kind(
    what: str, value: str | os.PathLike[str], real: Path, folder: bool, expected: str
) -> None:
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return  # a missing file is reported by the reader, with its own message
    ok = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not ok:
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise _refuse(what, value, f"is {kind}", expected)
