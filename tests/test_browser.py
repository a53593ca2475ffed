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
