"""The HTML policy for content: Markdown only, no raw HTML, safe links.

Editors write Markdown. Raw HTML anywhere in the sources (article bodies,
captions, titles, names, notes, every YAML text field) is refused by
validation (``path:line: raw HTML is not allowed here (<tag>)``), and so are
links whose scheme is not http, https or mailto (relative links are fine, as long
as they stay inside docs/; targets are read as Markdown reads them) and
attribute lists that set anything but an id (``attribute_problem``: an allow-list;
no class, no ``hidden``, ``data-*``, ``dir``, ...).

Defence in depth, for a build that ignores the errors: ``escape_raw_html``
turns every ``<`` Markdown could read as raw HTML (``find_raw_html``, the
predicate validation uses too) into ``&lt;`` before Markdown sees it (the
renderer then adds its own links), ``escape_text`` escapes text
placed in headings and titles (braces too, so a title never ends in an attribute
list), and ``SafeHtmlExtension`` keeps, in the element tree of every page and
article body, only the attributes Markdown itself writes (``href`` and ``title``
of a link, ``src``, ``alt`` and ``title`` of an image, ``start`` of a list), ids
and the build's own classes: in article bodies only ids ``attribute_problem``
accepts, once each; unsafe link targets are removed too (a link that loses its
target is left as plain text).
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE as _AMP

from compendium.source.chars import BIDI_RE, LINE_BREAK_RE
from compendium.source.limits import markdown_fits

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
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


_TAG_NAME_RE = re.compile(r"<(/?[A-Za-z][^\s\"'<>/=]{0,30}|!--|!\w{0,30}|\?\w{0,30})")


def _tag_name(text: str, start: int) -> str:
    m = _TAG_NAME_RE.match(text, start)
    return f"<{m.group(1)}…>" if m else f"<{text[start + 1 : start + 2]}…>"


def find_raw_html(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, "<tag…>")`` of every '<' Markdown could read as raw HTML (autolinks
    excepted): the one predicate of validation and of ``escape_raw_html``."""
    autolinks = iter(_AUTOLINK_RE.finditer(text))  # in order, as the starts are
    link = next(autolinks, None)
    for m in _HTML_START_RE.finditer(text):
        while link is not None and link.end() <= m.start():
            link = next(autolinks, None)
        if link is not None and link.start() <= m.start():
            continue  # inside an autolink
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


class _AttrLists(AttrListTreeprocessor):
    """Python-Markdown's own attribute list reader, noting every list it applies."""

    def assign_attrs(self, elem: ET.Element, attrs_string: str, *, strict: bool = False) -> str:
        self.md.attr_lists.append(attrs_string)  # type: ignore[attr-defined]
        return super().assign_attrs(elem, attrs_string, strict=strict)


_PARSER: Markdown | None = None
_EXPLICIT_ATTRS_RE = re.compile(r"\{:[ ]*([^{}\n ][^{}\n]*)\}")
# A "]" that may end a link's text or a reference label (cross references [[id]] do not).
_MAY_LINK_RE = re.compile(r"\]\s*[(\[:]")


def _read(text: str) -> tuple[list[str], list[str]]:
    """``(link and image targets, attribute lists)`` of ``text`` as Markdown reads it."""
    global _PARSER
    if "<" not in text and "{" not in text and not _MAY_LINK_RE.search(text):
        return [], []  # no autolink, attribute list, "](", "][" or "]:": nothing to read
    if not markdown_fits(text):
        return [], []  # refused by its size (limits.paragraph_problems), never read
    if _PARSER is None:
        _PARSER = Markdown(extensions=["attr_list", "tables", "admonition"])
        _PARSER.treeprocessors.register(_AttrLists(_PARSER), "attr_list", 8)
        _PARSER.treeprocessors.register(_Targets(_PARSER), "compendium-targets", 2)
    _PARSER.reset()
    _PARSER.link_targets = []  # type: ignore[attr-defined]
    _PARSER.attr_lists = []  # type: ignore[attr-defined]
    try:
        _PARSER.convert(escape_raw_html(text))
    except RecursionError:  # nesting beyond the limit (refused as such); lines checked alone
        _PARSER.reset()
        return [], []
    found = list(_PARSER.link_targets)  # type: ignore[attr-defined]
    found += [href for href, _title in _PARSER.references.values()]
    return found, list(_PARSER.attr_lists)  # type: ignore[attr-defined]


def link_targets(text: str) -> list[str]:
    """Every link and image target of ``text`` as Markdown reads it (links whose target
    sits on the next line, reference definitions, used or not, and autolinks)."""
    return _read(text)[0]


