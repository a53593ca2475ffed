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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES, is_default
from compendium.labels import format_date, section
from compendium.numbering.citation import cite, regulation_name
from compendium.numbering.numbers import (
    Numbering,
    chapter_heading,
    numbers_of,
    reference_label,
)
from compendium.printing.control import qr_svg, short_title, uncontrolled_line, verify_url
from compendium.printing.resources import Resources
from compendium.roles import orgchart
from compendium.roles.duties import duties_of
from compendium.roles.summaries import duty_html, duty_plain
from compendium.site.mdext import UrlPolicyExtension
from compendium.site.memo import Memo, digest
from compendium.site.render import Renderer, inline
from compendium.source.htmlpolicy import SafeHtmlExtension
from compendium.source.layout import role_page
from compendium.source.model import Chapter, Compendium, Regulation, Section
from compendium.source.packs import Pack, Part
from compendium.templating import environment

MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "compendium.site.mdext"]

PRINT_LABELS = {lang: section(lang, "print") for lang in LANGUAGES}
# A duty table longer than this goes on in a print part of its own (on a new page,
# under its heading again), so one long table never makes one long rendering.
DUTY_ROWS_PER_PART = 150


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
    digest: str | None = None  # short content digest (compendium.printing.control)
    site_url: str | None = None  # mkdocs.yml's, with a trailing slash
    approval: dict[str, str] = field(default_factory=dict)  # control.approval_lines

    @property
    def verify_url(self) -> str | None:
        """Where the cover's QR code leads: this edition on the site's verify page."""
        if not (self.site_url and self.digest):
            return None
        return verify_url(self.site_url, self.digest)

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

    def digest_text(self, lang: str) -> str:
        """摘要 05900bbdf9c4 / digest 05900bbdf9c4, or nothing for a draft."""
        return PRINT_LABELS[lang]["footer_digest"].format(digest=self.digest) if self.digest else ""

    def edition_text(self, lang: str) -> str:
        """The footer's second line: the release (or draft) and the digest."""
        return " · ".join(x for x in (self.release_text(lang), self.digest_text(lang)) if x)

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
    footer: Footer | None = None  # rendered in parts: the page number stamped on each page


