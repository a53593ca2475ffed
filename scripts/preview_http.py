"""The live preview's web server (scripts/serve.py): the served folder, and the reload.

HTML responses get ``<script src="/__preview/reload.js?v=N">`` before ``</body>``: a
same-origin file, so the site's Content-Security-Policy (``script-src 'self'``) lets
it run, served from here and never written into the site folder. The script
long-polls ``/__preview/version?v=N&path=...``, which answers as soon as a page at
that path changed after version N (or the whole folder was swapped), and reloads.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

RELOAD_JS = b"""(function () {
  "use strict";
  var script = document.currentScript;
  var version = new URL(script.src).searchParams.get("v");
  function poll() {
    var url = "/__preview/version?v=" + encodeURIComponent(version) +
      "&path=" + encodeURIComponent(location.pathname);
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.reload) { location.reload(); return; }
        version = String(answer.version);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
WAIT = 20.0  # seconds a version request waits for a change


def page_key(url: str) -> str:
    """``regulations/x/`` for ``/regulations/x/``, ``/regulations/x/index.html``, ..."""
    path = unquote(url).strip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")].rstrip("/")
    return path


class SiteState:
    """The served folder, the change versions and the language last read."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.root = cache / "empty"
        self.root.mkdir(parents=True, exist_ok=True)
        self.version = 0
        self.log: list[tuple[int, set[str] | None]] = []  # version -> page keys (None: all)
        self.cond = threading.Condition()
        self.last_page: str | None = None
        self._old: Path | None = None

    def changed(self, urls: set[str] | None) -> None:
        """Pages at ``urls`` (site-relative, None: every page) changed: reload them."""
        if urls is not None and not urls:
            return
        with self.cond:
            self.version += 1
            self.log.append((self.version, None if urls is None else {page_key(u) for u in urls}))
            del self.log[:-200]
            self.cond.notify_all()

    def swap(self, folder: Path) -> set[str] | None:
        """Serve ``folder`` from now on; reload the pages whose bytes differ (returned)."""
        old = self.root
        urls = changed_pages(old, folder)
        self.root = folder
        if self._old is not None:  # kept one swap longer: a request may still read it
            shutil.rmtree(self._old, ignore_errors=True)
        self._old = old
        self.changed(urls)
        return urls

    def wait(self, since: int, path: str, timeout: float = WAIT) -> dict[str, Any]:
        key = page_key(path)
        with self.cond:
            self.cond.wait_for(lambda: self._touches(since, key), timeout=timeout)
            return {"version": self.version, "reload": self._touches(since, key)}

    def _touches(self, since: int, key: str) -> bool:
        return any(v > since and (keys is None or key in keys) for v, keys in self.log)


def changed_pages(old: Path, new: Path) -> set[str] | None:
    """Site paths of the HTML pages that differ between two folders (None: all of them)."""
    if not old.is_dir() or not any(old.iterdir()):
        return None
    out: set[str] = set()
    for path in new.rglob("*.html"):
        rel = path.relative_to(new).as_posix()
        before = old / rel
        if not before.is_file() or before.read_bytes() != path.read_bytes():
            out.add(rel)
    return out


def inject(html: bytes, version: int) -> bytes:
    tag = f'<script src="/__preview/reload.js?v={version}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class Handler(http.server.SimpleHTTPRequestHandler):
    site: SiteState

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        url = urlsplit(self.path)
        if url.path == "/__preview/reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
        if url.path == "/__preview/version":
            query = parse_qs(url.query)
            since = int((query.get("v") or ["0"])[0] or 0)
            answer = self.site.wait(since, (query.get("path") or ["/"])[0])
            return self._send(200, "application/json", json.dumps(answer).encode())
        self.directory = str(self.site.root)
        target = Path(self.translate_path(url.path))
        if target.is_dir():
            if not url.path.endswith("/"):
                return super().do_GET()  # the redirect to the folder with a slash
            target = target / "index.html"
        if target.suffix == ".html":
            return self._html(target, url.path)
        if not target.exists():
            return self._html(Path(self.directory) / "404.html", url.path, 404)
        return super().do_GET()

    def _html(self, target: Path, path: str, status: int = 200) -> None:
        version = self.site.version  # read first: a change after it reloads once more
        try:
            data = target.read_bytes()
        except OSError:
            if status == 404:
                return self._send(404, "text/plain; charset=utf-8", b"not found")
            return self._html(Path(self.site.root) / "404.html", path, 404)
        if status == 200:
            self.site.last_page = path
        self._send(status, "text/html; charset=utf-8", inject(data, version))

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: SiteState):
        handler = type("BoundHandler", (Handler,), {"site": site})
        super().__init__(address, handler)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


__all__ = ["PreviewServer", "SiteState", "free_port", "inject", "page_key"]
