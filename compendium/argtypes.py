"""The kinds of value a command line takes, as argparse types: one rule each.

Every script declares its options once, in its own parser, with these types; the
same parser checks a value typed on the command line and one given to make
(``scripts/cli.py --from-make``, which names the make variable in the message).
A refused value is never used: a git revision that looks like an option or a text
with a control character reaches nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from compendium.changes.git import VERSION_RE
from compendium.source.fields import DATE_EXPECTED, ID_EXPECTED, date_value, is_id

T = TypeVar("T")

ARTICLE_RE = re.compile(r"\A(?!-)[A-Za-z0-9._/-]+\Z")
FILE_PATH_RE = re.compile(r"\A(?!-)[^\x00-\x1f\x7f]+\Z")
CODE_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
TEXT_RE = re.compile(r"\A[^\x00-\x08\x0b-\x1f\x7f]*\Z")
LINE_RE = re.compile(r"\A(?!-)[^\x00-\x1f\x7f]*\Z")
# What a revision never holds: characters git refuses in a ref name and that
# revision syntax (HEAD~1, v1^, release/2026.1) does not need.
_NOT_IN_REVISION = re.compile(r"[\x00-\x20\x7f:?*\[\\]|\.\.|@\{|//|\A[-/.]|[./]\Z|\.lock\Z|/\.")


def _refuse(value: str, what: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{value!r} is not {what}")


def _matching(pattern: re.Pattern[str], what: str, make: Callable[[str], T]) -> Callable[[str], T]:
    def check(value: str) -> T:
        if not pattern.fullmatch(value):
            raise _refuse(value, what)
        return make(value)

    return check


def revision(value: str) -> str:
    """A git revision (release version, tag, branch, commit, ``HEAD~1``), never an option."""
    found = _NOT_IN_REVISION.search(value)
    if not value or value == "@" or found:
        bad = f"it has {found.group(0)!r} where git allows none" if found else "it is empty or '@'"
        if value.startswith("-"):
            bad = "it starts with '-'"
        raise _refuse(
            value,
            f"a git ref name ({bad}); expected a release such as 2026.1, a tag, a branch "
            "or a commit",
        )
    return value


def date(value: str) -> dt.date:
    day = date_value(value)
    if day is None:
        raise _refuse(value, DATE_EXPECTED)
    return day


def identifier(value: str) -> str:
    if not is_id(value):
        raise _refuse(value, f"an id ({ID_EXPECTED})")
    return value


version = _matching(VERSION_RE, "a release version (expected <year>.<n>, e.g. 2026.2)", str)
code = _matching(CODE_RE, "a code (expected letters, digits, '.', '_' and '-', e.g. HR-02)", str)
article = _matching(
    ARTICLE_RE, "an article (expected <regulation-id>/<article-id> or its path)", str
)
text = _matching(TEXT_RE, "plain text (it contains a control character)", str)
line = _matching(
    LINE_RE, "one line of text (expected a name or a reference, not starting with '-')", str
)
# where a path may point is decided by compendium.source.paths
path = _matching(
    FILE_PATH_RE, "a file path (expected no control characters, not starting with '-')", Path
)
