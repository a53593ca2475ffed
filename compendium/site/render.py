"""Assemble pages (as Markdown with HTML fragments from templates) from the model.

Used by the site hooks and by the PDF builder. Nothing here knows MkDocs: the
caller passes ``url``, a function that turns a docs-relative source path plus an
optional anchor into a link usable from the page being built.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from markupsafe import Markup

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES, is_default
from compendium.changes.drift import Drift, drift_notice
from compendium.changes.history import ArticleRevisions, status_badge
from compendium.labels import section
from compendium.numbering.citation import cite, heading_tail
from compendium.numbering.numbers import (
    Number,
    Numbering,
    article_anchor,
    article_label,
    chapter_label,
    numbers_of,
    reference_label,
    section_label,
)
from compendium.numbering.xref import replace_references
from compendium.roles import orgchart
from compendium.roles.duties import children_of, duties_of
from compendium.roles.summaries import duty_html, duty_plain, plain_excerpt
from compendium.site.historypages import article_history_html
from compendium.site.mdext import ARTICLE_SEPARATOR, ItemNumbersExtension, UrlPolicyExtension
from compendium.site.memo import Memo, digest
from compendium.source import htmlpolicy
from compendium.source.htmlpolicy import SafeHtmlExtension, escape_raw_html, escape_text
from compendium.source.layout import manifest_path, role_page
from compendium.source.model import Article, Compendium, Regulation
from compendium.source.rolementions import RoleMatcher, duty_matrix
from compendium.templating import environment

UrlFor = Callable[[str, str | None], str]  # (source path, anchor) -> link
# (regulation id, article id, same regulation) -> the link of a cross reference, or
# None for a reference shown as text
XrefHref = Callable[[str, str, bool], str | None]
# (article the URL is in, element, attribute, value) -> the value to keep, or None
ArticleUrlPolicy = Callable[[Article, ET.Element, str, str], str | None]


def inline(templates: Path = TEMPLATES, lang: str = DEFAULT_LANGUAGE) -> Any:
    """The macros of ``inline.html`` (cross reference, heading number, article body);
    not cached here: Jinja keeps the compiled template and reloads it when it changes."""
    return environment(templates, "compendium", lang=lang).get_template("inline.html").module


@dataclass
class Renderer:
    """Renders pages of one compendium in one language."""

    comp: Compendium
    lang: str
    templates: Path = TEMPLATES
    id_prefix: str = ""  # prepended to every id on the page (print joins many regulations)
    role_url: Callable[[str], str] | None = None  # role id -> link; None: no role links
    role_links: str = "first"  # first | all | none: which mentions of a role are linked
    # Site builds: HTML fragments are placeholders in the page's Markdown (``fragments``),
    # put back into the HTML by ``fragments.fill_fragments``; others get the HTML inline.
    defer_html: bool = False
    # None: not shown. Drifted translations, amendment history, redline links, stamp.
    drift: dict[tuple[str, str], Drift] | None = None
    article_history: dict[tuple[str, str], ArticleRevisions] | None = None
    redline_url: Callable[[str, str], str] | None = None
    stamp: str | None = None
    # Site pages also carry every article in the other language (side-by-side view).
    bilingual: bool = False
    # Print: where a cross reference points (default: the article on its page), the URL
    # policy of article bodies (mdext.UrlPolicyExtension; the article index is into
    # ``Regulation.articles``), a class on numbered headings (``<prefix>chapter``, ...).
    xref_href: XrefHref | None = None
    url_policy: ArticleUrlPolicy | None = None
    heading_class_prefix: str | None = None
    # Site builds share this between the pages of one run: bodies a page converted (its
    # own, or the other language's) are reused by the next page needing them when every
    # link in them is the same from there. Empty it when the model changes.
    body_cache: dict[Any, Any] | None = None
    convert_memo: Memo | None = None  # conversions kept between builds (site/memo.py)

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(
                f"unknown language '{self.lang}' (expected one of: {', '.join(LANGUAGES)})"
            )
        self.env = environment(self.templates, "compendium", lang=self.lang)
        self.t = section(self.lang, "interface")
        self._converters: dict[str, markdown.Markdown] = {}
        self._other_bodies: tuple[str, dict[str, str]] | None = None
        self.fragments: dict[str, str] | None = {} if self.defer_html else None
        self.heading_marks: dict[str, tuple[str, str]] = {}
        self.inline = inline(self.templates, self.lang)
        self._converting: list[Article] = []  # the articles of the current conversion
        self._pure = True  # its URL policy kept every URL as it was: the result may be kept

    # -- numbers ---------------------------------------------------------------

    def numbering(self, reg_id: str) -> Numbering:
        return numbers_of(self.comp.regulations[reg_id])

    def reference_text(self, reg_id: str, art_id: str, same: bool) -> str:
        """第十七條 / Article 17, or with the regulation named when ``same`` is false."""
        num = self.numbering(reg_id).articles[art_id]
        ref = reference_label(num, self.lang)
        if same:
            return ref
        title = self.comp.regulations[reg_id].title.get(self.lang, reg_id)
        return cite(ref, title, self.lang)

    def _reference_or_none(self, reg_id: str, art_id: str, same: bool) -> str | None:
        """``reference_text``, or None when the article does not exist."""
        if self.comp.article(reg_id, art_id) is None:
            return None
        return self.reference_text(reg_id, art_id, same)

    # -- pieces ----------------------------------------------------------------

    def render_template(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(t=self.t, lang=self.lang, **context)

    def body_markdown(self, reg: Regulation, art: Article, url: UrlFor) -> str:
        """The article's body with cross references resolved to linked numbers."""
        text = art.text(self.lang)

        def render(reg_id: str, art_id: str, same: bool) -> str:
            if self.comp.article(reg_id, art_id) is None:
                return f"[[{art_id if same else reg_id + '/' + art_id}]]"
            label = self.reference_text(reg_id, art_id, same)
            if self.xref_href is not None:
                href = self.xref_href(reg_id, art_id, same)
            elif same:
                href = f"#{self.id_prefix}{art_id}"
            else:
                href = url(manifest_path(reg_id), art_id)
            return str(self.inline.xref(label, href))

        # Raw HTML is refused by validation; should any get this far it is shown as text.
        body = escape_raw_html(text.body)
        if self.role_url is not None:
            body = self.role_matcher.link(body, self.role_url, self.role_links)
        return replace_references(body, reg.id, render)

    def body_converter(self, style: str) -> markdown.Markdown:
        """A Markdown converter for article bodies of one numbering style (reused)."""
        if style not in self._converters:
            extensions: list[Any] = [
                "attr_list",
                "tables",
                ItemNumbersExtension(style=style, lang=self.lang),
                SafeHtmlExtension(body=True, reserved=lambda: set(self._page_ids)),
            ]
            if self.url_policy is not None:
                extensions.append(UrlPolicyExtension(self._article_url_policy))
            self._converters[style] = markdown.Markdown(extensions=extensions)
        return self._converters[style]

    def _article_url_policy(self, index: int, el: ET.Element, name: str, value: str) -> str | None:
        assert self.url_policy is not None
        # (a body that itself holds the separator is converted again on its own)
        kept = self.url_policy(
            self._converting[min(index, len(self._converting) - 1)], el, name, value
        )
        self._pure &= name == "href" and value.startswith("#") and kept == value
        return kept

    def _convert(self, reg: Regulation, arts: list[Article], source: str) -> str:
        self._converting, self._pure = arts, True
        ids = htmlpolicy.page_ids(reg.listed | set(reg.articles), reg.title.values())
        self._page_ids = sorted(ids)  # no body may take one of the page's ids
        key = digest([type(self).__name__, self.lang, reg.numbering, *self._page_ids, source])
        if self.convert_memo is not None and (hit := self.convert_memo.get(key)) is not None:
            return hit
        html = self.body_converter(reg.numbering).reset().convert(source)
        if self.convert_memo is not None and self._pure:  # only in-page links: no side effect
            self.convert_memo.put(key, html)
        return html

    @functools.cached_property
    def role_matcher(self) -> RoleMatcher:
        return RoleMatcher.build(self.comp.roles, self.lang)

    # -- pages -----------------------------------------------------------------

    def regulation_page(
        self, reg_id: str, url: UrlFor, preface: str | None = None
    ) -> tuple[str, str]:
        """``(title, markdown)`` of the page of one regulation; ``preface`` (HTML)
        goes after its header, before the first chapter."""
        reg = self.comp.regulations[reg_id]
        numbering = self.numbering(reg_id)
        title = reg.title.get(self.lang, reg.id)
        owner = self.comp.roles.get(reg.owner)
        out: list[str] = [f"# {escape_text(title)}\n"]
        out.append(
            self._raw(
                self.render_template(
                    "regulation_meta.html",
                    reg=reg,
                    owner=owner.name.get(self.lang, owner.id) if owner else reg.owner,
                    notes=reg.notes.get(self.lang, []),
                    article_count=len(reg.articles),
                    stamp=self.stamp,
                    bilingual=self.bilingual,
                )
            )
        )
        if preface:
            out.append(self._raw(preface))
        bodies = self.article_bodies(reg, url)
        self._other_bodies = self._other_language_bodies(reg, url) if self.bilingual else None
        by_number: set[str] = set()  # a number anchor names the first chapter of that number
        for ch in reg.chapters:
            cnum = numbering.chapters[ch.id]
            number_id = f"{self.id_prefix}chapter-{cnum}"
            out.append(
                self._numbered_heading(
                    "##",
                    f"{self.id_prefix}ch-{ch.id}",
                    None if number_id in by_number else number_id,
                    chapter_label(reg.numbering, cnum, self.lang),
                    heading_tail(
                        escape_text(ch.title.get(self.lang, ch.id)), reg.numbering, self.lang
                    ),
                    "chapter",
                )
            )
            by_number.add(number_id)
            for sec in ch.sections:
                level = "###"
                if sec.id is not None:
                    snum = numbering.sections[sec.id]
                    out.append(
                        self._numbered_heading(
                            "###",
                            f"{self.id_prefix}sec-{sec.id}",
                            None,
                            section_label(snum, self.lang),
                            " " + escape_text(sec.title.get(self.lang, sec.id)),
                            "section",
                        )
                    )
                    level = "####"
                for aid in sec.articles:
                    art = reg.articles.get(aid)
                    if art is None:
                        continue
                    out.append(self._article(reg, art, numbering, level, bodies[aid]))
        return title, "\n".join(out)

    def article_bodies(self, reg: Regulation, url: UrlFor) -> dict[str, str]:
        """The HTML body of every article of ``reg`` (see ``body_cache``)."""
        if self.body_cache is None or self.url_policy is not None or self.xref_href is not None:
            return self._article_bodies(reg, url)
        key = (id(self.comp), reg.id, self.lang, self.id_prefix, self.role_links, self.templates)
        role_url = self.role_url
        hit = self.body_cache.get(key)
        if hit is not None:
            bodies, urls, roles = hit
            if all(url(s, a) == h for (s, a), h in urls.items()) and (
                role_url is None or all(role_url(r) == h for r, h in roles.items())
            ):
                return dict(bodies)
        used: dict[tuple[str, str | None], str] = {}
        linked: dict[str, str] = {}

        def recorded(src: str, anchor: str | None) -> str:
            used[(src, anchor)] = href = url(src, anchor)
            return href

        if role_url is not None:
            self.role_url = lambda rid: linked.setdefault(rid, role_url(rid))
        try:
            bodies = self._article_bodies(reg, recorded)
        finally:
            self.role_url = role_url
        self.body_cache[key] = (dict(bodies), used, linked)
        return bodies

    def _article_bodies(self, reg: Regulation, url: UrlFor) -> dict[str, str]:
        """The HTML body of every article of ``reg``, converted in one Markdown pass.

        One pass per regulation instead of one per article: Markdown's fixed cost
        per conversion dominates for short articles. A separator paragraph keeps
        the articles (and their lists, so item numbers restart) apart.
        """
        ids = list(reg.articles)
        source = f"\n\n{ARTICLE_SEPARATOR}\n\n".join(
            self.body_markdown(reg, reg.articles[a], url) for a in ids
        )
        try:
            html = self._convert(reg, list(reg.articles.values()), source)
        except RecursionError:  # nesting beyond the validation limit: convert one by one
            html = ""
        parts = html.split(f"<p>{ARTICLE_SEPARATOR}</p>")
        if len(parts) != len(ids):  # a body swallowed the separator (e.g. an open HTML block)
            return {a: self._convert_one(reg, reg.articles[a], url) for a in ids}
        return {a: part.strip() for a, part in zip(ids, parts, strict=True)}

    def _convert_one(self, reg: Regulation, art: Article, url: UrlFor) -> str:
        """One article body; one nested too deeply for the converter becomes plain text
        (validation refuses it first; this keeps a build that ignored that from crashing)."""
        source = self.body_markdown(reg, art, url)
        try:
            return self._convert(reg, [art], source)
        except RecursionError:
            return f"<p>{escape_text(art.text(self.lang).body)}</p>"

    def _article(
        self, reg: Regulation, art: Article, numbering: Numbering, level: str, html: str
    ) -> str:
        num = numbering.articles[art.id]
        text = art.text(self.lang)
        translated = art.is_translated(self.lang)
        caption = text.caption
        rest = ""
        if art.repealed is not None:  # repealed in place: 第八條　（刪除） / Article 8 (Repealed)
            heading_md = self._numbered_heading(
                level,
                f"{self.id_prefix}{art.id}",
                f"{self.id_prefix}{article_anchor(num)}",
                article_label(num, self.lang),
                self.t["repealed_mark"],
                "article",
            )
            note = self.t["repealed_on"].format(date=art.repealed.isoformat())
            return heading_md + self._raw(
                self.render_template("notice.html", kind="repealed", text=note)
            )
        if caption:
            rest = heading_tail(escape_text(caption), reg.numbering, self.lang)
        outdated = (
            translated
            and not is_default(self.lang)
            and text.translates is not None
            and text.translates != art.source_hash
        )
        heading_md = self._numbered_heading(
            level,
            f"{self.id_prefix}{art.id}",
            f"{self.id_prefix}{article_anchor(num)}",
            article_label(num, self.lang),
            rest,
            "article",
        )
        parts: list[str] = []
        badge = status_badge(
            (self.article_history or {}).get((reg.id, art.id)), self.lang, self.redline_url
        )
        if badge is not None:
            parts.append(self.render_template("status_badge.html", badge=badge))
        if not translated:
            parts.append(
                self.render_template(
                    "notice.html", kind="untranslated", text=self.t["untranslated"]
                )
            )
        if outdated:
            drift = (self.drift or {}).get((reg.id, art.id))
            notice = drift_notice(drift, self.lang) if drift is not None else self.t["outdated"]
            parts.append(self.render_template("notice.html", kind="outdated", text=notice))
        body_lang = self.lang if translated else DEFAULT_LANGUAGE
        # The body is converted here with a reused converter; the page's own Markdown
        # pass sees only the headings (see ``defer_html``).
        body = str(
            self.inline.article_body(
                reg.numbering, self.lang, None if translated else body_lang, Markup(html)
            )
        )
        if self._other_bodies is not None:
            body = self._bilingual_pair(reg, art, num, body, self._other_bodies)
        parts.append(body)
        if text.editorial or art.truncated:
            parts.append(
                self.render_template(
                    "editorial.html", notes=text.editorial, truncated=art.truncated
                )
            )
        revisions = (self.article_history or {}).get((reg.id, art.id))
        if revisions is not None:
            block = article_history_html(revisions, self.lang, self.redline_url, self.templates)
            if block:
                parts.append(block)
        return heading_md + self._raw("\n".join(parts))

    def _other_language_bodies(self, reg: Regulation, url: UrlFor) -> tuple[str, dict[str, str]]:
        """``(language, {article id: body HTML})`` of the other language, for the side-by-side view."""
        other = next(lang for lang in LANGUAGES if lang != self.lang)
        twin = Renderer(
            self.comp,
            other,
            self.templates,
            id_prefix=self.id_prefix,
            role_url=self.role_url,
            role_links=self.role_links,
            body_cache=self.body_cache,
            convert_memo=self.convert_memo,
        )
        self._twin = twin
        return other, twin.article_bodies(reg, url)

    def _bilingual_pair(
        self,
        reg: Regulation,
        art: Article,
        num: Number,
        body: str,
        other_bodies: tuple[str, dict[str, str]],
    ) -> str:
        """The article's body beside its text in the other language (hidden by default)."""
        other, bodies = other_bodies
        text = art.text(other)
        translated = art.is_translated(other)
        return self._twin.render_template(
            "bilingual_article.html",
            body=Markup(body),
            other_body=Markup(bodies[art.id]),
            other_lang=other if translated else DEFAULT_LANGUAGE,
            label=article_label(num, other),
            caption=text.caption,
            translated=translated,
            style=reg.numbering,
        )

    def _numbered_heading(
        self, level: str, hid: str, anchor: str | None, label: str, rest: str, kind: str
    ) -> str:
        """A heading whose number is marked up as ``<span class="num">`` and whose
        number anchor (art-17, chapter-2) is an empty span before it; ``hid`` is
        the heading's own id (the article id), ``kind`` chapter, section or article."""
        attrs = f"#{hid}"
        if self.heading_class_prefix is not None:
            attrs = f".{self.heading_class_prefix}{kind} {attrs}"
        mark = str(self.inline.number(anchor, label))
        if self.fragments is None:
            return f"{level} {mark}{rest} {{{attrs}}}\n"
        # Deferred: plain text for Markdown, the spans are added to the HTML later.
        self.heading_marks[hid] = (label, mark)
        return f"{level} {label}{rest} {{{attrs}}}\n"

    def _raw(self, html: str) -> str:
        """HTML to place in the page's Markdown: inline, or a placeholder when deferred."""
        if self.fragments is None:
            return "\n" + _no_blank_lines(html) + "\n"
        key = f"CMPFRAG{len(self.fragments)}X"
        self.fragments[key] = html
        return f"\n{key}\n"

    def home_page(self, url: UrlFor) -> tuple[str, str]:
        regs = []
        for reg in self.comp.regulations.values():
            owner = self.comp.roles.get(reg.owner)
            regs.append(
                {
                    "reg": reg,
                    "title": reg.title.get(self.lang, reg.id),
                    "href": url(manifest_path(reg.id), None),
                    "owner": owner.name.get(self.lang, owner.id) if owner else reg.owner,
                }
            )
        title = self.t["compendium_title"]
        html = self.render_template("home.html", regs=regs)
        return title, f"# {title}\n\n{html}"

    def role_name(self, rid: str) -> str:
        role = self.comp.roles.get(rid)
        return role.name.get(self.lang, rid) if role else rid

    def role_page(self, rid: str, url: UrlFor) -> tuple[str, str]:
        """A role's page: its unit, the roles under it, its duties grouped by regulation."""
        role = self.comp.roles[rid]
        groups: dict[str, list[dict[str, Any]]] = {}
        for reg_id, art in duties_of(self.comp, rid):
            num = self.numbering(reg_id).articles[art.id]
            text = art.text(self.lang)
            summary = text.duties.get(rid)
            groups.setdefault(reg_id, []).append(
                {
                    "number": reference_label(num, self.lang),
                    "caption": text.caption,
                    "style": self.comp.regulations[reg_id].numbering,
                    "href": url(manifest_path(reg_id), art.id),
                    "summary": duty_html(
                        summary,
                        reg_id,
                        self._reference_or_none,
                        lambda r, a: url(manifest_path(r), a),
                        self.inline.xref,
                    )
                    if summary
                    else None,
                    "text": None
                    if summary
                    else plain_excerpt(duty_plain(text.body, reg_id, self._reference_or_none)),
                    "article_id": art.id,
                }
            )
        regs = [
            {
                "title": self.comp.regulations[r].title.get(self.lang, r),
                "code": self.comp.regulations[r].code,
                "href": url(manifest_path(r), None),
                "duties": d,
            }
            for r, d in groups.items()
        ]
        owned = [
            {
                "title": reg.title.get(self.lang, reg.id),
                "href": url(manifest_path(reg.id), None),
            }
            for reg in self.comp.regulations.values()
            if reg.owner == rid
        ]
        parent = self.comp.roles.get(role.parent) if role.parent else None
        html = self.render_template(
            "role.html",
            role=role,
            name=self.role_name(rid),
            regs=regs,
            owned=owned,
            parent={"name": self.role_name(parent.id), "href": url(role_page(parent.id), None)}
            if parent
            else None,
            children=[
                {"name": self.role_name(c.id), "href": url(role_page(c.id), None)}
                for c in children_of(self.comp, rid)
            ],
            aliases=role.aliases.get(self.lang, []),
        )
        return self.role_name(rid), f"# {escape_text(self.role_name(rid))}\n\n{html}"

    def roles_page(self, url: UrlFor, csv_href: str) -> tuple[str, str]:
        """The overview: duty matrix (with CSV download) and organisation chart."""
        matrix = duty_matrix(self.comp)
        regs = list(self.comp.regulations.values())
        rows = [
            {
                "name": self.role_name(rid),
                "href": url(role_page(rid), None),
                "counts": [matrix[rid].get(r.id, 0) for r in regs],
                "total": sum(matrix[rid].values()),
            }
            for rid in self.comp.roles
        ]
        html = self.render_template("roles.html", regs=regs, rows=rows, csv_href=csv_href)
        chart = self.render_template(
            "org_chart.html",
            chart=orgchart.layout(self.comp, self.lang),
            href=lambda rid: url(role_page(rid), None),
            title=self.t["org_chart"],
            svg_id="org-chart",
        )
        title = self.t["roles"]
        return (
            title,
            f"# {title}\n\n## {self.t['duty_matrix']} {{#duty-matrix}}\n{self._raw(html)}\n"
            f"## {self.t['org_chart']} {{#org-chart}}\n{self._raw(chart)}\n",
        )

    def glossary_page(self) -> tuple[str, str]:
        title = self.t["glossary"]
        html = self.render_template("glossary.html", terms=self.comp.glossary)
        return title, f"# {title}\n\n{html}"


def _no_blank_lines(html: str) -> str:
    """Raw HTML inside Markdown must not contain blank lines (they would end the block)."""
    return re.sub(r"\n\s*\n", "\n", html.strip())
