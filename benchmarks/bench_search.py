"""Benchmark the site search: Material's built-in search against Pagefind.

Builds the 4,000-article benchmark compendium (benchmarks/bench_site.py) three
ways: without a search index, with Material's search plugin (jieba with the
Traditional dictionary, as the site used it) and with Pagefind (the site as it
is). Then, in Debian's chromium driven by Playwright, on a phone-sized window
behind a throttled local server, it opens a regulation page, types a query as
soon as the search is ready and measures:

- the bytes of the search (index, worker, WebAssembly) downloaded before the
  first result, as served gzip-compressed, and those of the whole page load;
- the time from opening the page to the first result;
- the index build time (Material: the build with the plugin minus the build
  without; Pagefind: the indexer run on its own).

Ranking is measured on the shipped docs/ and the small test fixture, built
both ways: the position of the expected article for each query of a fixed
list (both languages), how many of the first five results contain a query
word, and how many results are in the other language.

Byte counts and rankings are exact. Times vary with the load of the machine:
each is the fastest of --repeat runs.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import build, project_docs  # noqa: E402

from compendium.site.search import build_index  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Material's search as the site configured it before Pagefind (mkdocs.yml).
MATERIAL_SEARCH = """  - search:
      lang: [en]
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；：「」《》（）,.:;()\\[\\]"]+'
      pipeline: [stopWordFilter]
