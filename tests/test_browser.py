"""Real-browser tests: Playwright driving Debian's chromium against the built fixture site."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def browser_page(mini_site) -> Iterator[tuple[object, str]]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    server, base = serve(mini_site)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            yield page, base
        finally:
            browser.close()
            server.shutdown()
            server.server_close()


def test_language_switcher_lands_on_the_same_regulation(browser_page):
    page, base = browser_page
    page.goto(f"{base}/regulations/beta/")
    assert page.locator("h1").inner_text().startswith("乙管理辦法")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(f"{base}/en/regulations/beta/")
    assert page.locator("h1").inner_text().startswith("Beta Management Measures")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="zh-Hant"]')
    page.wait_for_url(f"{base}/regulations/beta/")


# The search is tested in test_search_browser.py.


def test_role_link_round_trip(browser_page):
    page, base = browser_page
    page.goto(f"{base}/en/regulations/alpha/")
    page.locator('.article-body a.role:has-text("Operations Department")').first.click()
    page.wait_for_url(f"{base}/en/roles/ops-dept/")
    entry = page.locator('li[data-article="backup"] a.duty-article')
    assert entry.inner_text().startswith("Article 3")
    entry.click()
    page.wait_for_url(f"{base}/en/regulations/alpha/#backup")
    assert page.locator("#backup").is_visible()


def test_language_switcher_keeps_the_readers_place(browser_page):
    page, base = browser_page
    page.goto(f"{base}/regulations/alpha/#retention")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(f"{base}/en/regulations/alpha/#retention")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="zh-Hant"]')
    page.wait_for_url(f"{base}/regulations/alpha/#retention")


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_org_chart_is_visible_svg_offline(browser_page, prefix):
    """Every request off the test server is refused: the chart must not need one."""
    page, base = browser_page
    outside: list[str] = []
    missing: list[str] = []

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: resp.status >= 400 and missing.append(resp.url))
    try:
        page.goto(f"{base}/{prefix}roles/")
        page.wait_for_load_state("networkidle")
        chart = page.locator("figure.org-chart svg")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 40 and box["height"] > 40
        names = chart.locator("a text").evaluate_all("els => els.map(e => e.textContent)")
        assert ("運營部門" if not prefix else "Operations Department") in names
        assert page.locator("text=flowchart").count() == 0
        assert outside == [] and missing == [], (outside, missing)  # no CDN, no sitemap 404
    finally:
        page.unroute("**/*")


def test_side_by_side_view_is_remembered(browser_page):
    page, base = browser_page
    page.goto(f"{base}/regulations/alpha/")
    page.evaluate("localStorage.clear()")
    page.reload()
    other = page.locator("#retention ~ .article-pair .article-other").first
    assert not other.is_visible()
    page.click("[data-bilingual-toggle]")
    assert other.is_visible() and "retained" in other.inner_text()
    mine = page.locator("#retention ~ .article-pair > .article-body").first.bounding_box()
    theirs = other.bounding_box()
    assert mine and theirs and abs(mine["y"] - theirs["y"]) < 5  # side by side, aligned
    assert theirs["x"] > mine["x"]  # Chinese left, English right
    page.goto(f"{base}/en/regulations/alpha/")  # the choice follows the reader
    assert page.get_attribute("[data-bilingual-toggle]", "aria-pressed") == "true"
    assert page.locator(".article-other[lang='zh-Hant']").first.is_visible()
    page.set_viewport_size({"width": 390, "height": 800})  # phones: stacked
    zh = page.locator("#retention ~ .article-pair .article-other").first.bounding_box()
    en = page.locator("#retention ~ .article-pair > .article-body").first.bounding_box()
    assert zh and en and en["y"] < zh["y"] and abs(zh["x"] - en["x"]) < 5  # page language first
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-bilingual-toggle]")
    page.reload()
    assert not page.locator(".article-other").first.is_visible()