def attribute_lists(text: str, heading: bool = False) -> list[str]:
    """The inside of every attribute list Markdown applies in ``text`` (``: #a .b``);
    ``heading``: one line is read as a heading too (a title or a caption)."""
    return _attribute_lists(text, heading, _read(text)[1])


def _attribute_lists(text: str, heading: bool, found: list[str]) -> list[str]:
    seen = set(found)
    if heading and "{" in text and "\n" not in text:
        found += [a for a in _read("# " + text)[1] if a not in seen]
        seen.update(found)
    # "{:" says "attribute list" wherever it stands (also where this reading applies none)
    found += [a for a in _EXPLICIT_ATTRS_RE.findall(text) if a not in seen]
    return found


def content_ids(text: str) -> list[tuple[int, str]]:
    """``(line offset, id)`` of every id an attribute list of ``text`` sets."""
    where = _Where(escape_raw_html(text))
    return [
        (where.attr_line(attrs), value)
        for attrs in attribute_lists(text)
        for key, value in attribute_pairs(attrs)
        if key == "id" and value
    ]


class _Where:
    """Lines of offsets in one text, each question answered without reading the text again
    (a text full of links or attribute lists must not be searched once per link)."""

    LOOKUPS = 100  # destinations searched for in the whole text; later ones go to line 0

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.lookups = 0
        self._attrs: dict[str, int] | None = None

    def line(self, pos: int) -> int:
        """The line (0-based) of offset ``pos``."""
        return bisect.bisect_left(self.breaks, pos)

    def dest_lines(self, dest: str) -> list[int]:
        """The lines where ``dest`` is written as a destination: after '(', '<' or ':'
        (maybe on the line before), else where it first occurs."""
        needle = dest.strip()[:80]
        if not needle:
            return []
        self.lookups += 1
        if self.lookups > self.LOOKUPS:
            return [0]  # the text has errors enough; each still counts, at its first line
        text, lines, first = self.text, [], None
        for m in re.finditer(re.escape(needle), text):
            first = m.start() if first is None else first
            i = m.start()
            while i > 0 and text[i - 1].isspace():  # runs of one occurrence each
                i -= 1
            if i > 0 and text[i - 1] in "(<:":
                lines.append(self.line(m.start()))
        return lines or ([] if first is None else [self.line(first)])

    def attr_line(self, attrs: str) -> int:
        """The line of the attribute list whose inside is ``attrs``."""
        if self._attrs is None:  # each "{…}" of a line, by its inside: one pass
            self._attrs = {}
            for m in re.finditer(r"\{:?[ ]*([^{}\n]*)\}", self.text):
                self._attrs.setdefault(m.group(1), m.start(1))
        pos = self._attrs.get(attrs)
        if pos is None and self.lookups < self.LOOKUPS:
            self.lookups += 1
            pos = self.text.find(attrs)
        return self.line(pos) if pos is not None and pos >= 0 else 0


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


def text_problems(text: str, base: str = "", heading: bool = False) -> Iterator[tuple[int, str]]:
    """``(line offset within text, message)`` of every policy breach in ``text``;
    ``base`` is the folder of its file inside docs ("" for docs itself), which
    relative links start from; ``heading``: a YAML text, read as a heading too.
    One message per line and kind of breach."""
    found: dict[tuple[int, str], str] = {}

    def add(lineno: int, kind: str, message: str) -> None:
        found.setdefault((lineno, kind), message)

    escaped = escape_raw_html(text)
    where = _Where(escaped)  # link targets and attribute lists are found in this one
    plain = where if escaped == text else _Where(text)
    for pos, tag in find_raw_html(text):
        add(
            plain.line(pos),
            "html",
            f"raw HTML is not allowed here ({tag}); write Markdown "
            "(to show a '<' followed by a letter, write &lt;)",
        )
    # Targets as Markdown reads them (across lines) first: they name the whole target.
    targets, read_attrs = _read(text)
    for dest in dict.fromkeys(targets):
        if message := _link_message(dest, base):
            for lineno in where.dest_lines(dest) or [0]:
                add(lineno, f"link {link_scheme(dest)}", message)
    for lineno, line in enumerate(text.split("\n")):
        dests = [m.group(1) for m in _LINK_RE.finditer(line)]
        if m := _REFDEF_RE.match(line):
            dests.append(m.group(1))
        dests += [m.group(0)[1:-1] for m in _AUTOLINK_RE.finditer(line)]
        for dest in dests:
            if message := _link_message(dest, base):
                add(lineno, f"link {link_scheme(dest)}", message)
    for lineno, line in enumerate(text.split("\n")):
        m = _ADMONITION_RE.match(line)
        for kind in m.group(1).split() if m else ():
            if kind.lower() not in ADMONITION_TYPES:
                add(
                    lineno,
                    "admonition",
                    f"'!!! {kind}' is not a kind of note (expected one of "
                    f"{', '.join(sorted(ADMONITION_TYPES))}, e.g. !!! note)",
                )
    for attrs in _attribute_lists(text, heading, read_attrs):
        for key, value in attribute_pairs(attrs):
            if message := attribute_problem(key, value):
                add(where.attr_line(attrs), f"attr {key} {value}", message)
    for (lineno, _kind), message in sorted(found.items(), key=lambda item: item[0][0]):
        yield lineno, message