"""

# (query, page it is typed on, expected result: a page path with anchor, or
# None when the query is a word and the first five results are checked for it)
RANKING_DOCS = [
    (
        "第十七條",
        "/regulations/digital-operations/",
        "/regulations/digital-operations/#data-backup",
    ),
    ("十七條", "/regulations/digital-operations/", "/regulations/digital-operations/#data-backup"),
    ("十七", "/regulations/digital-operations/", "/regulations/digital-operations/#data-backup"),
    ("17", "/regulations/digital-operations/", "/regulations/digital-operations/#data-backup"),
    ("數據", "/regulations/digital-operations/", None),
    ("備份", "/", None),
    (
        "Article 17",
        "/en/regulations/digital-operations/",
        "/en/regulations/digital-operations/#data-backup",
    ),
    (
        "Art. 17",
        "/en/regulations/digital-operations/",
        "/en/regulations/digital-operations/#data-backup",
    ),
    (
        "17",
        "/en/regulations/digital-operations/",
        "/en/regulations/digital-operations/#data-backup",
    ),
    ("backup", "/en/", None),
]
RANKING_MINI = [
    ("第三條之一", "/regulations/alpha/", "/regulations/alpha/#backup-offsite"),
    ("3-1", "/regulations/alpha/", "/regulations/alpha/#backup-offsite"),
    ("Article 3-1", "/en/regulations/alpha/", "/en/regulations/alpha/#backup-offsite"),
    ("retained", "/en/regulations/alpha/", "/en/regulations/alpha/#retention"),
]


@dataclass
class Engine:
    name: str
    open_js: str  # opens the search box
    ready_js: str  # true once a query can be answered
    input: str
    result: str  # one result link
    search_path: re.Pattern[str]  # requests that belong to the search


MATERIAL = Engine(
    "Material",
    "document.getElementById('__search').checked = true",
    "(() => { const m = document.querySelector('.md-search-result__meta');"
    " return m && !/初始化|Initializing/.test(m.textContent); })()",
    ".md-search__input",
    ".md-search-result__link",
    re.compile(r"^/(search/|assets/javascripts/workers/)"),
)
PAGEFIND = Engine(
    "Pagefind",
    "document.querySelector('.cs-search-open').click()",
    "(() => { const d = document.getElementById('cs-search');"
    " return d.open && d.querySelector('.cs-search__status').textContent === d.dataset.placeholder; })()",
    ".cs-search__input",
    ".cs-search__link",
    re.compile(r"^/pagefind/"),
)


# ---- a local server that compresses like a web host and can throttle ----


@dataclass
class Traffic:
    log: list[tuple[str, int]] = field(default_factory=list)  # (path, bytes sent)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            out, self.log = self.log, []
        return out


COMPRESS = {".html", ".js", ".css", ".json", ".xml", ".svg"}


def serve(root: Path, traffic: Traffic, rate: float | None, rtt: float):
    """Serve ``root`` on a free port; gzip text like a web host; ``rate`` bytes/s shared."""
    line = threading.Lock()
    gz_cache: dict[Path, bytes] = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(root), **k)

        def log_message(self, *a):  # quiet
            pass

        def do_GET(self):  # noqa: N802 - http.server's naming
            path = self.path.split("?")[0]
            fs = Path(self.translate_path(path))
            if fs.is_dir():
                fs = fs / "index.html"
            if not fs.is_file():
                self.send_error(404)
                return
            body = fs.read_bytes()
            gz = fs.suffix in COMPRESS and "gzip" in self.headers.get("Accept-Encoding", "")
            if gz:
                body = gz_cache.get(fs) or gz_cache.setdefault(fs, gzip.compress(body, 6))
            if rtt:
                time.sleep(rtt)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(fs)))
            if gz:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            for i in range(0, len(body), 16384):
                chunk = body[i : i + 16384]
                if rate:
                    with line:  # one shared line: parallel requests share the bandwidth
                        time.sleep(len(chunk) / rate)
                self.wfile.write(chunk)
            with traffic.lock:
                traffic.log.append((path, len(body)))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---- builds ----


def project(tmp: Path, name: str, docs_fn, search: str) -> Path:
    """A copy of the project in ``tmp/name`` whose search is ``material``, ``pagefind`` or ``none``."""
    proj = tmp / name
    proj.mkdir()
    yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if search != "pagefind":
        yml = yml.replace("  search: pagefind ", "  search: none ", 1)
    if search == "material":
        yml = yml.replace("  - i18n:\n", MATERIAL_SEARCH + "  - i18n:\n", 1)
    (proj / "mkdocs.yml").write_text(yml, encoding="utf-8")
    shutil.copytree(ROOT / "hooks", proj / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", proj / "templates")
    docs_fn(proj / "docs")
    if not (proj / "docs" / "assets").exists():
        shutil.copytree(ROOT / "docs" / "assets", proj / "docs" / "assets")
    return proj


def search_bytes(site: Path, engine: Engine) -> int:
    """Everything the search could download (the whole index), as stored."""
    folder = site / ("pagefind" if engine is PAGEFIND else "search")
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---- the browser ----


def first_result(
    browser,
    base: str,
    traffic: Traffic,
    engine: Engine,
    path: str,
    query: str,
    phone: bool,
    cpu: float,
) -> tuple[float, int, int]:
    """Seconds from opening ``path`` to the first result; search bytes; all bytes."""
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    # Playwright's wait_for_function evaluates its text with eval(), which the site's
    # Content Security Policy forbids; the policy does not change what is loaded.
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone, bypass_csp=True)
    page = context.new_page()
    if cpu > 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    traffic.take()
    start = time.perf_counter()
    page.goto(base + path, wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('" + engine.input + "') !== null")
    page.evaluate(engine.open_js)
    page.wait_for_function(engine.ready_js, timeout=120_000, polling=50)
    page.fill(engine.input, query)
    page.locator(engine.input).press("End")  # Material starts on a key event
    page.wait_for_selector(engine.result, state="attached", timeout=120_000)
    seconds = time.perf_counter() - start
    context.close()
    log = traffic.take()
    search = sum(n for p, n in log if engine.search_path.match(p))
    return seconds, search, sum(n for _, n in log)


def ranked(browser, base: str, engine: Engine, path: str, query: str) -> list[tuple[str, str]]:
    """(target, text) of every result link for ``query`` typed on ``path``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.goto(base + path)
    page.evaluate(engine.open_js)
    page.wait_for_function(engine.ready_js, timeout=60_000, polling=50)
    page.fill(engine.input, query)
    page.locator(engine.input).press("End")
    try:
        page.wait_for_selector(engine.result, state="attached", timeout=5000)
        time.sleep(0.5)  # let the list settle (Material renders in batches)
        links = page.locator(engine.result).evaluate_all(
            "els => els.map(e => [e.href, e.innerText])"
        )
    except Exception:  # noqa: BLE001 - no result at all
        links = []
    page.close()
    out = []
    for href, text in links:
        url = href.split("://", 1)[-1]
        url = url[url.index("/") :]
        page_part, _, anchor = url.partition("#")
        out.append((page_part.split("?")[0] + ("#" + anchor if anchor else ""), text))
    return out


