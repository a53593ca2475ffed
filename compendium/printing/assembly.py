"""Assemble the print HTML of the compendium and of the onboarding packs.

Plain Python and Jinja templates (``templates/print/``); no PDF engine here
(:mod:`compendium.printing.pdf` renders the result with WeasyPrint). The body of every
regulation comes from :class:`compendium.site.render.Renderer`, exactly as on the
site, so chapter, article and item numbers, cross references and role links are
the same in print.

Every resource an article refers to (image, attachment, object) is rewritten
relative to the build directory and remembered with the article file that names
it, so that the PDF engine's URL fetcher can say which source file asked for a
resource it refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as htmlmod
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
import markdown
from markdown.extensions.toc import slugify_unicode

from compendium import DEFAULT_LANGUAGE, LANGUAGES, is_default
from compendium.labels import format_date, section
from compendium.numbering.citation import cite, heading_sep, regulation_name
from compendium.numbering.numbers import (
    Numbering,
    chapter_label,
    numbers_of,
    reference_label,
)
from compendium.printing.packs import Pack, Part
from compendium.roles import orgchart
from compendium.roles.duties import duties_of
from compendium.roles.summaries import duty_html, duty_plain
from compendium.site.render import DEFAULT_TEMPLATES, Renderer
from compendium.source.model import ArticleText, Chapter, Compendium, Regulation, Section

MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "compendium.site.mdext"]

PRINT_LABELS = {lang: section(lang, "print") for lang in LANGUAGES}


@dataclass(frozen=True)
class BuildInfo:
    """What the cover and footer say about the build.

    ``release`` is the release version (2026.1) or None for a draft, which is
    identified by ``commit`` (short hash; None outside git) and ``modified``
    (uncommitted changes in docs/). The words are the site's (the ``changes``
    words of :mod:`compendium.labels`), so footers read the same on paper and screen.
    """

    release: str | None = None
    commit: str | None = None
    built: dt.date = field(default_factory=dt.date.today)
    modified: bool = False
    author: dict[str, str] | None = None

    def release_value(self, lang: str) -> str:
        """For a labelled field: 2026.1, or 草稿（提交 1a2b3c4）/ Draft (commit 1a2b3c4)."""
        return self.release or self._draft(lang)

    def release_text(self, lang: str) -> str:
        """The footer: 2026.1 版 / Release 2026.1, or the draft and its commit."""
        if self.release:
            return section(lang, "changes")["release_stamp"].format(version=self.release)
        return self._draft(lang)

    def release_phrase(self, lang: str) -> str:
        """Inside a sentence: 2026.1 版 / release 2026.1 / draft, commit 1a2b3c4."""
        if self.release:
            text = self.release_text(lang)
            return text[0].lower() + text[1:] if lang == "en" else text
        t = PRINT_LABELS[lang]
        draft = t["draft"].lower() if lang == "en" else t["draft"]
        if not self.commit:
            return draft
        sep = "，" if is_default(lang) else ", "
        return f"{draft}{sep}{t['commit']} {self.commit}" + (t["modified"] if self.modified else "")

    def _draft(self, lang: str) -> str:
        t = section(lang, "changes")
        if not self.commit:
            return t["draft"]
        return t["draft_modified" if self.modified else "draft_at"].format(commit=self.commit)

    def author_text(self, lang: str) -> str:
        return (self.author or {}).get(lang) or PRINT_LABELS[lang]["author"]


@dataclass
class PrintDocument:
    """One print document, ready for the PDF engine."""

    name: str  # file stem, e.g. compendium-zh-Hant or pack-data-analyst-en
    lang: str
    title: str
    html: str
    sources: dict[str, list[str]]  # absolute resource URL -> ["path:line", ...] naming it


@dataclass
class _Block:
    """The print HTML of one regulation (or part of it) plus its TOC entries."""

    reg: Regulation
    prefix: str
    html: str
    chapters: list[tuple[str, str]]  # (element id, "第一章 總則")


@dataclass
class _PrintRenderer(Renderer):
    """A Renderer that numbers from the full compendium while showing a selection."""

    full: Compendium | None = None

    def numbering(self, reg_id: str) -> Numbering:
        source = self.full if self.full is not None else self.comp
        return numbers_of(source.regulations[reg_id])


_XREF_RE = re.compile(r'<a class="xref" href="#([^"]*)">(.*?)</a>', re.S)
_ID_RE = re.compile(r'\sid="([^"]+)"')
_TAG_RE = re.compile(r"<(?P<tag>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>(?:\s[^>]*)?)>")
_ATTR_RE = re.compile(
    r"""(?P<pre>\s+)(?P<name>[^\s=>/"']+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>"']+)))?"""
)
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_BASE_RE = re.compile(r"<base\b[^>]*>", re.I)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RESOURCE_ATTRS = {"src", "data", "poster", "xlink:href"}
_LINK_SCHEMES = ("http", "https", "mailto")
_PACK_REF_RE = re.compile(r"^(?:p\d+--)?([a-z0-9]+(?:-[a-z0-9]+)*)--([a-z0-9]+(?:-[a-z0-9]+)*)$")
# Where an article's body names a resource: Markdown link/image targets, HTML attributes, CSS url().
_SOURCE_URL_RE = re.compile(
    r"""\]\(\s*<?(?P<md>[^)\s>]+)"""
    r"""|\b(?:src|href|data|poster|xlink:href)\s*=\s*["']?(?P<attr>[^"'\s>]+)"""
    r"""|url\(\s*["']?(?P<css>[^"')\s]+)""",
    re.I,
)


class Printer:
    """Builds the print documents of one compendium in one language.

    ``base_url`` is the ``file:`` URL of the build directory (with a trailing
    slash): the document is rendered from there, and article resources are
    rewritten relative to it (``regulations/<regulation-id>/<path>``), as on the site.
    """

    def __init__(
        self,
        comp: Compendium,
        lang: str,
        info: BuildInfo,
        base_url: str,
        templates: Path = DEFAULT_TEMPLATES,
    ):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (expected one of: {', '.join(LANGUAGES)})")
        self.comp = comp
        self.lang = lang
        self.info = info
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.templates = templates
        self.t = {**section(lang, "interface"), **PRINT_LABELS[lang]}
        self.env = jinja2.Environment(
            # The site's fragments (the organisation chart) are shared with print.
            loader=jinja2.FileSystemLoader(
                [str(templates / "print"), str(templates / "compendium")]
            ),
            autoescape=jinja2.select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["date"] = lambda d: format_date(d, lang)
        self.env.filters["css_string"] = _css_string
        self._sources: dict[str, list[str]] = {}
        self._role_targets: dict[str, str] = {}

    # -- public ------------------------------------------------------------------

    def compendium(self) -> PrintDocument:
        """The whole compendium: cover, contents, every regulation."""
        self._sources = {}
        # Role mentions link to the role's entry in the index of duties at the end.
        indexed = [rid for rid in self.comp.roles if duties_of(self.comp, rid)]
        self._role_targets = {rid: f"role-{rid}" for rid in indexed}
        blocks = [
            self._block(reg.id, f"{reg.id}--", None) for reg in self.comp.regulations.values()
        ]
        locations = {
            (reg.id, aid): f"{reg.id}--{aid}"
            for reg in self.comp.regulations.values()
            for aid in reg.articles
        }
        title = self.t["compendium_title"]
        other = next(lang for lang in LANGUAGES if lang != self.lang)
        body = self._render(
            "compendium.html",
            title=title,
            blocks=blocks,
            other_title=section(other, "interface")["compendium_title"],
            roles=self._duty_groups(indexed, locations),
            org_chart=orgchart.layout(self.comp, self.lang),
            role_href=lambda rid: f"#role-{rid}" if rid in self._role_targets else "#roles-index",
            effective=self._effective(self.comp.regulations.values()),
        )
        html = self._page(f"compendium-{self.lang}", title, "compendium", body, locations)
        return PrintDocument(f"compendium-{self.lang}", self.lang, title, html, self._sources)

    def pack(self, pack: Pack) -> PrintDocument:
        """One onboarding pack: cover, contents, duty summary, the parts, acknowledgement."""
        self._sources = {}
        # Role mentions of the pack's roles link to their duty summary.
        self._role_targets = {rid: f"duties-{rid}" for rid in pack.roles}
        located: dict[tuple[str, str], str] = {}
        parts = []
        for n, part in enumerate(pack.parts, start=1):
            part_id = f"p{n}"
            blocks = []
            for reg_id in _regulations_of(self.comp, part.articles):
                keys = [k for k in part.articles if k[0] == reg_id]
                fresh = {aid for (_, aid) in keys if (reg_id, aid) not in located}
                seen = [aid for (_, aid) in keys if (reg_id, aid) in located]
                prefix = f"{part_id}--{reg_id}--"
                for aid in fresh:
                    located[(reg_id, aid)] = f"{prefix}{aid}"
                block = self._block(reg_id, prefix, fresh) if fresh else None
                seen_refs = [(self._reference(reg_id, aid), located[(reg_id, aid)]) for aid in seen]
                note = self._render("seen.html", seen=seen_refs)
                if block is None:
                    html = note
                else:  # the note goes after the regulation's header, before its first chapter
                    first = block.html.find('class="print-chapter"')
                    cut = block.html.rfind("<", 0, first) if first >= 0 else len(block.html)
                    html = block.html[:cut] + note + block.html[cut:]
                blocks.append(
                    {
                        "block": block,
                        "reg": self.comp.regulations[reg_id],
                        "html": html,
                        "id": f"{prefix}regulation",
                    }
                )
            parts.append({"id": part_id, "title": self._part_title(part), "blocks": blocks})
        duties = self._duty_groups(pack.roles, located)
        regs = [self.comp.regulations[r] for r in _regulations_of(self.comp, pack.article_keys())]
        roles = [self.comp.roles[r].name.get(self.lang, r) for r in pack.roles]
        title = pack.title[self.lang]
        body = self._render(
            "pack.html",
            title=title,
            pack=pack,
            parts=parts,
            duties=duties,
            roles=roles,
            regulations=regs,
            effective=self._effective(regs),
        )
        name = f"pack-{pack.id}-{self.lang}"
        html = self._page(name, title, "pack", body, located)
        return PrintDocument(name, self.lang, title, html, self._sources)

    # -- pieces ------------------------------------------------------------------

    def _page(
        self, name: str, title: str, kind: str, body: str, locations: dict[tuple[str, str], str]
    ) -> str:
        body = _link_references(body, locations)
        css = self._render("print.css", kind=kind, title=title)
        return self._render("document.html", title=title, kind=kind, body=body, css=css, name=name)

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            t=self.t,
            lang=self.lang,
            info=self.info,
            release=self.info.release_text(self.lang),
            release_phrase=self.info.release_phrase(self.lang),
            release_value=self.info.release_value(self.lang),
            author=self.info.author_text(self.lang),
            **context,
        )

    def _effective(self, regs: Iterable[Regulation]) -> dt.date | None:
        dates = [r.effective for r in regs]
        return max(dates) if dates else None

    def _numbers(self, reg_id: str) -> Numbering:
        return numbers_of(self.comp.regulations[reg_id])

    def _part_title(self, part: Part) -> str:
        if part.title:
            return part.title[self.lang]
        if part.kind == "regulation" and part.regulation:
            title = self.comp.regulations[part.regulation].title.get(self.lang, part.regulation)
            return self.t["part_regulation"] + regulation_name(title, self.lang)
        return self.t[f"part_{part.kind}"]

    def _reference_or_none(self, reg_id: str, aid: str, same: bool) -> str | None:
        """A reference's text in a duty summary (the regulation named when not ``same``)."""
        if self.comp.article(reg_id, aid) is None:
            return None
        label = self._reference(reg_id, aid)
        if same:
            return label
        title = self.comp.regulations[reg_id].title.get(self.lang, reg_id)
        return cite(label, title, self.lang)

    def _reference(self, reg_id: str, aid: str) -> str:
        """The article's number as a reference writes it (第十七條, 三（二）, Article 17, III.2)."""
        return reference_label(self._numbers(reg_id).articles[aid], self.lang)

    def _block(self, reg_id: str, prefix: str, keep: set[str] | None) -> _Block:
        """Render one regulation (all of it, or only the articles in ``keep``)."""
        reg = self.comp.regulations[reg_id]
        shown = reg if keep is None else _select(reg, keep)
        comp = (
            self.comp
            if keep is None
            else dataclasses.replace(
                self.comp, regulations={**self.comp.regulations, reg_id: shown}
            )
        )
        targets = self._role_targets

        def role_url(rid: str) -> str:
            # A role without a place in this document: a relative link, dropped below.
            return f"#{targets[rid]}" if rid in targets else f"roles/{rid}.md"

        renderer = _PrintRenderer(
            comp, self.lang, self.templates, id_prefix=prefix, full=self.comp, role_url=role_url
        )

        def url(src: str, anchor: str | None) -> str:
            parts = src.split("/")
            if len(parts) == 3 and parts[0] == "regulations":  # another regulation's page
                return f"#{parts[1]}--{anchor}" if anchor else f"#{parts[1]}--regulation"
            return src  # a page the PDF does not contain: the link is dropped below

        _, md = renderer.regulation_page(reg_id, url)
        converter = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS,
            extension_configs={
                "toc": {"slugify": lambda value, sep: prefix + slugify_unicode(value, sep)}
            },
        )
        html = converter.convert(md)
        numbering = renderer.numbering(reg_id)
        html = self._postprocess(html, reg, prefix)
        chapters = [
            (f"{prefix}ch-{ch.id}", self._chapter_heading(shown, ch, numbering))
            for ch in shown.chapters
        ]
        return _Block(shown, prefix, html, chapters)

    def _chapter_heading(self, reg: Regulation, ch: Chapter, numbering: Numbering) -> str:
        label = chapter_label(reg.numbering, numbering.chapters[ch.id], self.lang)
        sep = heading_sep(reg.numbering, self.lang)
        return f"{label}{sep}{ch.title.get(self.lang, ch.id)}"

    def _postprocess(self, html: str, reg: Regulation, prefix: str) -> str:
        """Mark headings for print and make resources safe, in one pass over the tags.

        Headings get a class from their id (``<prefix>ch-…`` chapter, ``<prefix>sec-…``
        section, ``<prefix><article-id>`` article), so print CSS and bookmarks do not
        depend on how the site wraps them. Relative resource URLs are rewritten to the
        build directory (relative to the regulation's folder, as on the site) and
        remembered with the article that names them; ``<base>`` is dropped; links that
        are neither internal nor web/mail links lose their target (a PDF cannot follow
        them and they would reveal build paths).
        """
        html = _BASE_RE.sub("", html)
        folder = f"regulations/{reg.id}/"
        current: list[ArticleText | None] = [None]

        def tag(m: re.Match[str]) -> str:
            name, attrs = m.group("tag").lower(), m.group("attrs")
            if name in _HEADINGS:
                ident = re.search(r'\sid="([^"]+)"', attrs)
                key = ident.group(1).removeprefix(prefix) if ident else ""
                kind = _heading_kind(key, reg)
                if kind == "article":
                    current[0] = reg.articles[key].text(self.lang)
                if kind:
                    return f'<{m.group("tag")} class="print-{kind}"{attrs}>'
                return m.group(0)
            if not attrs.strip():
                return m.group(0)
            rel = re.search(r"""\srel\s*=\s*["']?([^"'>]*)""", attrs, re.I)
            attachment = bool(rel and "attachment" in rel.group(1).lower().split())

            def attr(a: re.Match[str]) -> str:
                key = a.group("name").lower()
                raw = next(
                    (v for v in (a.group("dq"), a.group("sq"), a.group("bare")) if v is not None),
                    None,
                )
                if raw is None:
                    return a.group(0)
                value = htmlmod.unescape(raw).strip()
                fetched = key in _RESOURCE_ATTRS or (
                    key == "href" and (attachment or name == "link")
                )
                if key == "href" and not fetched:
                    # (a bare "#" would point at the build directory in the PDF)
                    in_doc = value.startswith("#") and len(value) > 1
                    if in_doc or urlsplit(value).scheme.lower() in _LINK_SCHEMES:
                        return a.group(0)
                    return ""  # a link the PDF cannot follow: keep the text, drop the target
                if not fetched or not value or value.startswith("#"):
                    return a.group(0)
                if not _SCHEME_RE.match(value) and not value.startswith("/"):
                    value = folder + value
                self._remember(urljoin(self.base_url, value), raw, current[0])
                return f'{a.group("pre")}{a.group("name")}="{htmlmod.escape(value, quote=True)}"'

            attrs = _ATTR_RE.sub(attr, attrs)
            return f"<{m.group('tag')}{attrs}>"

        return _TAG_RE.sub(tag, html)

    def _remember(self, url: str, raw: str, text: ArticleText | None) -> None:
        where = _source_line(text, raw) if text else "(print template)"
        bucket = self._sources.setdefault(unquote(url), [])
        if where not in bucket:
            bucket.append(where)

    def _duty_groups(
        self, role_ids: list[str], located: dict[tuple[str, str], str]
    ) -> list[dict[str, Any]]:
        """Per role: every article assigning it duties, with number, summary and link."""
        out = []
        for rid in role_ids:
            role = self.comp.roles[rid]
            rows = []
            for reg_id, art in duties_of(self.comp, rid):
                text = art.text(self.lang)
                summary = text.duties.get(rid) or art.texts[DEFAULT_LANGUAGE].duties.get(rid)
                duty = (
                    duty_html(summary, reg_id, self._reference_or_none, _local_href(located))
                    if summary
                    else text.caption
                    or _excerpt(duty_plain(text.body, reg_id, self._reference_or_none))
                )
                rows.append(
                    {
                        "reg": self.comp.regulations[reg_id],
                        "label": self._reference(reg_id, art.id),
                        "caption": text.caption,
                        "duty": duty,
                        "href": located.get((reg_id, art.id)),
                    }
                )
            out.append({"role": role, "name": role.name.get(self.lang, rid), "rows": rows})
        return out


