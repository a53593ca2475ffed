"""MkDocs adapter of the live preview: ``mkdocs serve`` (and ``make serve``) with a fast path.

``on_serve`` hands MkDocs' own server (its watcher, its build loop, its reload script)
a builder of ours. After a save it looks at what changed (a stat snapshot of docs/,
templates/ and mkdocs.yml):

- an article or manifest of one regulation: only that regulation is read again and
  checked, the dependency graph names the pages that show the edit, and those pages
  go through MkDocs' own page pipeline again with the state of the last full build
  (kept in ``config.extra`` by ``on_nav``/``on_env``), the edited page in the language
  last viewed first. The search index and the revisions page follow in a thread;
- anything else (roles, glossary, templates, mkdocs.yml, a change the graph does not
  follow): MkDocs' own builder, a full build into a new folder that is served once it
  is complete.

Either way the builder returns normally, so MkDocs bumps its reload epoch and the
browser reloads. A file with errors is logged as ``path:line: message`` and the last
good build stays served. Decisions (what changed, what to rebuild, in which order)
are in ``compendium.site.preview``; this file is the MkDocs glue
(decisions/0011-live-preview.md).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compendium_site import BODIES, HISTORY, KEY, MEMOS
from mkdocs.commands import build as mkbuild
from mkdocs.config import load_config
from mkdocs.livereload import _SCRIPT_TEMPLATE_STR
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

from compendium.changes.drift import drift_map
from compendium.changes.history import article_revisions, release_history
from compendium.site.csp import admit_script
from compendium.site.preview import (
    changed_files,
    current_language,
    plan_rebuild,
    regulation_change,
    reload_regulation,
    snapshot,
)
from compendium.site.search import build_index
from compendium.source.model import Compendium
from compendium.source.tree import DirTree

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

log = logging.getLogger("mkdocs.hooks.compendium.preview")

STATE = "compendium_preview"  # config.extra key: {language: Language} of the build
WATCHED = ("docs", "templates", "mkdocs.yml")  # beside mkdocs.yml
I18N_LOG = "mkdocs.plugins.mkdocs_static_i18n"
# MkDocs' inline live-reload script, whatever its two numbers
RELOAD_SCRIPT = re.compile(
    re.escape(_SCRIPT_TEMPLATE_STR)
    .replace(re.escape("${epoch}"), "[0-9]+")
    .replace(re.escape("${request_id}"), "[0-9]+")
)


@dataclass
class Language:
    """What one language's build left: its files (with their pages), nav and theme."""

    files: Files
    nav: Navigation
    env: Environment | None = None
    stamp: Any = None  # config.extra["build_stamp"] of that language


@event_priority(-200)  # after the i18n plugin's own nav
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    config.extra.setdefault(STATE, {})[_lang(config)] = Language(files, nav)
    return nav


@event_priority(-200)
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    state = config.extra[STATE][_lang(config)]
    state.env, state.stamp = env, config.extra.get("build_stamp")
    return env


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]):
    """Make MkDocs' server rebuild through the fast path; nosniff and the CSP on every page."""
    preview = Preview(server, config, builder)
    server.builder = preview.rebuild  # MkDocs' build loop reloads the browsers when it returns
    server.error_handler = preview.error_page
    server.set_app(preview.app(server.get_app()))
    for name in WATCHED:
        if (preview.project / name).exists():
            server.watch(str(preview.project / name))
    return server


def _lang(config: MkDocsConfig) -> str:
    return str(config.plugins["i18n"].current_language)  # type: ignore[attr-defined]


def _rel(path: str | os.PathLike[str], start: str | os.PathLike[str]) -> str:
    return os.path.relpath(path, start).replace(os.sep, "/")


