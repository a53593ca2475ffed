"""The last check of every page the build writes: nothing in it can run script an
editor wrote, send the reader elsewhere, or stand in for the site's own elements.

Validation refuses raw HTML and unsafe attributes in content, and rendering
neutralises what got past it; this audit reads the finished page as a browser
does (``html.parser``) and fails the build on anything that could only come from
content slipping through both: a script that is not one of the site's own, a meta
refresh, a ``<base>``, an embedded frame or object, an event handler attribute, a
link target with an unsafe scheme, a second element with an id the page already
has. It knows nothing of the templates beyond the site's asset folder.
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import posixpath
import re
from urllib.parse import urlsplit

ASSETS = "assets/"  # the site's own scripts and styles: Material's and docs/assets/
FORBIDDEN_ELEMENTS = frozenset(
    {"base", "object", "embed", "iframe", "frame", "frameset", "applet", "portal", "style"}
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "ping", "formaction", "http-equiv"})
LINK_RELS = frozenset({"stylesheet", "icon", "next", "prev", "alternate", "canonical"})
META_HTTP_EQUIV = "content-security-policy"  # the one the templates write
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
INLINE_DATA_TYPES = frozenset({"application/json"})  # not run: Material's configuration
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_HASH_RE = re.compile(r"'sha256-([A-Za-z0-9+/=]+)'")
_STRIP_RE = re.compile(r"[\x00-\x20\x7f]+")


class _Audit(html.parser.HTMLParser):
    """Collects the problems of one page (``page_url``: its path under the site)."""

    def __init__(self, page_url: str, site_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.site_path = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"
        self.problems: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.script_hashes: set[str] = set()
        self.inline: list[tuple[int, str]] = []
        self.csp_count = 0
        self._in_script: int | None = None
        self._script_text: list[str] = []

    # -- elements ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k: v or "" for k, v in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self._problem(line, f"a <{tag}> element")
        for name, value in values.items():
            self._attribute(line, tag, name, value)
        if tag == "script":
            self._script(line, values)
        elif tag == "meta":
            self._meta(line, values)
        elif tag == "link":
            self._link(line, values)
        elif tag == "form" and values.get("action"):
            self._problem(line, "a form that sends its data somewhere (action=…)")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.inline.append((self._in_script, "".join(self._script_text)))
            self._in_script = None

    # -- rules ---------------------------------------------------------------------

    def _attribute(self, line: int, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self._problem(line, f"an event handler attribute '{name}' on <{tag}>")
        elif name in FORBIDDEN_ATTRIBUTES and not (tag == "meta" and name == "http-equiv"):
            self._problem(line, f"a '{name}' attribute on <{tag}>")
        elif name in URL_ATTRIBUTES:
            scheme = _scheme(value)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                self._problem(line, f"a '{scheme}:' link target in {name}= on <{tag}>")
        elif name == "id":
            if value in self.ids:
                self._problem(line, f"a second element with id '{value}'")
            self.ids.add(value)
        elif name == "data-pagefind-meta" and re.search(r"(?:^|,)\s*url\s*:", value):
            self._problem(line, "a search result address (data-pagefind-meta url:)")

    def _script(self, line: int, values: dict[str, str]) -> None:
        src = values.get("src")
        if src is None:
            kind = values.get("type", "").strip().lower()
            if kind not in INLINE_DATA_TYPES:
                self._in_script, self._script_text = line, []
            return
        if not self._is_asset(src):
            self._problem(line, f"a script from '{src}' (expected one of the site's {ASSETS})")

    def _meta(self, line: int, values: dict[str, str]) -> None:
        equiv = values.get("http-equiv")
        if equiv is None:
            return
        if equiv.strip().lower() != META_HTTP_EQUIV:
            self._problem(line, f"a <meta http-equiv='{equiv}'>")
            return
        self.csp_count += 1
        if self.csp_count > 1:
            self._problem(line, "a second Content-Security-Policy")
        self.script_hashes.update(_HASH_RE.findall(values.get("content", "")))

    def _link(self, line: int, values: dict[str, str]) -> None:
        rels = set(values.get("rel", "").lower().split())
        if not rels or not rels <= LINK_RELS:
            self._problem(line, f"a <link rel='{values.get('rel', '')}'>")
        elif "stylesheet" in rels and not self._is_asset(values.get("href", "")):
            self._problem(line, f"a stylesheet from '{values.get('href', '')}'")

    def _is_asset(self, url: str) -> bool:
        """True for a URL of this site (relative, or a path under the site's own path, as
        the 404 page writes them) that resolves inside its asset folder."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or "\\" in url or url.startswith("//"):
            return False
        if url.startswith("/"):
            target = posixpath.normpath(parts.path)
        else:
            here = (
                self.page_url if self.page_url.endswith("/") else posixpath.dirname(self.page_url)
            )
            target = posixpath.normpath(posixpath.join(self.site_path + here, parts.path))
        return target.startswith(self.site_path + ASSETS)

    def _problem(self, line: int, what: str) -> None:
        self.problems.append((line, what))

    def finish(self) -> list[tuple[int, str]]:
        self.close()
        for line, body in self.inline:
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            if digest not in self.script_hashes:
                self._problem(line, "an inline script the page's policy does not admit")
        return sorted(self.problems)


def _scheme(value: str) -> str | None:
    """The scheme of a link target as a browser reads it (controls and spaces dropped,
    case folded), or None for a relative target."""
    m = _SCHEME_RE.match(_STRIP_RE.sub("", value))
    return m.group(1).lower() if m else None


def audit_page(html_text: str, page_url: str, site_path: str = "/") -> list[str]:
    """Every problem of the finished page ``html_text`` published at ``page_url`` (its
    path under the site, e.g. ``regulations/alpha/``) of a site whose root is at
    ``site_path`` on its host (the path of ``site_url``), as ``line N: what``."""
    audit = _Audit(page_url, site_path)
    audit.feed(html_text)
    return [f"line {line}: {what}" for line, what in audit.finish()]
