"""The site search in a real browser: queries typed into the search box, both languages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from compendium.numbering.numbers import numbers_of
from compendium.numbering.numerals import chinese
from compendium.source.loader import load
from compendium.source.tree import DirTree
from tests.test_browser import ARGS, CHROMIUM, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _site(site: Path, browser, width: int = 1280) -> Iterator[tuple[object, str]]:
    server, base = serve(site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        yield page, base
    finally:
        page.close()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def mini(mini_site, browser):
    yield from _site(mini_site, browser)


@pytest.fixture(scope="module")
def real(real_site, browser):
    yield from _site(real_site, browser)


def search(page, query: str) -> list[tuple[str, str]]:
    """Type ``query`` into the search box; (path#anchor, text) of every result, in order."""
    if not page.locator("#cs-search").evaluate("d => d.open"):
        page.click(".cs-search-open")
    box = page.locator(".cs-search__input")
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "q => document.getElementById('cs-search').dataset.query === q", arg=query, timeout=15000
    )
    rows = page.locator(".cs-search__link").evaluate_all(
        "els => els.map(e => [new URL(e.href).pathname + new URL(e.href).hash, e.innerText])"
    )
    return [(href, text) for href, text in rows]


def close(page) -> None:
    page.evaluate("document.getElementById('cs-search').close()")


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        ("第三條之一", "backup-offsite"),
        ("三條之一", "backup-offsite"),
        ("3-1", "backup-offsite"),
        ("第二條", "scope"),
        ("二條", "scope"),
        ("2", "scope"),
        ("第４條", "retention"),  # full-width digit
    ],
)
def test_article_number_in_chinese_puts_the_article_first(mini, query, anchor):
    page, base = mini
    page.goto(f"{base}/regulations/alpha/")
    results = search(page, query)
    close(page)
    assert results, query
    assert results[0][0] == f"/regulations/alpha/#{anchor}", results[:3]
    assert all(not href.startswith("/en/") for href, _ in results), results


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        ("Article 3-1", "backup-offsite"),
        ("Art. 3-1", "backup-offsite"),
        ("art 3-1", "backup-offsite"),
        ("3-1", "backup-offsite"),
        ("Article 4", "retention"),
        ("Art. 4", "retention"),
        ("4", "retention"),
    ],
)
def test_article_number_in_english_puts_the_article_first(mini, query, anchor):
    page, base = mini
    page.goto(f"{base}/en/regulations/alpha/")
    results = search(page, query)
    close(page)
    assert results, query
    assert results[0][0] == f"/en/regulations/alpha/#{anchor}", results[:3]
    assert all(href.startswith("/en/") for href, _ in results), results


def test_article_number_forms_parse_to_one_key(mini):
    page, base = mini
    page.goto(f"{base}/")
    keys = page.evaluate(
        """() => ['第十七條', '十七條', '十七', '17', 'Article 17', 'Art. 17', 'ART.17',
                  '第十條之一', '十條之一', '10-1', 'Art. 10-1', '第一百零二條', '數據', 'Article']
                 .map(q => window.compendiumSearch.articleKey(q))"""
    )
    assert keys == ["artnum17"] * 7 + ["artnum10s1"] * 4 + ["artnum102", None, None]


def test_chinese_word_finds_the_article_and_the_link_opens_it(mini):
    page, base = mini
    page.goto(f"{base}/regulations/alpha/")
    results = search(page, "異地")
    assert results[0][0] == "/regulations/alpha/#backup-offsite", results
    page.locator('.cs-search__link[href$="#backup-offsite"]').first.click()
    page.wait_for_function("location.hash === '#backup-offsite'")  # same page: no load event
    assert page.url == f"{base}/regulations/alpha/#backup-offsite"
    assert not page.locator("#cs-search").evaluate("d => d.open")
    assert page.locator("#backup-offsite").inner_text().startswith("第三條之一")


def test_results_are_in_the_language_of_the_page(mini):
    page, base = mini
    page.goto(f"{base}/en/")
    english = search(page, "data")
    close(page)
    assert english and all(href.startswith("/en/") for href, _ in english), english
    page.goto(f"{base}/")
    chinese = search(page, "數據")
    close(page)
    assert chinese and not any(href.startswith("/en/") for href, _ in chinese), chinese


