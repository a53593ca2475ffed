"""Live preview of the site on http://127.0.0.1:8000 (``make serve``).

One full build at start into ``.cache/preview/site-<n>``, served from there. A saved
article or manifest takes the fast path: the regulation is read again, the dependency
graph names the pages it changes, and only those are rendered again through MkDocs'
own page pipeline (the state of the first build kept in this process), the edited
regulation's page in the language being read first; each is written atomically into
the served folder and the browser reloads. A full build in the background (another
process, into a new folder swapped in when done) then brings the rest up to date: the
search index, the revisions page. Any other change (roles, glossary, templates, a
change the graph does not follow) takes a full build only. A file with errors is
reported as ``path:line: message`` and the last good build stays served.

Never writes into docs/. Decisions (what changed, what to rebuild, in which order)
are in ``compendium.site.preview``; this file is the MkDocs and HTTP glue.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands import build as mkbuild
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from preview_http import PreviewServer, SiteState  # noqa: E402

from compendium.changes.drift import drift_map  # noqa: E402
from compendium.changes.history import article_revisions  # noqa: E402
from compendium.site.preview import (  # noqa: E402
    Snapshot,
    current_language,
    plan_rebuild,
    regulation_change,
    reload_regulation,
    snapshot,
)
from compendium.site.sitebuild import source_date_epoch  # noqa: E402
from compendium.source.model import Compendium  # noqa: E402
from compendium.source.tree import DirTree  # noqa: E402

KEY, HISTORY, BODIES = "compendium", "compendium_history", "compendium_bodies"  # the hook's
CACHE = Path(".cache") / "preview"  # under the project folder (never inside docs/)
WATCHED = ("docs", "templates", "mkdocs.yml")
SETTLE = 0.03  # seconds without further events before a change is handled


@dataclass
class Language:
    """What one language's build left: its files (with their pages), nav and theme."""

    files: Files
    nav: Navigation
    env: Environment
    stamp: Any  # config.extra["build_stamp"] of that language


class Capture(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps each language's files, nav and theme environment of a build."""

    def __init__(self) -> None:
        super().__init__()
        self.languages: dict[str, Language] = {}
        self._pending: dict[str, tuple[Files, Navigation]] = {}

    @event_priority(-200)  # after the i18n plugin's own nav
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._pending[_lang(config)] = (files, nav)
        return nav

    @event_priority(-200)
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        lang = _lang(config)
        files_, nav = self._pending.pop(lang)
        self.languages[lang] = Language(files_, nav, env, config.extra.get("build_stamp"))
        return env


def _lang(config: MkDocsConfig) -> str:
    return str(config.plugins["i18n"].current_language)  # type: ignore[attr-defined]


@dataclass
class Model:
    """The MkDocs state of the last good in-process build."""

    config: MkDocsConfig
    capture: Capture

    @property
    def comp(self) -> Compendium:
        comp: Compendium = self.config.extra[KEY]
        return comp

    @property
    def languages(self) -> list[str]:
        return list(self.capture.languages)

    def activate(self, lang: str) -> None:
        """Put the config in the state of ``lang``'s build (what the i18n plugin sets)."""
        i18n = self.config.plugins["i18n"]
        i18n.current_language = lang  # type: ignore[attr-defined]
        i18n.on_config(self.config)
        self.config.extra["build_stamp"] = self.capture.languages[lang].stamp

    def update(self, comp: Compendium) -> None:
        """Make ``comp`` the model of the next pages, with what the hook derives from it."""
        config = self.config
        root = Path(str(config.config_file_path)).parent
        docs_rel = os.path.relpath(config.docs_dir, root).replace(os.sep, "/")
        history = config.extra[HISTORY]
        history["drift"] = drift_map(comp, root, docs_rel)
        history["articles"] = article_revisions(history["history"], comp)
        config.extra[KEY] = comp
        config.extra[BODIES] = {}

    def render(self, lang: str, src_uri: str) -> tuple[str, bytes, str] | None:
        """``(dest_uri, bytes, url)`` of one page, as ``mkdocs build`` writes it."""
        state = self.capture.languages[lang]
        file = state.files.get_file_from_path(src_uri)
        if file is None or file.page is None:
            return None
        page, config = file.page, self.config
        mkbuild._populate_page(page, config, state.files)
        doc_files = state.files.documentation_pages(inclusion=InclusionLevel.is_included)
        config._current_page = page
        page.active = True
        try:
            context = mkbuild.get_context(state.nav, doc_files, config, page)
            template = state.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(
                context, page=page, config=config, nav=state.nav
            )
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
        return file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"), file.url


def build_in_process(project: Path, out: Path) -> Model:
    """A full ``mkdocs build`` of ``project`` into ``out``, keeping its state."""
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(out))
    capture = Capture()
    config.plugins["preview-capture"] = capture
    mkbuild.build(config)
    return Model(config, capture)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".preview-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Background:
    """The full build running in another process, if any."""

    proc: subprocess.Popen[bytes] | None = None
    folder: Path | None = None
    generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cancel(self) -> None:
        with self.lock:
            proc, folder = self.proc, self.folder
            self.proc = self.folder = None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


