"""The HTML policy for content: Markdown only, no raw HTML, safe links.

Editors write Markdown. Raw HTML anywhere in the sources (article bodies,
captions, titles, names, notes, every YAML text field) is refused by
validation (``path:line: raw HTML is not allowed here (<tag>)``), and so are
links whose scheme is not http, https or mailto (relative links are fine, as long
as they stay inside docs/; targets are read as Markdown reads them) and
attribute lists that set event handlers or styles.

Defence in depth, for a build that ignores the errors: ``escape_raw_html``
turns every ``<`` Markdown could read as raw HTML (``find_raw_html``, the
predicate validation uses too) into ``&lt;`` before Markdown sees it (the
renderer then adds its own links), ``escape_text`` escapes text
placed in headings and titles, and ``SafeHtmlExtension`` removes event
handlers, styles and unsafe link schemes from the element tree of every page
and article body (a link that loses its target is left as plain text).
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE as _AMP

SAFE_SCHEMES = ("http", "https", "mailto")
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")

# Where Markdown may start raw HTML: '<' before a letter (a tag, whatever follows the
# name: Python-Markdown's inline HTML_RE takes `<a_b`, `<a.b`, `<aé`, `<a=`), before '/'
# (an end tag), '!' (a comment, declaration or CDATA) or '?' (a processing instruction).
# Its block parser (html.parser) starts a tag nowhere else either.
_HTML_START_RE = re.compile(r"<[A-Za-z/!?]")
# Autolinks Markdown turns into links of its own: a strict subset of its AUTOLINK_RE and
# AUTOMAIL_RE forms (no whitespace, quotes or slashes before the '@'), so that no block
# parser can read one as a tag. Every other '<' of _HTML_START_RE is raw HTML.
_AUTOLINK_RE = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"'`]*|(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)>"
)
# Link destinations on one line: [text](dest), ![alt](dest), [ref]: dest (a first pass;
# ``link_targets`` reads them as Markdown does, across lines).
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
# An attribute list ({: ...} or {...}) that sets an event handler, style or source.
_ATTR_RE = re.compile(r"\{[^{}\n]*\b(on[a-z]+|style|srcdoc|href|src|formaction)\s*=", re.I)
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _tag_name(text: str, start: int) -> str:
    m = re.match(r"<(/?[A-Za-z][^\s\"'<>/=]{0,30}|!--|!\w*|\?\w*)", text[start:])
    return f"<{m.group(1)}…>" if m else f"<{text[start + 1 : start + 2]}…>"


def find_raw_html(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, "<tag…>")`` of every '<' Markdown could read as raw HTML (autolinks
    excepted): the one predicate of validation and of ``escape_raw_html``."""
    autolinks = [(m.start(), m.end()) for m in _AUTOLINK_RE.finditer(text)]
    for m in _HTML_START_RE.finditer(text):
        if any(a <= m.start() < b for a, b in autolinks):
            continue
        yield m.start(), _tag_name(text, m.start())


def _clean_dest(dest: str) -> str:
    """A link destination as a browser would read it: entities decoded (Markdown's own
    placeholders too), whitespace and control characters removed."""
    clean = dest.replace(_AMP, "&")
    clean = html.unescape(html.unescape(clean))
    return re.sub(r"[\x00-\x20\x7f\u00a0\u200b-\u200d\u2028\u2029\ufeff]+", "", clean)


def link_scheme(dest: str) -> str | None:
    """The scheme of a link destination as a browser would read it (entities decoded,
    whitespace and control characters removed, case folded), or None when relative."""
    m = _SCHEME_RE.match(_clean_dest(dest).lower())
    return m.group(1) if m else None


def unsafe_link(dest: str) -> bool:
    scheme = link_scheme(dest)
    return scheme is not None and scheme not in SAFE_SCHEMES


def local_path_problem(dest: str, base: str = "") -> str | None:
    """Why a relative destination is refused (an absolute path, or a path out of the
    docs folder from ``base``, the folder of the file inside docs), else None."""
    if link_scheme(dest) is not None:
        return None
    path = unquote(unquote(_clean_dest(dest).replace("\\", "/")))
    path = path.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    if path.startswith("/"):
        return "is an absolute path, which is not allowed"
    resolved = posixpath.normpath(posixpath.join(base or ".", path))
    if resolved == ".." or resolved.startswith("../"):
        return "points outside the docs folder, which is not allowed"
    return None