class Preview:
    """The session of one ``mkdocs serve``: the last good build and what to do after a save."""

    def __init__(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ):
        self.server, self.config, self.builder = server, config, builder
        self.project = Path(str(config.config_file_path)).parent
        self.known = self._snapshot()
        self.last_page: str | None = None  # the last HTML page a browser asked for
        self.follow_up: threading.Thread | None = None
        self.folders = Path(tempfile.mkdtemp(prefix="mkdocs_preview_"))
        self._count = 0
        weakref.finalize(self, shutil.rmtree, self.folders, True)

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        paths = [self.project / name for name in WATCHED]
        out = snapshot([p for p in paths if p.is_dir()])
        for p in paths:
            if p.is_file():
                st = p.stat()
                out[str(p)] = (st.st_size, st.st_mtime_ns)
        return out

    @property
    def languages(self) -> list[str]:
        return list(self.config.extra.get(STATE, {}))

    # -- after a save ------------------------------------------------------------------

    def rebuild(self) -> None:
        """MkDocs' builder after a change: the fast path when it applies, else a full build.
        Never raises: a failed build keeps the last good one served."""
        if self.follow_up is not None:
            self.follow_up.join()
        now = self._snapshot()
        changed = changed_files(self.known, now)
        self.known = now
        if not changed:
            return
        docs = Path(self.config.docs_dir)
        rel = [_rel(p, docs) for p in changed]
        if all(not r.startswith("../") for r in rel) and regulation_change(rel) is not None:
            handled = self.fast_path(rel)
            if handled is not None:
                return
        self.full_build()

    def full_build(self) -> None:
        """MkDocs' own full build into a new folder, served once it is complete."""
        self._count += 1
        folder = self.folders / f"site-{self._count}"
        config = load_config(
            config_file=str(self.config.config_file_path),
            site_dir=str(folder),
            strict=self.config.strict,
            use_directory_urls=self.config.use_directory_urls,
        )
        config.site_url = self.config.site_url
        try:
            self.builder(config)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good build
            shutil.rmtree(folder, ignore_errors=True)
            log.error(f"preview: build failed ({exc}); still serving the last good build")
            return
        old, self.server.root, self.config = Path(self.server.root), str(folder), config
        shutil.rmtree(old, ignore_errors=True)  # requests wait while MkDocs' builder runs

    def fast_path(self, rel: list[str]) -> bool | None:
        """Re-render the pages ``rel`` changes; None: only a full build will do.
        False: the sources have errors (logged; nothing changed)."""
        started, config = time.perf_counter(), self.config
        rid = regulation_change(rel)
        if rid is None or not self.languages:
            return None
        docs = Path(config.docs_dir)
        comp: Compendium = config.extra[KEY]
        tree = DirTree(docs, display_root=_rel(docs, self.project))
        new, problems = reload_regulation(comp, tree, rid)
        shown, more = problems.reported()
        for p in shown:
            (log.error if p.severity == "error" else log.warning)(p.located())
        if more:
            log.error(more)
        if problems.errors:
            log.error("preview: errors above; still serving the last good build")
            return False
        lang = current_language(self.last_page, self.languages)
        listing = self._pages_of_kind("translations")
        plan = plan_rebuild(comp, new, rel, lang, self.languages, listing)
        if plan is None:
            return None
        self._update(new)
        self._render(plan.steps)
        log.info(f"preview: {len(plan.steps)} page(s) in {time.perf_counter() - started:.2f} s")
        self.follow_up = threading.Thread(target=self._follow_up, args=(new,), daemon=True)
        self.follow_up.start()
        return True

    def _pages_of_kind(self, kind: str) -> list[str]:
        """Stub pages of one kind (``compendium: <kind>`` in their front-matter)."""
        files = next(iter(self.config.extra[STATE].values())).files
        return [
            f.src_uri
            for f in files.documentation_pages()
            if f.page is not None and f.page.meta.get("compendium") == kind
        ]

    def _update(self, comp: Compendium) -> None:
        """Make ``comp`` the model of the next pages, with what the hook derives from it."""
        config = self.config
        docs_rel = _rel(config.docs_dir, self.project)
        history = config.extra[HISTORY]
        history["drift"] = drift_map(comp, self.project, docs_rel)
        history["articles"] = article_revisions(history["history"], comp)
        config.extra[KEY] = comp
        config.extra[BODIES] = {}

    def _render(self, steps: Iterable[tuple[str, str]]) -> None:
        """Build the pages ``(language, source path)`` as ``mkdocs build`` builds them."""
        config = self.config
        try:
            for lang, src in steps:
                state = self._activate(lang)
                file = state.files.get_file_from_path(src)
                if file is None or file.page is None or state.env is None:
                    continue
                doc_files = state.files.documentation_pages(inclusion=InclusionLevel.is_included)
                mkbuild._populate_page(file.page, config, state.files)
                mkbuild._build_page(file.page, config, doc_files, state.nav, state.env)
        finally:
            self._activate(self.languages[0])

    def _activate(self, lang: str) -> Language:
        """Put the config in the state of ``lang``'s build (what the i18n plugin sets)."""
        i18n, state = self.config.plugins["i18n"], self.config.extra[STATE][lang]
        if i18n.current_language != lang:  # type: ignore[attr-defined]
            i18n.current_language = lang  # type: ignore[attr-defined]
            quiet = logging.getLogger(I18N_LOG)  # not "Building '<lang>' documentation" again
            level = quiet.level
            quiet.setLevel(logging.WARNING)
            try:
                i18n.on_config(self.config)
            finally:
                quiet.setLevel(level)
        self.config.extra["build_stamp"] = state.stamp
        return state

    def _follow_up(self, comp: Compendium) -> None:
        """After the fast path: the revisions page (it reads the releases from git) and
        the search index; the next rebuild waits for this."""
        started, config = time.perf_counter(), self.config
        try:
            history = release_history(self.project, _rel(config.docs_dir, self.project), comp)
            if history.status == "ok":
                config.extra[HISTORY]["history"] = history
                revisions = self._pages_of_kind("revisions")
                self._render((lang, src) for lang in self.languages for src in revisions)
            _, segments = config.extra.get(MEMOS) or (None, None)
            if config.extra.get("search", "pagefind") == "pagefind":
                build_index(Path(self.server.root), memo=segments)
                if segments is not None:
                    segments.save()
        except Exception as exc:  # noqa: BLE001 - the pages are served; say what is stale
            log.error(f"preview: search index not updated ({exc})")
            return
        log.info(
            f"preview: search index and revisions page updated in "
            f"{time.perf_counter() - started:.1f} s"
        )

    # -- serving -----------------------------------------------------------------------

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404 page (MkDocs' handler reads the first build's folder)."""
        try:
            return (Path(self.server.root) / f"{code}.html").read_bytes() if code == 404 else None
        except OSError:
            return None

    def app(self, serve: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        """MkDocs' WSGI app with ``X-Content-Type-Options: nosniff`` on every response,
        and MkDocs' inline reload script admitted by each page's Content-Security-Policy."""

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            answer: list[Any] = []

            def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
                answer[:] = [status, headers, exc_info]

            body = serve(environ, keep)
            status, headers, exc_info = answer
            if any(k.lower() == "content-type" and "text/html" in v for k, v in headers):
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                data = admit_script(b"".join(body), RELOAD_SCRIPT)
                if hasattr(body, "close"):
                    body.close()
                if status.startswith("200") and environ.get("PATH_INFO", "").endswith(
                    ("/", ".html")
                ):
                    self.last_page = environ["PATH_INFO"]
                body = [data]
                headers.append(("Content-Length", str(len(data))))
            start_response(status, [*headers, ("X-Content-Type-Options", "nosniff")], exc_info)
            return body

        return app
