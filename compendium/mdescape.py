"""Plain text made safe inside Markdown: the one escaper of Markdown syntax.

``escape_md`` escapes what Markdown reads as markup (emphasis, code, braces,
``[[...]]``, raw HTML, a list, quote or heading at a line start) and leaves the
imported sources readable (a lone ``[`` or ``&`` stays). ``md_escape``, the ``md``
filter of the templates, adds what a report or pull-request comment must keep
inert: one line, HTML's characters, links, table cells, words a forge would link.
"""

from __future__ import annotations

import html
import re
from typing import Any

from compendium.source.chars import LINE_BREAK_RE


def _inline_re(chars: str) -> re.Pattern[str]:
    return re.compile(rf"([{re.escape(chars)}])|\[\[|<(?=[A-Za-z/!?])")


_SOURCE_RE = _inline_re("\\`*_{}")  # what Markdown reads as markup inside a line
_SHOWN_RE = _inline_re("\\`*_{}[]|~#")  # and links, table cells, strike-through, headings
_LIST_START_RE = re.compile(r"^(\d+)([.)])(?=\s|$)")
_BLOCK_START = "#>+-=|"  # a heading, quote, list, setext underline or table row


def escape_md(text: str) -> str:
    """Escape what Markdown would read as markup in plain regulation text."""
    return _escape(text, _SOURCE_RE, first=True)


def _escape(text: str, inline: re.Pattern[str], first: bool) -> str:
    out = inline.sub(_inline, text)
    if first:  # a line start: "1. " is not a list, "# " not a heading
        out = _LIST_START_RE.sub(r"\1\\\2", out)
        if out[:1] and out[:1] in _BLOCK_START:
            out = "\\" + out
    return out


def _inline(m: re.Match[str]) -> str:
    s = m.group(0)
    return "\\[\\[" if s == "[[" else "&lt;" if s == "<" else "\\" + s


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
    return _escape(html.escape(text, quote=False), _SHOWN_RE, first)
