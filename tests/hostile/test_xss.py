"""Stored XSS: content is refused by validation and, if built anyway, never runs script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.hostile.conftest import check, hostile_docs
from tests.test_browser import ARGS, CHROMIUM, serve
from tests.test_search_browser import search


def test_check_refuses_every_payload_with_path_and_line(tmp_path):
    docs = hostile_docs(tmp_path)
    result = check(docs)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in out
    assert re.search(
        r"docs/regulations/alpha/index\.md:\d+: raw HTML is not allowed here \(<img…>\)", out
    )
    assert re.search(r"docs/roles\.yml:\d+: raw HTML is not allowed here \(<svg…>\)", out)
    art = "docs/regulations/alpha/purpose.zh-Hant.md"
    for tag in ("script", "svg", "details", "iframe"):
        assert re.search(rf"{art}:\d+: raw HTML is not allowed here \(<{tag}…>\)", out), tag
    for scheme in ("javascript", "data"):
        assert re.search(rf"{art}:\d+: link .* uses the scheme '{scheme}:'", out), scheme
    # plain, entity-encoded, mixed case, on the next line, in a reference definition
    assert out.count("uses the scheme 'javascript:'") == 5
    assert re.search(rf"{art}:\d+: attribute 'onclick' is not allowed", out)


@pytest.mark.build
def test_site_build_fails_on_raw_html(tmp_path):
    from tests.conftest import make_project, mkdocs_build

    proj = make_project(tmp_path, hostile_docs(tmp_path / "src"))
    result = mkdocs_build(proj)
    assert result.returncode != 0
    assert "raw HTML is not allowed here" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (proj / "site" / "index.html").exists()


class _Elements(HTMLParser):
    """Every element of a page as (tag, attributes), and the text of its scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.mark.build
def test_unchecked_build_escapes_every_payload(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 5
    shown = 0
    for page in pages:
        html = page.read_text("utf-8")
        parsed = _Elements()
        parsed.feed(html)
        for tag, attrs in parsed.elements:
            assert tag not in ("iframe", "svg", "details") or "pwned" not in str(attrs), (page, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                assert name != "srcdoc", (page, tag)
                if name in ("href", "src"):
                    assert not value.strip().lower().startswith(("javascript:", "data:")), (
                        page,
                        value,
                    )
        assert not any("pwned" in script for script in parsed.scripts), page
        shown += "window.__pwned" in html  # the payloads are there, as text
    assert shown >= 4


@pytest.mark.browser
@pytest.mark.build
def test_no_payload_runs_in_the_browser(hostile_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    server, base = serve(hostile_site)
    events: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
            page.on(
                "console",
                lambda m: events.append(f"console {m.text}") if "pwned" in m.text else None,
            )
            urls = [
                "/",
                "/en/",
                "/regulations/alpha/",
                "/en/regulations/alpha/",
                "/roles/ops-dept/",
                "/roles/",
            ]
            for url in urls:
                page.goto(base + url)
                page.wait_for_load_state("load")
                assert page.evaluate("typeof document$") == "object", url  # the theme still works
                page.wait_for_timeout(300)
                assert page.url == base + url, url  # no redirect
                # open every <details> and click every link that is not navigation
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                for link in page.query_selector_all(
                    "article a:not([href^='http']):not([href^='/']):not([href^='.'])"
                )[:30]:
                    try:
                        link.click(timeout=500, no_wait_after=True)
                    except Exception:  # noqa: BLE001 - a hidden link cannot be clicked; fine
                        pass
                assert page.evaluate("typeof window.__pwned") == "undefined", url
                changed = page.evaluate(
                    "document.querySelectorAll('article [hidden], article [contenteditable],"
                    " article [popover], article [ping], article [data-pagefind-meta],"
                    " article [dir=rtl], article .md-sidebar').length"
                )
                assert changed == 0, url  # no attribute from content changes the page
                if "alpha" in url and "/en/" not in url:  # the title is text, escaped exactly once
                    assert "<img src=x" in page.title() and "&lt;" not in page.title(), url
            # the search index shows the payloads as text too
            page.goto(base + "/")
            results = search(page, "window")
            assert results
            assert page.evaluate("typeof window.__pwned") == "undefined"
            origins = page.locator(".cs-search__link").evaluate_all(
                "els => els.map(e => new URL(e.href).origin)"
            )
            assert set(origins) == {base}, origins  # every result stays on the site
            texts = " ".join(text for _, text in results)
            assert "<svg onload=" in texts, results  # payloads shown as text, once escaped
            assert "&lt;" not in texts and "& lt" not in texts, results
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert events == []


@pytest.mark.browser
@pytest.mark.build
def test_csp_allows_the_theme_and_blocks_an_injected_script(mini_site, tmp_path):
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    index = site / "regulations" / "alpha" / "index.html"
    html = index.read_text("utf-8")
    assert "CSP_INLINE_HASHES" not in html and "Content-Security-Policy" in html
    # an inline script that got into a page anyhow (not one of the theme's)
    index.write_text(
        html.replace("</article>", "<script>window.__pwned=1</script></article>", 1), "utf-8"
    )
    server, base = serve(site)
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.add_init_script(
                "window.__csp=[];document.addEventListener('securitypolicyviolation',"
                "e=>window.__csp.push(e.violatedDirective+' '+e.blockedURI))"
            )
            for url in ("/", "/en/", "/roles/", "/en/regulations/beta/"):
                page.goto(base + url)
                page.wait_for_load_state("load")
                assert page.evaluate("window.__csp") == [], url
                # the theme's own scripts ran: its helpers exist and the search works
                assert page.evaluate("typeof __md_get") == "function", url
                assert page.evaluate("typeof document$") == "object", url  # the theme's bundle
            page.goto(base + "/regulations/alpha/")
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert any("script-src" in v for v in page.evaluate("window.__csp"))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
