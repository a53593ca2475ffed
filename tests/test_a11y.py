"""Accessibility: axe-core finds no serious or critical violation on any page type.

Runs axe-core (bundled by the pinned ``axe-playwright-python``) in Debian's chromium
against the shipped compendium, in both languages, at desktop and phone widths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from compendium.source.loader import load
from compendium.source.tree import DirTree
from tests.test_browser import ARGS, CHROMIUM, serve

pytestmark = pytest.mark.browser

PAGES = [
    "",  # home
    "regulations/{regulation}/",  # the first regulation and role of the tree under test
    "roles/{role}/",
    "roles/",  # duty matrix and organisation chart
    "glossary/",
    "revisions/",
    "translations/",
]
WIDTHS = {"desktop": 1280, "phone": 390}


def _ids(docs: Path) -> dict[str, str]:
    """A regulation and a role of ``docs`` that has a page, found in the tree."""
    comp, _ = load(DirTree(docs))
    pages = {p.stem for p in (docs / "roles").glob("*.md")}
    return {
        "regulation": next(iter(comp.regulations)),
        "role": next(rid for rid in comp.roles if rid in pages),
    }


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
def test_no_serious_axe_violations(axe_pages, docs_dir, width, prefix, path):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/{prefix}{path.format(**_ids(docs_dir))}")
    assert serious(page) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_axe_violations_on_the_404_page(axe_pages, width):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/404.html")  # one page serves both languages
    assert serious(page) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_axe_violations_in_the_side_by_side_view(axe_pages, docs_dir, width):
    pages, base = axe_pages
    page = pages[width]
    page.goto(f"{base}/en/regulations/{_ids(docs_dir)['regulation']}/")
    page.evaluate("localStorage.setItem('compendium.bilingual', '1')")
    page.reload()
    assert page.get_attribute("[data-bilingual-toggle]", "aria-pressed") == "true"
    try:
        assert serious(page) == []
    finally:
        page.evaluate("localStorage.removeItem('compendium.bilingual')")