# -- attribute lists: an id, nothing else -------------------------------------------

# An id content may set ({#fees}, a link target within its page): lower-case ASCII
# letters, digits and single hyphens, starting with a letter. This leaves out every id
# the build or the theme makes with other characters (Material's ``__search``,
# ``__nav_2``; toc's ``_1``; the PDFs' ``p1--alpha--purpose``).
CONTENT_ID_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
# Ids of that form the build makes itself, on site pages, in PDFs and in reports: the
# number anchors (art-17, chapter-2), chapter and section headings (ch-…, sec-…), the
# search dialog (cs-search…), role pages and print sections (duties, role-…, org-chart…),
# PDF parts (p1, p2, …) and cover tokens (cp-token-…), report groups (reg-…, release-…).
# Per page, the article ids and the title's slug are taken as well (``page_ids``).
RESERVED_ID_RE = re.compile(
    r"^(?:art|ch|sec|chapter|section|role|roles|duties|duty|reg|release|org|cs|cp|md|print"
    r"|toc|search|pagefind|cmp)(?:-|\Z)|^p[0-9]+\Z"
    r"|^(?:unreleased|acknowledgement|regulation|glossary|content|top)\Z"
)
# Classes content may set: none. A class means something only through the site's or
# Material's CSS and scripts (``hidden``, ``md-…``, ``admonition``, ``headerlink``, …),
# so one is added here only together with the reviewed CSS that defines it.
ALLOWED_CLASSES: frozenset[str] = frozenset()
ID_EXAMPLE = "{: #fees }"
# The kinds of note (``!!! note``) a plain page may use: Material's own, which colour
# the box and nothing else. The kind is a class, so no other word may stand there.
ADMONITION_TYPES = frozenset(
    "note abstract info tip success question warning failure danger bug example quote".split()
)
_ADMONITION_RE = re.compile(r"^[ \t>]*!!! ?([\w\-]+(?: +[\w\-]+)*)")


def attribute_pairs(attrs: str) -> list[tuple[str, str | None]]:
    """``(name, value)`` of an attribute list's inside, as attr_list reads it
    (``#a`` is ``("id", "a")``, ``.b`` is ``("class", "b")``)."""
    pairs, _ = get_attrs_and_remainder(attrs.lstrip(":").strip())
    return [("class" if k == "." else k, v) for k, v in pairs]


def id_problem(value: str | None) -> str | None:
    """Why content may not set the id ``value``, or None."""
    if value is None or not CONTENT_ID_RE.fullmatch(value):
        return (
            f"id '{value or ''}' is not allowed in an attribute list (expected lower-case "
            f"letters, digits and single hyphens, starting with a letter, e.g. {ID_EXAMPLE})"
        )
    if RESERVED_ID_RE.match(value):
        return (
            f"id '{value}' is reserved for an anchor the build makes (art-…, ch-…, sec-…, "
            f"chapter-…, role-…, cs-…, p1, …) (expected another id, e.g. {ID_EXAMPLE})"
        )
    return None


def class_allowed(name: str) -> bool:
    return name in ALLOWED_CLASSES


def attribute_problem(name: str, value: str | None) -> str | None:
    """Why content may not set the attribute ``name`` to ``value`` through an attribute
    list, or None: the one allow-list of validation and of ``SafeHtmlExtension``."""
    low = name.lower()
    if low == "id" and name == low:
        return id_problem(value)
    if low == "class" and name == low:
        refused = [c for c in (value or "").split() if not class_allowed(c)]
        if not refused and value:
            return None
        return (
            f"class '{refused[0] if refused else ''}' is not allowed in an attribute list: "
            "a class changes how the site shows the text (expected "
            + (f"one of {', '.join(sorted(ALLOWED_CLASSES))}" if ALLOWED_CLASSES else "no class")
            + f"; attribute lists may set an id only, e.g. {ID_EXAMPLE})"
        )
    return (
        f"attribute '{name}' is not allowed in an attribute list "
        f"(expected only an id, e.g. {ID_EXAMPLE})"
    )