class _Targets(Treeprocessor):
    """Collects the link and image targets of the converted tree."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in _URL_ATTRS:
                if name in el.attrib:
                    self.md.link_targets.append(el.attrib[name])  # type: ignore[attr-defined]


_PARSER: Markdown | None = None
# A "]" that may end a link's text or a reference label (cross references [[id]] do not).
_MAY_LINK_RE = re.compile(r"\]\s*[(\[:]")


def link_targets(text: str) -> list[str]:
    """Every link and image target of ``text`` as Markdown reads it (links whose target
    sits on the next line, reference definitions, used or not, and autolinks)."""
    global _PARSER
    if "<" not in text and not _MAY_LINK_RE.search(text):
        return []  # no autolink and no "](", "][" or "]:": nothing Markdown links
    if _PARSER is None:
        _PARSER = Markdown(extensions=["attr_list", "tables", "admonition"])
        _PARSER.treeprocessors.register(_Targets(_PARSER), "compendium-targets", 2)
    _PARSER.reset()
    _PARSER.link_targets = []  # type: ignore[attr-defined]
    try:
        _PARSER.convert(escape_raw_html(text))
    except RecursionError:  # nesting beyond the limit (refused as such); lines checked alone
        _PARSER.reset()
        return []
    found = list(_PARSER.link_targets)  # type: ignore[attr-defined]
    found += [href for href, _title in _PARSER.references.values()]
    return found


def _dest_line(text: str, dest: str) -> list[int]:
    """The lines (0-based) where ``dest`` is written as a destination in ``text``: after
    '(', '<' or ':' (maybe on the line before), else where it first occurs."""
    needle = dest.strip()[:80]
    if not needle:
        return []
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    lines = [
        text.count("\n", 0, pos) for pos in starts if text[:pos].rstrip().endswith(("(", "<", ":"))
    ]
    return lines or [text.count("\n", 0, pos) for pos in starts[:1]]


def _link_message(dest: str, base: str) -> str | None:
    if unsafe_link(dest):
        return (
            f"link '{dest[:60]}' uses the scheme '{link_scheme(dest)}:', which is not "
            f"allowed (expected {', '.join(SAFE_SCHEMES)} or a relative link)"
        )
    if why := local_path_problem(dest, base):
        return (
            f"link '{dest[:60]}' {why} (expected a path relative to this file that stays "
            "inside docs/, or an http, https or mailto link)"
        )
    return None


def text_problems(text: str, base: str = "") -> Iterator[tuple[int, str]]:
    """``(line offset within text, message)`` of every policy breach in ``text``;
    ``base`` is the folder of its file inside docs ("" for docs itself), which
    relative links start from. One message per line and kind of breach."""
    found: dict[tuple[int, str], str] = {}

    def add(lineno: int, kind: str, message: str) -> None:
        found.setdefault((lineno, kind), message)

    for pos, tag in find_raw_html(text):
        add(
            text.count("\n", 0, pos),
            "html",
            f"raw HTML is not allowed here ({tag}); write Markdown "
            "(to show a '<' followed by a letter, write &lt;)",
        )
    # Targets as Markdown reads them (across lines) first: they name the whole target.
    escaped = escape_raw_html(text)
    for dest in dict.fromkeys(link_targets(text)):
        if message := _link_message(dest, base):
            for lineno in _dest_line(escaped, dest) or [0]:
                add(lineno, f"link {link_scheme(dest)}", message)
    for lineno, line in enumerate(text.split("\n")):
        dests = [m.group(1) for m in _LINK_RE.finditer(line)]
        if m := _REFDEF_RE.match(line):
            dests.append(m.group(1))
        dests += [m.group(0)[1:-1] for m in _AUTOLINK_RE.finditer(line)]
        for dest in dests:
            if message := _link_message(dest, base):
                add(lineno, f"link {link_scheme(dest)}", message)
        if m := _ATTR_RE.search(line):
            add(
                lineno,
                "attr",
                f"attribute '{m.group(1)}' is not allowed in an attribute list "
                "(expected only ids and classes, e.g. {: .note })",
            )
    for (lineno, _kind), message in sorted(found.items(), key=lambda item: item[0][0]):
        yield lineno, message


def walk_strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in parsed YAML, with its key path (for ``Lines``)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                yield path + (k,), k
            yield from walk_strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk_strings(v, path + (i,))


# -- defence in depth ------------------------------------------------------------


def escape_raw_html(text: str) -> str:
    """``text`` with the ``<`` of every raw HTML tag written as ``&lt;`` (Markdown
    then shows it as text); autolinks are kept."""
    spots = {pos for pos, _ in find_raw_html(text)}
    if not spots:
        return text
    return "".join("&lt;" if i in spots else c for i, c in enumerate(text))


def escape_text(text: str) -> str:
    """Plain text for a Markdown heading or a title: ``&``, ``<`` and ``>`` escaped."""
    return html.escape(text, quote=False)


class _SafeHtml(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in list(el.attrib):
                low = name.lower()
                if low.startswith("on") or low in ("style", "srcdoc"):
                    del el.attrib[name]
                elif low in _URL_ATTRS and unsafe_link(el.attrib[name]):
                    del el.attrib[name]  # an image or object: nothing to load
                    if el.tag == "a":  # a link: its text stays, as plain text
                        el.tag = "span"


class SafeHtmlExtension(Extension):
    """Removes event handlers, styles and unsafe link schemes from the element tree
    (after attribute lists and links have been processed)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_SafeHtml(md), "compendium-safe-html", 1)


def makeExtension(**kwargs: Any) -> SafeHtmlExtension:  # noqa: N802 - Markdown's API
    return SafeHtmlExtension(**kwargs)