def rank_line(results: list[tuple[str, str]], path: str, query: str, expected: str | None) -> str:
    english = path.startswith("/en/")
    other = sum(1 for u, _ in results if u.startswith("/en/") != english)
    if expected is not None:
        pos = next((i + 1 for i, (u, _) in enumerate(results) if u == expected), None)
        verdict = f"expected article at {pos if pos else '-'} of {len(results)}"
    else:
        words = query.casefold().split()
        hits = sum(1 for _, t in results[:5] if all(w in t.casefold() for w in words))
        verdict = (
            f"{hits} of the first {min(5, len(results))} contain '{query}' ({len(results)} results)"
        )
    return f"{verdict}; {other} in the other language"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=100)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing; the fastest counts"
    )
    parser.add_argument(
        "--rate", type=float, default=1.6, help="phone line in Mbit/s (default 1.6)"
    )
    parser.add_argument(
        "--rtt", type=float, default=150, help="phone round trip in ms (default 150)"
    )
    parser.add_argument("--cpu", type=float, default=4, help="phone CPU slowdown (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    return parser


ENGINES = (("material", MATERIAL), ("pagefind", PAGEFIND))


@contextlib.contextmanager
def served(site: Path, traffic: Traffic, rate: float | None, rtt: float) -> Iterator[str]:
    """The base URL of ``site`` served (see ``serve``) for the duration of the block."""
    server, base = serve(site, traffic, rate, rtt)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def bench_builds(tmp: Path, n: int, m: int, repeat: int) -> dict[str, Path]:
    """Build the benchmark compendium without search, with Material's and with Pagefind,
    alternately ``repeat`` times; print the build and index times. Returns the projects."""
    big = {
        k: project(tmp, f"big-{k}", lambda d: project_docs(d, n, m), k)
        for k in ("none", "material", "pagefind")
    }
    builds: dict[str, list[float]] = {k: [] for k in big}
    for _ in range(repeat):  # alternate, so background load hits all alike
        for k, proj in big.items():
            builds[k].append(build(proj)[0])
    t = {k: min(v) for k, v in builds.items()}
    pf_site = big["pagefind"] / "site"
    pf_runs = [build_index(pf_site).seconds for _ in range(repeat)]
    print(
        f"{n} regulations x {m} articles x 2 languages ({n * m * 2} article texts), "
        f"{os.cpu_count()} cores, fastest of {repeat} runs"
    )
    print(f"build without search index: {t['none']:6.1f} s  (runs {_runs(builds['none'])})")
    print(
        f"build with Material search:  {t['material']:6.1f} s  (runs {_runs(builds['material'])})"
    )
    print(
        f"build with Pagefind:         {t['pagefind']:6.1f} s  (runs {_runs(builds['pagefind'])})"
    )
    print(
        f"index build time: Material {t['material'] - t['none']:.1f} s (difference), "
        f"Pagefind {min(pf_runs):.1f} s (indexer alone; runs {_runs(pf_runs)})"
    )
    for k, eng in ENGINES:
        print(f"whole index as stored, {eng.name}: {search_bytes(big[k] / 'site', eng):,} bytes")
    return big


def small_projects(tmp: Path) -> dict[tuple[str, str], Path]:
    """The shipped docs/ and the mini fixture, built with each search engine."""
    small = {}
    for k, _eng in ENGINES:
        small[k, "docs"] = project(tmp, f"docs-{k}", lambda d: shutil.copytree(ROOT / "docs", d), k)
        small[k, "mini"] = project(
            tmp,
            f"mini-{k}",
            lambda d: shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "docs", d),
            k,
        )
        for key in (k, "docs"), (k, "mini"):
            build(small[key])
    return small