def test_hidden_side_by_side_text_is_not_indexed(mini):
    """Each regulation page also carries the other language, hidden (side-by-side
    view): a word found only there must not find the page."""
    page, base = mini
    page.goto(f"{base}/")
    assert search(page, "保存"), "the Chinese word is indexed on the Chinese page"
    assert search(page, "retained") == []
    close(page)
    page.goto(f"{base}/en/")
    assert search(page, "retained"), "the English word is indexed on the English page"
    assert search(page, "保存") == []
    close(page)


def test_result_text_is_text_and_hides_the_search_key(mini):
    page, base = mini
    page.goto(f"{base}/regulations/alpha/")
    results = search(page, "第三條之一")
    close(page)
    assert results
    assert not any("artnum" in text or "¶" in text for _, text in results), results


def _numbered_article(docs: Path) -> tuple[str, str, int]:
    """``(regulation, article, n)``: an article of ``docs`` numbered 第n條 / Article n with
    n above ten (17, the number of the issue, when there is one), found in the tree."""
    comp, _ = load(DirTree(docs))
    found = [
        (num.base != 17, reg.id, aid, num.base)
        for reg in comp.regulations.values()
        for aid, num in numbers_of(reg).articles.items()
        if num.style != "outline" and num.sub == 0 and num.base > 10 and aid in reg.articles
    ]
    if not found:
        pytest.fail(f"{docs} has no article numbered above ten to search for")
    _, reg, aid, n = min(found, key=lambda f: f[0])
    return reg, aid, n


def test_issue_queries_on_the_shipped_compendium(real, docs_dir):
    page, base = real
    reg, aid, n = _numbered_article(docs_dir)
    page.goto(f"{base}/regulations/{reg}/")
    for query in (f"第{chinese(n)}條", f"{chinese(n)}條", chinese(n), str(n)):
        results = search(page, query)
        assert results and results[0][0] == f"/regulations/{reg}/#{aid}", (
            query,
            results[:3],
        )
    close(page)
    page.goto(f"{base}/en/regulations/{reg}/")
    for query in (f"Article {n}", f"Art. {n}", str(n)):
        results = search(page, query)
        assert results and results[0][0] == f"/en/regulations/{reg}/#{aid}", (
            query,
            results[:3],
        )
        assert all(href.startswith("/en/") for href, _ in results)
    close(page)


def test_chinese_word_ranks_exact_matches_first(real):
    page, base = real
    page.goto(f"{base}/")
    results = search(page, "數據")
    close(page)
    assert len(results) >= 5
    top = [text for _, text in results[:5]]
    assert all("數據" in text for text in top), top  # not pages that only say 數字化
    assert not any(href.startswith("/en/") for href, _ in results)


@pytest.mark.parametrize("width", [1280, 390])
def test_search_dialog_fits_the_screen(mini_site, browser, width):
    server, base = serve(mini_site)
    page = browser.new_page(viewport={"width": width, "height": 844})
    try:
        page.goto(f"{base}/en/regulations/alpha/")
        assert page.locator(".md-header__inner .cs-search-open").is_visible()
        search(page, "backup")
        box = page.locator("#cs-search").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        name = page.locator("#cs-search").get_attribute("aria-labelledby")
        assert page.locator(f"#{name}").inner_text().strip() == "Search"
    finally:
        page.close()
        server.shutdown()
        server.server_close()


# The trust work adds a Content-Security-Policy <meta> tag without inline script.
# Pagefind runs its WebAssembly in its worker, which a <meta> policy does not
# govern, so the search needs nothing beyond 'self' there (decisions/0009-search.md).
SEARCH_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"


def test_search_works_under_a_strict_content_security_policy(mini_site, browser, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    page_file = site / "regulations/alpha/index.html"
    html = page_file.read_text(encoding="utf-8")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{SEARCH_CSP}">'
    page_file.write_text(html.replace("<head>", "<head>" + meta, 1), encoding="utf-8")
    server, base = serve(site)
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    try:
        page.goto(f"{base}/regulations/alpha/")
        results = search(page, "異地")
        assert results and results[0][0] == "/regulations/alpha/#backup-offsite", results
        # Material's own inline scripts are blocked (the trust work moves them out); nothing else.
        assert violations and not [v for v in violations if "inline script" not in v], violations
    finally:
        page.close()
        server.shutdown()
        server.server_close()
