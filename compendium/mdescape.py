"""Plain text made safe inside Markdown.

``md_escape`` is the ``md`` filter of every template (:mod:`compendium.templating`):
text shown in a Markdown report, the revision history or a pull-request comment
stays text there.
"""

from __future__ import annotations

import html
import re
from typing import Any

from compendium.source.yamlsrc import LINE_BREAK_RE

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")

# What GitHub or GitLab would turn into a live link, a mention or a reference when it is
# found in text: a URL (any ``scheme://``, ``mailto:`` and kin, ``www.``), ``@`` (people,
# ``@everyone``, ``@org/team``, e-mail addresses) and the reference characters followed by
# a name or number (``#123``, ``!123`` merge requests, ``&12`` epics, ``$1`` snippets,
# ``%milestone``, ``~label``, ``^alert``; ``GH-123``). Each such word is shown as code:
# both services leave code spans alone, so nothing in it links or notifies anyone.
_ASCII_TAIL = r"[\x21-\x5f\x61-\x7e]*"  # printable ASCII but the backtick
# Each alternative starts only where its leading run starts (the look-behinds), so the
# search stays linear on a long run of letters.
_LIVE_RE = re.compile(
    rf"(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]*://"
    rf"|(?:mailto|xmpp|tel|sms|irc|javascript|data|file):|www\.){_ASCII_TAIL}"
    rf"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@{_ASCII_TAIL}"
    rf"|(?<![A-Za-z0-9_./-])[A-Za-z0-9_./-]*[#!&$%~^][A-Za-z0-9_\"]{_ASCII_TAIL}"
    rf"|\bGH-\d{_ASCII_TAIL}",
    re.IGNORECASE,
)


def md_escape(text: Any) -> str:
    """Text safe inside Markdown (and the HTML GitHub allows in it), on one line, and
    inert in a pull-request comment: no raw HTML, no link, image or emphasis, and no word GitHub
    or GitLab would turn into a link, a mention or a reference (shown as code instead;
    see ``_LIVE_RE``)."""
    raw = LINE_BREAK_RE.sub(" ", str(text))  # one line: a break ends a heading or a row
    out: list[str] = []
    pos = 0
    for m in _LIVE_RE.finditer(raw):
        out.append(_escape_plain(raw[pos : m.start()], first=pos == 0))
        out.append(f"`{m.group(0)}`")  # the word holds no backtick (see _ASCII_TAIL)
        pos = m.end()
    out.append(_escape_plain(raw[pos:], first=pos == 0))
    return "".join(out)


def _escape_plain(text: str, first: bool) -> str:
    out = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    if first:  # "1. " at a line start is not a list
        out = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", out)
    return out