def bench_first_result_big(
    browser, big: dict[str, Path], traffic: Traffic, args: argparse.Namespace
) -> None:
    """Time to the first result on the benchmark compendium, phone and desktop."""
    repeat = max(1, args.repeat)
    rate = args.rate * 1e6 / 8
    print(
        f"\nfirst result on the benchmark ('第十七條' typed on a regulation page); phone: "
        f"{args.rate} Mbit/s shared, {args.rtt:.0f} ms per request, CPU {args.cpu:g}x slower"
    )
    for k, eng in ENGINES:
        for phone in (True, False):
            site = big[k] / "site"
            with served(
                site, traffic, rate if phone else None, args.rtt / 1000 if phone else 0
            ) as base:
                runs = [
                    first_result(
                        browser,
                        base,
                        traffic,
                        eng,
                        f"/regulations/reg-{args.regulations // 2:03d}/",
                        "第十七條",
                        phone,
                        args.cpu if phone else 1,
                    )
                    for _ in range(repeat)
                ]
            secs = min(r[0] for r in runs)
            print(
                f"{eng.name:9} {'phone  ' if phone else 'desktop'}: first result "
                f"{secs:6.2f} s (runs {_runs([r[0] for r in runs])}); "
                f"search bytes {runs[0][1]:,}, all bytes {runs[0][2]:,} (gzip)"
            )


def bench_first_result_docs(
    browser, small: dict[tuple[str, str], Path], traffic: Traffic, args: argparse.Namespace
) -> None:
    """Time to the first result on the shipped docs/, on the phone line."""
    repeat = max(1, args.repeat)
    rate = args.rate * 1e6 / 8
    print("\nfirst result on the shipped docs/ (real text compresses less than the benchmark's)")
    for k, eng in ENGINES:
        with served(small[k, "docs"] / "site", traffic, rate, args.rtt / 1000) as base:
            runs = [
                first_result(
                    browser,
                    base,
                    traffic,
                    eng,
                    "/regulations/digital-operations/",
                    "數據",
                    True,
                    args.cpu,
                )
                for _ in range(repeat)
            ]
        print(
            f"{eng.name:9} phone  : first result {min(r[0] for r in runs):6.2f} s "
            f"(runs {_runs([r[0] for r in runs])}); search bytes {runs[0][1]:,}, "
            f"all bytes {runs[0][2]:,} (gzip); whole index as stored "
            f"{search_bytes(small[k, 'docs'] / 'site', eng):,} bytes"
        )


def bench_ranking(browser, small: dict[tuple[str, str], Path], traffic: Traffic) -> None:
    """Where the expected article ranks for each query of the fixed lists."""
    print("\nranking (shipped docs/ and tests/fixtures/mini)")
    for k, eng in ENGINES:
        for which, queries in (("docs", RANKING_DOCS), ("mini", RANKING_MINI)):
            with served(small[k, which] / "site", traffic, None, 0) as base:
                for query, path, expected in queries:
                    res = ranked(browser, base, eng, path, query)
                    print(
                        f"{eng.name:9} {which:4} {path:38} {query!r:14} "
                        f"{rank_line(res, path, query, expected)}"
                    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        big = bench_builds(tmp, args.regulations, args.articles, max(1, args.repeat))
        small = small_projects(tmp)
        traffic = Traffic()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            bench_first_result_big(browser, big, traffic, args)
            bench_first_result_docs(browser, small, traffic, args)
            bench_ranking(browser, small, traffic)
            browser.close()
    finally:
        if args.keep:
            print(f"projects kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    raise SystemExit(main())
