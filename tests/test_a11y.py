"""Accessibility: axe-core finds no serious or critical violation on any page type.

Runs axe-core (bundled by the pinned ``axe-playwright-python``) in Debian's chromium
against the shipped compendium, in both languages, at desktop and phone widths.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_browser import ARGS, CHROMIUM, serve

pytestmark = pytest.mark.browser

PAGES = [
    "",  # home
    "regulations/digital-operations/",
    "roles/digital-operations-dept/",
    "roles/",  # duty matrix and organisation chart
    "glossary/",
    "revisions/",
    "translations/",
]
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def axe_pages(real_site):
    from playwright.sync_api import sync_playwright

    server, base = serve(real_site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = {
            name: browser.new_page(viewport={"width": w, "height": 900}, bypass_csp=True)
            for name, w in WIDTHS.items()
        }
        try:
            yield pages, base
        finally:
            browser.close()
            server.shutdown()
            server.server_close()


def serious(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(axe_pages, width, prefix, path):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/{prefix}{path}")
    assert serious(page) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_axe_violations_on_the_404_page(axe_pages, width):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/404.html")  # one page serves both languages
    assert serious(page) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_axe_violations_in_the_side_by_side_view(axe_pages, width):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/en/regulations/digital-operations/")
    page.evaluate("localStorage.setItem('compendium.bilingual', '1')")
    page.reload()
    assert page.get_attribute("[data-bilingual-toggle]", "aria-pressed") == "true"
    try:
        assert serious(page) == []
    finally:
        page.evaluate("localStorage.removeItem('compendium.bilingual')")
