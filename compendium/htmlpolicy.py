"""The HTML policy for content: Markdown only, no raw HTML, safe links.

Editors write Markdown. Raw HTML anywhere in the sources (article bodies,
captions, titles, names, notes, every YAML text field) is refused by
validation (``path:line: raw HTML is not allowed here (<tag>)``), and so are
links whose scheme is not http, https or mailto (relative links are fine) and
attribute lists that set event handlers or styles.

Defence in depth, for a build that ignores the errors: ``escape_raw_html``
turns every tag-like ``<`` of author text into ``&lt;`` before Markdown sees
it (the renderer then adds its own links), ``escape_text`` escapes text
placed in headings and titles, and ``SafeHtmlExtension`` removes event
handlers, styles and unsafe link schemes from the element tree of every page
and article body.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http", "https", "mailto")

# A tag, end tag, comment, declaration or processing instruction.
_TAG_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:-]*(?=[\s/>]|$)|!|\?)")
# Markdown autolinks <https://...> and <name@example.com> are not HTML.
_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
# Link destinations: [text](dest), ![alt](dest), [ref]: dest, <scheme:...>.
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
# An attribute list ({: ...} or {...}) that sets an event handler, style or source.
_ATTR_RE = re.compile(r"\{[^{}\n]*\b(on[a-z]+|style|srcdoc|href|src|formaction)\s*=", re.I)
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _tag_name(text: str, start: int) -> str:
    m = re.match(r"<(/?[A-Za-z][A-Za-z0-9:-]*|!--|!\w*|\?\w*)", text[start:])
    return f"<{m.group(1)}…>" if m else "<…>"


def find_raw_html(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, "<tag…>")`` of every raw HTML tag in ``text`` (autolinks excepted)."""
    autolinks = [(m.start(), m.end()) for m in _AUTOLINK_RE.finditer(text)]
    for m in _TAG_RE.finditer(text):
        if any(a <= m.start() < b for a, b in autolinks):
            continue
        yield m.start(), _tag_name(text, m.start())


def link_scheme(dest: str) -> str | None:
    """The scheme of a link destination as a browser would read it (entities decoded,
    whitespace and control characters removed, case folded), or None when relative."""
    clean = html.unescape(html.unescape(dest))
    clean = re.sub(r"[\x00-\x20\x7f\u00a0\u200b-\u200d\u2028\u2029\ufeff]+", "", clean).lower()
    m = _SCHEME_RE.match(clean)
    return m.group(1) if m else None


def unsafe_link(dest: str) -> bool:
    scheme = link_scheme(dest)
    return scheme is not None and scheme not in SAFE_SCHEMES


def text_problems(text: str) -> Iterator[tuple[int, str]]:
    """``(line offset within text, message)`` of every policy breach in ``text``."""
    for lineno, line in enumerate(text.split("\n")):
        for _, tag in find_raw_html(line):
            yield (
                lineno,
                (
                    f"raw HTML is not allowed here ({tag}); write Markdown "
                    "(to show a '<' followed by a letter, write &lt;)"
                ),
            )
            break
        dests = [m.group(1) for m in _LINK_RE.finditer(line)]
        if m := _REFDEF_RE.match(line):
            dests.append(m.group(1))
        dests += [m.group(0)[1:-1] for m in _AUTOLINK_RE.finditer(line)]
        for dest in dests:
            if unsafe_link(dest):
                yield (
                    lineno,
                    (
                        f"link '{dest[:60]}' uses the scheme '{link_scheme(dest)}:', which is not "
                        f"allowed (expected {', '.join(SAFE_SCHEMES)} or a relative link)"
                    ),
                )
        if m := _ATTR_RE.search(line):
            yield (
                lineno,
                (
                    f"attribute '{m.group(1)}' is not allowed in an attribute list "
                    "(expected only ids and classes, e.g. {: .note })"
                ),
            )


def walk_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
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


_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")


class _SafeHtml(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in list(el.attrib):
                low = name.lower()
                if low.startswith("on") or low in ("style", "srcdoc"):
                    del el.attrib[name]
                elif low in _URL_ATTRS and unsafe_link(el.attrib[name]):
                    if el.tag == "a":
                        el.attrib[name] = "#"
                    else:  # an image or object: nothing to load
                        del el.attrib[name]


class SafeHtmlExtension(Extension):
    """Removes event handlers, styles and unsafe link schemes from the element tree
    (after attribute lists and links have been processed)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_SafeHtml(md), "compendium-safe-html", 1)


def makeExtension(**kwargs) -> SafeHtmlExtension:  # noqa: N802 - Markdown's API
    return SafeHtmlExtension(**kwargs)
