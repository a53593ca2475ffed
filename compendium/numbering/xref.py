"""Cross references written by id: ``[[article-id]]`` and ``[[regulation-id/article-id]]``."""

from __future__ import annotations

import re
from collections.abc import Callable

XREF_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_TARGET_RE = re.compile(rf"\A(?:({_PART})/)?({_PART})\Z")


def parse_target(text: str, current_regulation: str) -> tuple[str, str] | None:
    """``(regulation id, article id)`` of a reference, or None when malformed."""
    m = _TARGET_RE.fullmatch(text.strip())
    if not m:
        return None
    return (m.group(1) or current_regulation, m.group(2))


def replace_references(
    text: str, current_regulation: str, render: Callable[[str, str, bool], str]
) -> str:
    """Replace every reference in ``text`` with ``render(regulation, article, same)``.

    ``same`` is true when the target is in ``current_regulation``. Malformed
    references are left as written (validation reports them).
    """

    def sub(m: re.Match[str]) -> str:
        target = parse_target(m.group(1), current_regulation)
        if target is None:
            return m.group(0)
        return render(target[0], target[1], target[0] == current_regulation)

    return XREF_RE.sub(sub, text)