def _heading_kind(key: str, reg: Regulation) -> str | None:
    """chapter, section or article for a heading id without its prefix (None: other)."""
    if key.startswith("ch-"):
        return "chapter"
    if key.startswith("sec-"):
        return "section"
    if key in reg.articles:
        return "article"
    return None


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _regulations_of(comp: Compendium, keys: list[tuple[str, str]]) -> list[str]:
    wanted = {reg for reg, _ in keys}
    return [r for r in comp.regulations if r in wanted]


def _select(reg: Regulation, keep: set[str]) -> Regulation:
    """``reg`` with only the articles in ``keep`` (empty sections and chapters dropped)."""
    chapters = []
    for ch in reg.chapters:
        sections = [
            Section(s.id, s.title, [a for a in s.articles if a in keep]) for s in ch.sections
        ]
        sections = [s for s in sections if s.articles]
        if sections:
            chapters.append(Chapter(ch.id, ch.title, sections, ch.has_sections))
    return dataclasses.replace(reg, chapters=chapters)


def _local_href(located: dict[tuple[str, str], str]) -> Callable[[str, str], str | None]:
    """Links to articles printed in this document (None for the others)."""
    return lambda reg_id, aid: f"#{located[(reg_id, aid)]}" if (reg_id, aid) in located else None


