"""URLs in printed article bodies: what a PDF may load and which links it keeps.

A print document is rendered from the build directory, not from the regulation's
page, so a resource an article names relative to its folder (``chart.png``) is
pointed at ``regulations/<regulation-id>/chart.png`` and remembered with the
``path:line`` of the article that names it: the PDF engine's URL fetcher can then
say which source file asked for a resource it refused. A link a PDF cannot follow
(a site page, a relative path) loses its target and keeps its text; links inside
the document (``#…``) and web and mail links stay.

The rules run on Markdown's element tree (``mdext.UrlPolicyExtension``), never on
HTML text.
"""

from __future__ import annotations

import html as htmlmod
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote, urljoin, urlsplit

from compendium.source.layout import regulation_dir
from compendium.source.model import Article, ArticleText

# (article, element, attribute, value) -> value to keep, or None to drop the attribute
Policy = Callable[[Article | None, ET.Element, str, str], str | None]

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LINK_SCHEMES = ("http", "https", "mailto")
# Where an article's body names a resource: Markdown link/image targets, HTML attributes, CSS url().
_SOURCE_URL_RE = re.compile(
    r"""\]\(\s*<?(?P<md>[^)\s>]+)"""
    r"""|\b(?:src|href|data|poster|xlink:href)\s*=\s*["']?(?P<attr>[^"'\s>]+)"""
    r"""|url\(\s*["']?(?P<css>[^"')\s]+)""",
    re.I,
)


class Resources:
    """The resources of one print document, each with the sources naming it.

    ``base_url`` is the ``file:`` URL of the build directory (trailing slash).
    """

    def __init__(self, base_url: str):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.sources: dict[str, list[str]] = {}  # absolute URL -> ["path:line", ...]

    def policy(self, reg_id: str, lang: str) -> Policy:
        """The URL policy of the bodies of regulation ``reg_id`` in ``lang``."""
        folder = regulation_dir(reg_id) + "/"

        def apply(art: Article | None, el: ET.Element, name: str, raw: str) -> str | None:
            value = raw.strip()
            attachment = "attachment" in el.get("rel", "").lower().split()
            if name == "href" and not (attachment or el.tag == "link"):
                # a link: kept inside the document (a bare "#" would point at the build
                # directory) and to the web; any other target is dropped
                in_doc = value.startswith("#") and len(value) > 1
                if in_doc or urlsplit(value).scheme.lower() in _LINK_SCHEMES:
                    return raw
                return None
            if not value or value.startswith("#"):
                return raw
            if not _SCHEME_RE.match(value) and not value.startswith("/"):
                value = folder + value
            self.remember(urljoin(self.base_url, value), raw, art.text(lang) if art else None)
            return value

        return apply

    def remember(self, url: str, raw: str, text: ArticleText | None) -> None:
        where = source_line(text, raw) if text else "(print template)"
        bucket = self.sources.setdefault(unquote(url), [])
        if where not in bucket:
            bucket.append(where)


def source_line(text: ArticleText, raw: str) -> str:
    """``path:line`` of the first body line of ``text`` that names ``raw``."""
    needles = {raw, htmlmod.unescape(raw)}
    for i, line in enumerate(text.body.split("\n")):
        if any(n and n in line for n in needles):
            return f"{text.path}:{text.body_line + i}"
        for m in _SOURCE_URL_RE.finditer(line):
            found = m.group("md") or m.group("attr") or m.group("css")
            if found and found in needles:
                return f"{text.path}:{text.body_line + i}"
    return f"{text.path}:{text.body_line}"