def page_ids(article_ids: Iterable[str], titles: Iterable[str]) -> set[str]:
    """Ids a regulation's page has besides the reserved ones: its article ids (the
    article headings' ids) and the slug the table of contents gives its title."""
    ids = set(article_ids)
    ids.update(slugify(t, "-") for t in titles)
    return ids


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
    then shows it as text), and without bidirectional controls; autolinks are kept."""
    text = BIDI_RE.sub("", text)
    spots = {pos for pos, _ in find_raw_html(text)}
    if not spots:
        return text
    return "".join("&lt;" if i in spots else c for i, c in enumerate(text))


def drop_bidi(value: Any) -> Any:
    """``value`` without bidirectional controls, of the same type (``Markup`` stays
    ``Markup``): the ``finalize`` of the page templates, for every value they print."""
    if isinstance(value, str) and BIDI_RE.search(value):
        return type(value)(BIDI_RE.sub("", value))
    return value


def escape_text(text: str) -> str:
    """Plain text for a Markdown heading or a title, on one line: line breaks made
    spaces, bidirectional controls dropped, ``&``, ``<`` and ``>`` escaped, and the braces, so that no title or
    caption starts a block or ends in an attribute list."""
    text = BIDI_RE.sub("", LINE_BREAK_RE.sub(" ", text))  # validation refuses both
    return html.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


# The attributes Markdown itself writes, per element (everything else comes from an
# attribute list, or from an extension the build does not use).
MARKDOWN_ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "ol": ("start",),
}
# Classes the build's own Markdown gives: list item numbers (compendium.site.mdext),
# role links in article bodies; on pages: toc permalinks, admonitions (plain pages)
# and the PDFs' numbered headings.
BODY_CLASSES = frozenset({"items", "item-no", "role"})
PAGE_CLASSES = BODY_CLASSES | {"headerlink", "print-chapter", "print-section", "print-article"}
PAGE_CLASSES |= {"admonition", "admonition-title"} | ADMONITION_TYPES


class _SafeHtml(Treeprocessor):
    def __init__(self, md: Markdown, body: bool, reserved: Callable[[], set[str]] | None):
        super().__init__(md)
        self.body = body  # an article body: every id comes from content
        self.reserved = reserved

    def run(self, root: ET.Element) -> None:
        seen: set[str] = set(self.reserved() if self.reserved is not None else ())
        build = BODY_CLASSES if self.body else PAGE_CLASSES
        for el in root.iter():
            own = MARKDOWN_ATTRIBUTES.get(el.tag, ())
            for name in list(el.attrib):
                value = el.attrib[name]
                if name == "id":
                    if value in seen or not self._id_kept(value):
                        del el.attrib[name]
                    seen.add(value)
                elif name == "class":
                    kept = [c for c in (value or "").split() if class_allowed(c) or c in build]
                    if kept:
                        el.attrib[name] = " ".join(kept)
                    else:
                        del el.attrib[name]
                elif name not in own or value is None:
                    del el.attrib[name]
                elif name in _URL_ATTRS and unsafe_link(value):
                    del el.attrib[name]  # an image: nothing to load
                    if el.tag == "a":  # a link: its text stays, as plain text
                        el.tag = "span"

    def _id_kept(self, value: str | None) -> bool:
        if value is None:
            return False
        if self.body:
            return id_problem(value) is None
        # A page: the build's headings and toc set ids too; Material's are its own.
        return not value.startswith("__")


class SafeHtmlExtension(Extension):
    """Keeps, after attribute lists and links have been processed, only the attributes
    Markdown writes itself, ids and the build's classes, and safe link targets.

    ``body``: the tree is article bodies, where every id comes from content (checked
    with ``id_problem``; ids of ``reserved()``, the page's own, are dropped too);
    otherwise a page, whose headings get ids from the build."""

    def __init__(
        self, body: bool = False, reserved: Callable[[], set[str]] | None = None, **kwargs: Any
    ) -> None:
        self.body = body
        self.reserved = reserved
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        safe = _SafeHtml(md, self.body, self.reserved)
        md.treeprocessors.register(safe, "compendium-safe-html", 1)


def makeExtension(**kwargs: Any) -> SafeHtmlExtension:  # noqa: N802 - Markdown's API
    return SafeHtmlExtension(**kwargs)
