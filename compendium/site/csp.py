"""Content-Security-Policy for the site: no script but the site's own files and the
few inline scripts the theme itself writes.

The policy text lives in ``templates/overrides/main.html`` (one ``<meta>`` tag);
its ``script-src`` holds the placeholder ``CSP_INLINE_HASHES``. After a page is
rendered, ``fill_policy`` replaces the placeholder with the SHA-256 hashes of
the page's inline scripts that are exactly one of the theme's own (taken from
the theme's template files, so a theme upgrade needs no change here). Any
other inline script, such as one smuggled in through content, gets no hash and
the browser refuses to run it. ``admit_script`` does the same for the live
preview's reload script, which MkDocs' server adds to each page it serves.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

PLACEHOLDER = "CSP_INLINE_HASHES"

_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_JINJA_COMMENT_RE = re.compile(r"\{#.*?#\}", re.S)
_JINJA_EXPR_RE = re.compile(r"\{\{.*?\}\}", re.S)
_JINJA_TAG_RE = re.compile(r"\{%.*?%\}", re.S)


def theme_script_patterns(folder: Path) -> list[re.Pattern[str]]:
    """One pattern per inline script in the theme's templates under ``folder``:
    its text with every ``{{ expression }}`` allowed to be any text without quotes
    or angle brackets."""
    patterns: list[re.Pattern[str]] = []
    for file in sorted(folder.rglob("*.html")):
        source = _JINJA_TAG_RE.sub("", _JINJA_COMMENT_RE.sub("", file.read_text("utf-8")))
        for m in _SCRIPT_RE.finditer(source):
            if "src=" in m.group("attrs") or "type=" in m.group("attrs"):
                continue
            parts = _JINJA_EXPR_RE.split(m.group("body"))
            patterns.append(
                re.compile(
                    "".join(
                        re.escape(p) if i == len(parts) - 1 else re.escape(p) + r"[^\"'<>\\]*"
                        for i, p in enumerate(parts)
                    ),
                    re.S,
                )
            )
    return patterns


def fill_policy(html: str, patterns: list[re.Pattern[str]]) -> str:
    """``html`` with the placeholder replaced by the hashes of its theme scripts."""
    if PLACEHOLDER not in html:
        return html
    hashes = []
    for m in _SCRIPT_RE.finditer(html):
        attrs, body = m.group("attrs"), m.group("body")
        if "src=" in attrs or (
            "type=" in attrs and "javascript" not in attrs and "module" not in attrs
        ):
            continue  # external scripts fall under 'self'; JSON data never runs
        if any(p.fullmatch(body) for p in patterns):
            hashes.append(_hash(body))
    return html.replace(PLACEHOLDER, " ".join(dict.fromkeys(hashes)), 1)


def _hash(body: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"


_POLICY_RE = re.compile(
    r'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src \'self\')'
)


def admit_script(html: bytes, pattern: re.Pattern[str]) -> bytes:
    """``html`` whose policy also admits its inline scripts that ``pattern`` matches in
    full. For the live preview only (MkDocs' server appends its reload script to every
    page it serves); a built site never passes through here."""
    text = html.decode("utf-8", "surrogateescape")
    hashes = [
        _hash(m.group("body"))
        for m in _SCRIPT_RE.finditer(text)
        if not m.group("attrs").strip() and pattern.fullmatch(m.group("body"))
    ]
    if not hashes:
        return html
    policy = _POLICY_RE.search(text)
    if policy is None:
        return html
    at = policy.end()
    return (text[:at] + " " + " ".join(hashes) + text[at:]).encode("utf-8", "surrogateescape")
