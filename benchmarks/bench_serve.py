"""Benchmark the live preview: save of one article -> the new text on screen.

Generates the benchmark compendium of benchmarks/bench_site.py (N regulations x M
articles x 2 languages) as a project of its own, starts ``mkdocs serve`` there on a
free port (what ``make serve`` runs; hooks/preview.py gives it the fast path), opens
the edited regulation's page (reg-042, Chinese, the default language) in headless
chromium, appends a sentence to docs/regulations/reg-042/a017.zh-Hant.md and
measures the time from the write to the moment the page in the browser shows that
sentence (MkDocs' reload script reloads it). Repeated with a new sentence each time
(after the search index of the previous edit is done); prints every run and returns
the median.

``--baseline`` measures ``mkdocs serve`` without the fast path (hooks/preview.py left
out of a copy of mkdocs.yml: every save rebuilds the whole site).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import EDITED, edit_article, load_average, make_project  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
READY, DONE = "Serving on http://", "preview: search index"
FULL = "Documentation built in"  # the end of a full build (the baseline's every save)
SENTENCES = [
    "本條第{}次修訂，另定細則。",
    "本條第{}次修訂，由主管核定。",
    "本條第{}次修訂，即日施行。",
]


class Server:
    """A server process whose output lines are collected (and echoed)."""

    def __init__(self, cmd: list[str], cwd: Path, echo: bool = True):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.echo = echo
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if self.echo:
                print(f"    | {line.rstrip()}", flush=True)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def mark(self) -> int:
        """How many lines so far (for ``wait_for(..., since=)``)."""
        with self.cond:
            return len(self.lines)

    def wait_for(self, text: str, timeout: float, since: int = 0) -> bool:
        """Whether a line from number ``since`` on holds ``text`` within ``timeout`` s."""
        with self.cond:
            return self.cond.wait_for(
                lambda: any(text in line for line in self.lines[since:]), timeout
            )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, text: str | None, timeout: float, every: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if text is None or text in resp.read().decode("utf-8", "replace"):
                    return True
        except OSError:
            pass
        time.sleep(every)
    return False


def browser_runs(proj: Path, server: Server, url: str, runs: int, done: str = DONE) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        try:
            since = server.mark()
            page.goto(url)
            for i in range(runs):
                if not server.wait_for("Browser connected", 60, since):  # its reload script
                    print("  (the page's reload script did not poll within 60 s)", flush=True)
                since = server.mark()
                sentence = SENTENCES[i % len(SENTENCES)].format(i + 1)
                load = load_average()
                start = time.perf_counter()
                edit_article(proj, sentence)
                page.wait_for_function(
                    # between two documents there is no body yet
                    f"() => !!document.body && document.body.innerText.includes({sentence!r})",
                    timeout=60_000,
                )
                times.append(time.perf_counter() - start)
                print(f"  run {i + 1}: {times[-1]:.2f} s (load {load:.2f})", flush=True)
                if not server.wait_for(done, 300, since):
                    print("  (the work after the save did not finish within 300 s)", flush=True)
        finally:
            browser.close()
    return times


def http_runs(proj: Path, server: Server, url: str, runs: int) -> list[float]:
    times: list[float] = []
    for i in range(runs):
        sentence = SENTENCES[i % len(SENTENCES)].format(i + 1)
        load = load_average()
        start = time.perf_counter()
        since = server.mark()
        edit_article(proj, sentence)
        if not _wait_http(url, sentence, 300):
            raise SystemExit("the page never showed the edit")
        times.append(time.perf_counter() - start)
        print(f"  run {i + 1}: {times[-1]:.2f} s (load {load:.2f})", flush=True)
        server.wait_for(FULL, 300, since)
    return times


def measure(n: int, m: int, runs: int = 3, baseline: bool = False, echo: bool = True) -> float:
    """Median seconds from saving reg-042/a017 to the new text on screen."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    server: Server | None = None
    try:
        proj = make_project(tmp / "project", n, m)
        port = free_port()
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        if baseline:
            yml = proj / "mkdocs.yml"
            text = yml.read_text(encoding="utf-8")
            yml.write_text(
                "\n".join(ln for ln in text.splitlines() if "hooks/preview.py" not in ln)
            )
        started = time.perf_counter()
        server = Server(cmd, proj, echo)
        url = f"http://127.0.0.1:{port}/regulations/{EDITED[0]}/"
        if not (server.wait_for(READY, 600) and _wait_http(url, None, 60)):
            raise SystemExit("the preview server did not start")
        print(f"  server up in {time.perf_counter() - started:.1f} s", flush=True)
        if baseline:  # the page's CSP refuses MkDocs' reload script there: poll the page
            times = http_runs(proj, server, url, runs)
        else:
            times = browser_runs(proj, server, url, runs)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    median = statistics.median(times)
    print(f"  median of {len(times)}: {median:.2f} s", flush=True)
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=100)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help="plain mkdocs serve instead")
    parser.add_argument("--quiet", action="store_true", help="do not echo the server's output")
    args = parser.parse_args(argv)
    n, m = args.regulations, args.articles
    print(
        f"serve benchmark: {n} regulations x {m} articles x 2 languages, "
        f"{os.cpu_count()} cores, load {load_average():.2f}",
        flush=True,
    )
    median = measure(n, m, args.runs, args.baseline, not args.quiet)
    what = (
        "mkdocs serve without the fast path (baseline), save -> page served"
        if args.baseline
        else "make serve (mkdocs serve)"
    )
    print(f"{what}: save -> updated page on screen, median {median:.2f} s (target 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
