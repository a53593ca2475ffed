"""The kinds of value a command line takes, as argparse types: one rule each.

Every script declares its options once, in its own parser, with these types; the
same parser checks a value typed on the command line and one given to make
(``scripts/cli.py --from-make``, which names the make variable in the message).
A refusal says which value is wrong and what is expected; the value is then never
used, so a git revision that looks like an option or a text with a control
character reaches nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from compendium.changes.git import VERSION_RE
from compendium.source.fields import ID_RE

DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
ARTICLE_RE = re.compile(r"\A(?!-)[A-Za-z0-9._/-]+\Z")
FILE_PATH_RE = re.compile(r"\A(?!-)[^\x00-\x1f\x7f]+\Z")
CODE_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
# What a revision never holds: characters git refuses in a ref name and that
# revision syntax (HEAD~1, v1^, release/2026.1) does not need.
_NOT_IN_REVISION = re.compile(r"[\x00-\x20\x7f:?*\[\\]|\.\.|@\{|//")


def _refuse(value: str, what: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{value!r} is not {what}")


def revision(value: str) -> str:
    """A git revision (release version, tag, branch, commit, ``HEAD~1``), never an option."""
    bad = ""
    if not value:
        bad = "it is empty"
    elif value.startswith("-"):
        bad = "it starts with '-'"
    elif m := _NOT_IN_REVISION.search(value):
        bad = f"it contains {m.group(0)!r}"
    elif value.endswith((".", "/", ".lock")) or value.startswith("/") or value == "@":
        bad = "it starts or ends with a character git does not allow there"
    elif any(part.startswith(".") for part in value.split("/")):
        bad = "a part of it starts with '.'"
    if bad:
        raise _refuse(
            value,
            f"a git ref name ({bad}); expected a release such as 2026.1, a tag, a branch "
            "or a commit",
        )
    return value


def version(value: str) -> str:
    if not VERSION_RE.fullmatch(value):
        raise _refuse(value, "a release version (expected <year>.<n>, e.g. 2026.2)")
    return value


def identifier(value: str) -> str:
    if not ID_RE.fullmatch(value):
        raise _refuse(
            value,
            "an id (expected lowercase letters, digits and single hyphens, e.g. leave-policy)",
        )
    return value


def code(value: str) -> str:
    if not CODE_RE.fullmatch(value):
        raise _refuse(value, "a code (expected letters, digits, '.', '_' and '-', e.g. HR-02)")
    return value


def article(value: str) -> str:
    if not ARTICLE_RE.fullmatch(value):
        raise _refuse(value, "an article (expected <regulation-id>/<article-id> or its path)")
    return value


def date(value: str) -> dt.date:
    try:
        if DATE_RE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise _refuse(value, "a date (expected YYYY-MM-DD)")


def text(value: str) -> str:
    """Free text (titles, release notes): any text but control characters."""
    if any(ord(c) < 0x20 and c not in "\n\t" or c == "\x7f" for c in value):
        raise _refuse(value, "plain text (it contains a control character)")
    return value


def path(value: str) -> Path:
    """A file or folder name; where it may point is decided by compendium.source.paths."""
    if not FILE_PATH_RE.fullmatch(value):
        raise _refuse(
            value, "a file path (expected a name without control characters, not starting with '-')"
        )
    return Path(value)