def _excerpt(body: str, limit: int = 80) -> str:
    text = re.sub(r"\[\[[^\]]*\]\]|[*_`#>]|^\s*\d+\.\s*", "", body, flags=re.M)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_line(text: ArticleText, raw: str) -> str:
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


def _link_references(body: str, locations: dict[tuple[str, str], str]) -> str:
    """Point every cross reference at the place its article is printed, or unlink it.

    In a pack an article may be printed in another part than the reference
    expects, or not at all: then the number stays as text.
    """
    ids = set(_ID_RE.findall(body))

    def fix(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if target in ids:
            return m.group(0)
        ref = _PACK_REF_RE.match(target)
        if (
            ref
            and (ref.group(1), ref.group(2)) in locations
            and locations[(ref.group(1), ref.group(2))] in ids
        ):
            return f'<a class="xref" href="#{locations[(ref.group(1), ref.group(2))]}">{label}</a>'
        return f'<span class="xref">{label}</span>'

    return _XREF_RE.sub(fix, body)


def pdf_file(kind: str, lang: str, pack_id: str | None = None) -> str:
    """The file name of a PDF: compendium-<lang>.pdf or pack-<pack-id>-<lang>.pdf."""
    return f"compendium-{lang}.pdf" if kind == "compendium" else f"pack-{pack_id}-{lang}.pdf"


def pdf_downloads(
    comp: Compendium, packs: list[Pack], lang: str, href: Callable[[str], str]
) -> dict[str, Any]:
    """Context for ``templates/compendium/pdf_downloads.html``: the PDFs a site page links to.

    ``href`` turns a file name (``compendium-en.pdf``) into a link from the page.
    """
    t = PRINT_LABELS[lang]
    language = {"zh-Hant": t["pdf_zh"], "en": t["pdf_en"]}

    def editions(kind: str, pack_id: str | None = None) -> list[dict[str, str]]:
        order = [lang] + [x for x in LANGUAGES if x != lang]  # the page's language first
        return [
            {"href": href(pdf_file(kind, x, pack_id)), "label": language[x], "lang": x}
            for x in order
        ]

    return {
        "p": t,
        "compendium": {
            "title": section(lang, "interface")["compendium_title"],
            "editions": editions("compendium"),
            "bilingual": {
                "href": href("compendium-bilingual.pdf"),
                "label": section(lang, "interface")["bilingual_edition"],
            },
        },
        "packs": [
            {
                "title": pack.title[lang],
                "roles": [comp.roles[r].name.get(lang, r) for r in pack.roles],
                "editions": editions("pack", pack.id),
            }
            for pack in packs
        ],
    }