class Preview:
    """The watcher's side: full builds, the fast path and the background build."""

    def __init__(self, project: Path, site: SiteState, env: dict[str, str]):
        self.project = project
        self.site = site
        self.env = env
        self.cache = project / CACHE
        self.model: Model | None = None
        self.generation = 0
        self.background = Background()
        self._count = 0

    def next_folder(self) -> Path:
        self._count += 1
        return self.cache / f"site-{os.getpid()}-{self._count}"

    def full_build(self) -> bool:
        """Build everything in this process and serve it (the state is kept)."""
        folder = self.next_folder()
        started = time.perf_counter()
        try:
            model = build_in_process(self.project, folder)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good build
            shutil.rmtree(folder, ignore_errors=True)
            print(f"preview: build failed ({exc}); still serving the last good build", flush=True)
            return False
        self.model = model
        self.site.swap(folder)
        print(f"preview: full build in {time.perf_counter() - started:.1f} s", flush=True)
        return True

    def handle(self, paths: list[str]) -> None:
        """React to changed files (absolute paths)."""
        self.generation += 1
        self.background.cancel()
        docs = Path(self.model.config.docs_dir) if self.model else self.project / "docs"
        rel = [os.path.relpath(p, docs).replace(os.sep, "/") for p in paths]
        inside = all(not r.startswith("../") for r in rel)
        if self.model is not None and inside and regulation_change(rel) is not None:
            handled = self.fast_path(rel)
            if handled is not None:
                if handled:
                    self.start_background()
                return
        self.full_build()

    def fast_path(self, rel: list[str]) -> bool | None:
        """Re-render the pages ``rel`` changes; None: only a full build will do.
        False: the sources have errors (reported; nothing changed)."""
        assert self.model is not None
        model, started = self.model, time.perf_counter()
        rid = regulation_change(rel)
        assert rid is not None
        docs = Path(model.config.docs_dir)
        display = os.path.relpath(docs, self.project).replace(os.sep, "/")
        new, problems = reload_regulation(model.comp, DirTree(docs, display_root=display), rid)
        for p in problems.sorted():
            print(p.located(), flush=True)
        if problems.errors:
            print("preview: errors above; still serving the last good build", flush=True)
            return False
        lang = current_language(self.site.last_page, model.languages)
        plan = plan_rebuild(model.comp, new, rel, lang, model.languages, self.listing_pages())
        if plan is None:
            return None
        model.update(new)
        self.render_steps(plan.steps, plan.first, started)
        return True

    def listing_pages(self) -> list[str]:
        """Stub pages that list articles (the outdated translations)."""
        assert self.model is not None
        files = next(iter(self.model.capture.languages.values())).files
        return [
            f.src_uri
            for f in files.documentation_pages()
            if f.page is not None and f.page.meta.get("compendium") == "translations"
        ]

    def render_steps(self, steps: list[tuple[str, str]], first: int, started: float) -> None:
        assert self.model is not None
        model = self.model
        model.config["site_dir"] = str(self.site.root)
        urls: set[str] = set()
        for i, (lang, src) in enumerate(steps):
            model.activate(lang)
            out = model.render(lang, src)
            if out is None:
                continue
            dest, data, url = out
            write_atomic(self.site.root / dest, data)
            urls.add(url)
            if i + 1 == first:
                self.site.changed(urls)
                print(f"preview: {url or '/'} in {time.perf_counter() - started:.2f} s", flush=True)
                urls = set()
        self.site.changed(urls)
        model.activate(model.languages[0])
        print(
            f"preview: {len(steps)} page(s) in {time.perf_counter() - started:.2f} s; "
            "full build in the background",
            flush=True,
        )

    def start_background(self) -> None:
        """A full build in another process into a new folder; swapped in when done."""
        folder = self.next_folder()
        cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(folder)]
        proc = subprocess.Popen(
            cmd, cwd=self.project, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            os.setpriority(os.PRIO_PROCESS, proc.pid, 10)  # the next fast path comes first
        except OSError:
            pass
        with self.background.lock:
            self.background.proc, self.background.folder = proc, folder
            self.background.generation = self.generation
        threading.Thread(target=self._finish, args=(proc, folder), daemon=True).start()

    def _finish(self, proc: subprocess.Popen[bytes], folder: Path) -> None:
        out, _ = proc.communicate()
        with self.background.lock:
            if self.background.proc is not proc:
                return  # cancelled: a newer change came in
            self.background.proc = self.background.folder = None
            current = self.background.generation == self.generation
        if proc.returncode != 0:
            lines = out.decode("utf-8", "replace").splitlines()
            for line in [ln for ln in lines if "ERROR" in ln][:40] or lines[-20:]:
                print(line, flush=True)
            print("preview: background build failed; serving the fast-path pages", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
        elif current:
            urls = self.site.swap(folder)
            if self.model is not None:
                self.model.config["site_dir"] = str(folder)
            differed = "all" if urls is None else str(len(urls))
            print(
                f"preview: background build done (search index, every page; {differed} "
                "page(s) differed from those served)",
                flush=True,
            )
        else:
            shutil.rmtree(folder, ignore_errors=True)


def watch(preview: Preview, stop: threading.Event) -> None:
    """Hand every change of docs/, templates/ or mkdocs.yml to ``preview``, one at a time."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    events: queue.Queue[str] = queue.Queue()
    cache = str(preview.cache)
    known = snapshot([preview.project / n for n in WATCHED if (preview.project / n).is_dir()])
    known.update(snapshot_of([str(preview.project / "mkdocs.yml")]))

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for p in (event.src_path, getattr(event, "dest_path", "")):
                name = os.path.basename(str(p))
                if p and not str(p).startswith(cache) and not name.startswith("."):
                    events.put(str(p))

    observer = Observer()
    for name in WATCHED:
        path = preview.project / name
        if path.is_dir():
            observer.schedule(Handler(), str(path), recursive=True)
    observer.schedule(Handler(), str(preview.project), recursive=False)
    observer.start()
    try:
        while not stop.is_set():
            try:
                first = events.get(timeout=0.2)
            except queue.Empty:
                continue
            batch = _settle(events, first, known, preview.project)
            if batch:
                preview.handle(batch)
    finally:
        observer.stop()
        observer.join()


def _settle(events: queue.Queue[str], first: str, known: Snapshot, project: Path) -> list[str]:
    """``first`` and every change that follows within SETTLE seconds, kept when the file
    really changed (a temporary file created and removed again is no change)."""
    batch = {first}
    while True:
        try:
            batch.add(events.get(timeout=SETTLE))
        except queue.Empty:
            break
    paths = [p for p in batch if Path(p).parent != project or Path(p).name == "mkdocs.yml"]
    now = snapshot_of(paths)
    changed = [p for p in sorted(paths) if now.get(p) != known.get(p) and not os.path.isdir(p)]
    for p in paths:
        if p in now:
            known[p] = now[p]
        else:
            known.pop(p, None)
    return changed


def snapshot_of(paths: list[str]) -> Snapshot:
    out: Snapshot = {}
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        if not os.path.isdir(p):
            out[p] = (st.st_size, st.st_mtime_ns)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    project = args.project.resolve()
    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # One build date for every build of the session: the fast path's pages and the
    # background build's are then the same bytes.
    env["SOURCE_DATE_EPOCH"] = source_date_epoch(project) or str(int(time.time()))
    os.environ.update(env)
    cache = project / CACHE
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    site = SiteState(cache)
    preview = Preview(project, site, env)
    if not preview.full_build():
        print("preview: fix the errors above; serving nothing until a build succeeds", flush=True)
    server = PreviewServer(("127.0.0.1", args.port), site)
    stop = threading.Event()
    threading.Thread(target=watch, args=(preview, stop), daemon=True).start()
    print(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.background.cancel()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