@dataclass(frozen=True)
class Footer:
    """The page number of a document rendered in parts, as its stylesheet places it.

    ``prefix``, ``between`` and ``end`` surround the page number and the page count
    ("第 3 頁 / 共 40 頁"). The lengths (mm) are the page's right and bottom margins
    and the margin box's top padding in print.css (or bilingual.html).
    """

    prefix: str
    between: str
    end: str
    right_mm: float
    bottom_mm: float
    padding_mm: float = 3.0


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
        templates: Path = TEMPLATES,
        parts: bool = False,
        memo: Memo | None = None,
    ):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (expected one of: {', '.join(LANGUAGES)})")
        self.comp = comp
        self.lang = lang
        self.info = info
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.templates = templates
        self.parts = parts  # rendered in parts (compendium.printing.parts)
        self.memo = memo  # article bodies converted by earlier builds (compendium.site.memo)
        self.t = {**section(lang, "interface"), **PRINT_LABELS[lang]}
        # The site's fragments (the organisation chart) are shared with print.
        self.env = environment(templates, "print", "compendium", lang=lang)
        self._resources = Resources(self.base_url)
        self._role_targets: dict[str, str] = {}
        url = info.verify_url
        self._qr = Markup(qr_svg(url)) if url else None  # segno's SVG: module paths only

    # -- public ------------------------------------------------------------------

    def compendium(self) -> PrintDocument:
        """The whole compendium: cover, contents, every regulation."""
        self._resources = Resources(self.base_url)
        # Role mentions link to the role's entry in the index of duties at the end.
        indexed = [rid for rid in self.comp.roles if duties_of(self.comp, rid)]
        self._role_targets = {rid: f"role-{rid}" for rid in indexed}
        located = {
            (reg.id, aid): f"{reg.id}--{aid}"
            for reg in self.comp.regulations.values()
            for aid in reg.shown_articles
        }
        blocks = [
            self._block(reg.id, f"{reg.id}--", None, located)
            for reg in self.comp.regulations.values()
        ]
        title = self.t["compendium_title"]
        other = next(lang for lang in LANGUAGES if lang != self.lang)
        body = self._render(
            "compendium.html",
            title=title,
            blocks=blocks,
            other_title=section(other, "interface")["compendium_title"],
            roles=self._duty_groups(indexed, located),
            org_chart=orgchart.layout(self.comp, self.lang),
            role_href=lambda rid: f"#role-{rid}" if rid in self._role_targets else "#roles-index",
            effective=self._effective(self.comp.regulations.values()),
        )
        effective = self._effective(self.comp.regulations.values())
        return self._document(f"compendium-{self.lang}", title, "compendium", body, effective)

    def pack(self, pack: Pack) -> PrintDocument:
        """One onboarding pack: cover, contents, duty summary, the parts, acknowledgement."""
        self._resources = Resources(self.base_url)
        # Role mentions of the pack's roles link to their duty summary.
        self._role_targets = {rid: f"duties-{rid}" for rid in pack.roles}
        # Where each article is printed: the first part that lists it. Known before
        # anything is rendered, so a reference to a later part links too.
        layout = _pack_layout(self.comp, pack)
        located = {
            (place.reg_id, aid): f"{place.prefix}{aid}" for place in layout for aid in place.fresh
        }
        parts: list[dict[str, Any]] = [
            {"id": f"p{n}", "title": self._part_title(part), "blocks": []}
            for n, part in enumerate(pack.parts, start=1)
        ]
        for place in layout:
            seen = [
                (self._reference(place.reg_id, aid), located[(place.reg_id, aid)])
                for aid in place.seen
            ]
            note = self._render("seen.html", seen=seen)
            block = (
                self._block(place.reg_id, place.prefix, set(place.fresh), located, note)
                if place.fresh
                else None
            )
            parts[place.part]["blocks"].append(
                {
                    "block": block,
                    "reg": self.comp.regulations[place.reg_id],
                    "html": block.html if block else note,
                    "id": f"{place.prefix}regulation",
                }
            )
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
            duty_rows_per_part=DUTY_ROWS_PER_PART,
        )
        return self._document(
            f"pack-{pack.id}-{self.lang}", title, "pack", body, self._effective(regs)
        )

    # -- pieces ------------------------------------------------------------------

    def _document(
        self, name: str, title: str, kind: str, body: str, effective: dt.date | None
    ) -> PrintDocument:
        doc_id = self.footer_id("", title, effective)
        css = self._render("print.css", kind=kind, title=title, parts=self.parts, doc_id=doc_id)
        html = self._render("document.html", title=title, kind=kind, body=body, css=css, name=name)
        footer = None
        if self.parts:  # the margins of print.css
            t = self.t
            footer = Footer(t["page_x"], t["page_of"], t["page_end"], 20, 22)
        return PrintDocument(name, self.lang, title, html, self._resources.sources, footer)

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            t=self.t,
            lang=self.lang,
            info=self.info,
            release=self.info.release_text(self.lang),
            release_phrase=self.info.release_phrase(self.lang),
            release_value=self.info.release_value(self.lang),
            author=self.info.author_text(self.lang),
            qr=self._qr,
            uncontrolled=uncontrolled_line(self.t, self.info.site_url),
            footer_id=self.footer_id,
            footer_digest=self.info.digest_text(self.lang),
            footer_edition=self.info.edition_text(self.lang),
            **context,
        )

    def footer_id(self, code: str, title: str, effective: dt.date | None) -> str:
        """What a page footer names: "AB-01 · short title · in force 1 January 2026"."""
        parts = [code, short_title(title)] if code else [short_title(title)]
        if effective is not None:
            parts.append(self.t["footer_in_force"].format(date=format_date(effective, self.lang)))
        return " · ".join(parts)

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

    def _block(
        self,
        reg_id: str,
        prefix: str,
        keep: set[str] | None,
        located: dict[tuple[str, str], str],
        preface: str | None = None,
    ) -> _Block:
        """Render one regulation (all of it, or only the articles in ``keep``);
        ``located`` says where each article is printed (cross references to the
        others are shown as text), ``preface`` goes before the first chapter."""
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
            # A role without a place in this document: a site link, which the URL
            # policy drops (the name stays as text).
            return f"#{targets[rid]}" if rid in targets else role_page(rid)

        def xref_href(ref_reg: str, aid: str, same: bool) -> str | None:
            where = located.get((ref_reg, aid))
            return f"#{where}" if where else None

        policy = self._resources.policy(reg_id, self.lang)
        renderer = _PrintRenderer(
            comp,
            self.lang,
            self.templates,
            id_prefix=prefix,
            full=self.comp,
            role_url=role_url,
            xref_href=xref_href,
            url_policy=policy,
            heading_class_prefix="print-",
            convert_memo=self.memo,
        )
        _, md = renderer.regulation_page(reg_id, no_page, preface)
        key = digest(["print-block", self.lang, prefix, md])
        html = self.memo.get(key) if self.memo is not None else None
        if html is None:
            pure = True  # only in-document links: the result may be kept (site/memo.py)

            def block_policy(_i: int, el: Any, name: str, value: str) -> str | None:
                nonlocal pure
                kept = policy(None, el, name, value)
                pure &= name == "href" and value.startswith("#") and kept == value
                return kept

            converter = markdown.Markdown(
                extensions=[
                    *MARKDOWN_EXTENSIONS,
                    SafeHtmlExtension(),
                    # headings (captions) may hold links too; the bodies are raw HTML here
                    UrlPolicyExtension(block_policy),
                ],
                extension_configs={
                    "toc": {"slugify": lambda value, sep: prefix + slugify_unicode(value, sep)}
                },
            )
            html = converter.convert(md)
            if self.memo is not None and pure:
                self.memo.put(key, html)
        numbering = renderer.numbering(reg_id)
        chapters = [
            (f"{prefix}ch-{ch.id}", self._chapter_heading(shown, ch, numbering))
            for ch in shown.chapters
        ]
        return _Block(shown, prefix, html, chapters)

    def _chapter_heading(self, reg: Regulation, ch: Chapter, numbering: Numbering) -> str:
        cnum = numbering.chapters[ch.id]
        return chapter_heading(reg.numbering, cnum, ch.title.get(self.lang, ch.id), self.lang)

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
                    duty_html(
                        summary,
                        reg_id,
                        self._reference_or_none,
                        _local_href(located),
                        inline(self.templates, self.lang).xref,
                    )
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


def no_page(src: str, anchor: str | None) -> str:
    """Print links to no site page (cross references are placed by ``xref_href``)."""
    return ""


@dataclass(frozen=True)
class _Place:
    """Where one regulation's articles go in a pack: part index, id prefix, the
    articles printed there and those already printed in an earlier part."""

    part: int
    reg_id: str
    prefix: str
    fresh: list[str]
    seen: list[str]


def _pack_layout(comp: Compendium, pack: Pack) -> list[_Place]:
    """Every (part, regulation) of a pack in order; an article listed by several
    parts is printed in the first and referred to from the others."""
    placed: set[tuple[str, str]] = set()
    out = []
    for n, part in enumerate(pack.parts):
        for reg_id in _regulations_of(comp, part.articles):
            keys = [k for k in part.articles if k[0] == reg_id]
            fresh = [aid for (_, aid) in keys if (reg_id, aid) not in placed]
            seen = [aid for (_, aid) in keys if (reg_id, aid) in placed]
            placed.update((reg_id, aid) for aid in fresh)
            out.append(_Place(n, reg_id, f"p{n + 1}--{reg_id}--", fresh, seen))
    return out


def _local_href(located: dict[tuple[str, str], str]) -> Callable[[str, str], str | None]:
    """Links to articles printed in this document (None for the others)."""
    return lambda reg_id, aid: f"#{located[(reg_id, aid)]}" if (reg_id, aid) in located else None


def _excerpt(body: str, limit: int = 80) -> str:
    text = re.sub(r"\[\[[^\]]*\]\]|[*_`#>]|^\s*\d+\.\s*", "", body, flags=re.M)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
