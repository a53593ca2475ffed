"""The live preview (scripts/serve.py): the fast path writes what a full build writes,
follows the dependency graph to the pages citing an edit, survives broken sources,
and reloads the page in a real browser under the site's Content-Security-Policy."""

from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from compendium.site.preview import (
    changed_files,
    current_language,
    language_of,
    plan_rebuild,
    regulation_change,
    reload_regulation,
    snapshot,
)
from compendium.source.checks import validate
from compendium.source.tree import DirTree
from tests.conftest import FIXTURES, make_project, mkdocs_build

EPOCH = "1767225600"
BACKUP = "regulations/alpha/backup.zh-Hant.md"


@pytest.fixture
def preview(tmp_path, monkeypatch):
    """A preview of the mini fixture after its first (in-process) build."""
    from scripts.preview_http import SiteState
    from scripts.serve import Preview

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    site = SiteState(proj / ".cache" / "preview")
    pv = Preview(proj, site, dict(os.environ))
    assert pv.full_build()
    yield pv
    pv.background.cancel()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", encoding="utf-8")


def _same_as_full_build(pv, tmp_path: Path, dests: list[str]) -> None:
    full = tmp_path / "full"
    result = mkdocs_build(pv.project, full)
    assert result.returncode == 0, result.stderr
    for dest in dests:
        fast = (pv.site.root / dest).read_bytes()
        assert fast == (full / dest).read_bytes(), f"{dest} differs from a full build"


def _dests(pv, steps) -> list[str]:
    out = []
    for lang, src in steps:
        file = pv.model.capture.languages[lang].files.get_file_from_path(src)
        out.append(file.dest_uri)
    return out


@pytest.mark.build
def test_fast_path_writes_the_bytes_of_a_full_build(preview, tmp_path, capsys):
    docs = preview.project / "docs"
    before = (preview.site.root / "regulations/alpha/index.html").read_bytes()
    _append(docs / BACKUP, "本條另定備份細則。")
    old = preview.model.comp
    assert preview.fast_path([BACKUP]) is True
    out = capsys.readouterr().out
    assert "preview: regulations/alpha/ in" in out
    page = (preview.site.root / "regulations/alpha/index.html").read_bytes()
    assert page != before and "本條另定備份細則。".encode() in page
    new = preview.model.comp
    plan = plan_rebuild(old, new, [BACKUP], "zh-Hant", ["zh-Hant", "en"])
    assert plan is not None
    _same_as_full_build(preview, tmp_path, _dests(preview, plan.steps))


@pytest.mark.build
def test_a_renumbering_edit_rebuilds_the_page_citing_it(preview, tmp_path):
    docs = preview.project / "docs"
    manifest = docs / "regulations/alpha/index.md"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[purpose, scope]", "[purpose, scope, extra]"), "utf-8")
    (docs / "regulations/alpha/extra.zh-Hant.md").write_text(
        "---\nid: extra\n---\n新條文。\n", encoding="utf-8"
    )
    beta = preview.site.root / "regulations/beta/index.html"
    cited_before = beta.read_bytes()
    old = preview.model.comp
    changed = ["regulations/alpha/extra.zh-Hant.md", "regulations/alpha/index.md"]
    assert preview.fast_path(changed) is True
    plan = plan_rebuild(old, preview.model.comp, changed, "zh-Hant", ["zh-Hant", "en"])
    assert plan is not None
    assert ("zh-Hant", "regulations/beta/index.md") in plan.steps  # beta cites alpha/backup
    assert ("en", "regulations/beta/index.md") in plan.steps
    assert beta.read_bytes() != cited_before  # 第三條 became 第四條 there
    _same_as_full_build(preview, tmp_path, _dests(preview, plan.steps))


@pytest.mark.build
def test_a_broken_file_keeps_the_last_good_build_served(preview, capsys):
    from scripts.preview_http import PreviewServer

    docs = preview.project / "docs"
    good = (preview.site.root / "regulations/alpha/index.html").read_bytes()
    (docs / BACKUP).write_text("---\nid: backup\nroles: [ops-dept\n---\n壞了。\n", "utf-8")
    preview.handle([str(docs / BACKUP)])
    out = capsys.readouterr().out
    assert f"docs/{BACKUP}:" in out  # path:line: message, as make check prints it
    assert "still serving the last good build" in out
    server = PreviewServer(("127.0.0.1", 0), preview.site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/regulations/alpha/"
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = resp.read()
        assert body.startswith(good[: good.rindex(b"</body>")])
        assert b'<script src="/__preview/reload.js?v=' in body
        # A broken file elsewhere (roles.yml) takes the full build, which fails: still served.
        (docs / "roles.yml").write_text("roles: [\n", encoding="utf-8")
        preview.handle([str(docs / "roles.yml")])
        assert "still serving the last good build" in capsys.readouterr().out
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_reload_regulation_matches_a_full_validation(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "mini" / "docs", docs)
    tree = DirTree(docs, display_root="docs")
    comp, _ = validate(tree)
    _append(docs / BACKUP, "另加一句。")
    new, problems = reload_regulation(comp, tree, "alpha")
    assert not problems.errors
    full, _ = validate(tree)
    assert repr(new) == repr(full)
    (docs / BACKUP).write_text("---\nid: backup\n---\n見[[nowhere]]。\n", encoding="utf-8")
    _, problems = reload_regulation(comp, tree, "alpha")
    assert [p.located() for p in problems.errors] == [
        "docs/regulations/alpha/backup.zh-Hant.md:4: unresolved cross reference '[[nowhere]]': "
        "no article 'nowhere' in 'alpha' (expected the id of an existing article)"
    ]


def test_plan_puts_the_edited_page_in_the_language_read_first(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "mini" / "docs", docs)
    tree = DirTree(docs, display_root="docs")
    comp, _ = validate(tree)
    _append(docs / BACKUP, "另加一句。")
    new, _ = reload_regulation(comp, tree, "alpha")
    plan = plan_rebuild(comp, new, [BACKUP], "en", ["zh-Hant", "en"])
    assert plan is not None and plan.search
    assert plan.steps[0] == ("en", "regulations/alpha/index.md")
    assert ("en", "regulations/beta/index.md") in plan.steps  # beta/intro cites backup
    langs = [lang for lang, _ in plan.steps]
    assert langs == sorted(langs, key=lambda lang: lang != "en")  # English first, then Chinese
    assert plan_rebuild(comp, new, ["roles.yml"], "en", ["zh-Hant", "en"]) is None
    assert (
        regulation_change(["regulations/alpha/x.zh-Hant.md", "regulations/beta/index.md"]) is None
    )
    assert regulation_change(["regulations/alpha/image.png"]) is None
    assert language_of(BACKUP, ["zh-Hant", "en"]) == "zh-Hant"
    assert current_language("/en/regulations/alpha/", ["zh-Hant", "en"]) == "en"
    assert current_language("/regulations/alpha/", ["zh-Hant", "en"]) == "zh-Hant"


def test_snapshot_sees_edits_additions_and_removals(tmp_path):
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    before = snapshot([tmp_path])
    time.sleep(0.01)
    (tmp_path / "a.md").write_text("ab", encoding="utf-8")
    (tmp_path / "b.md").write_text("b", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    after = snapshot([tmp_path])
    assert changed_files(before, after) == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    (tmp_path / "b.md").unlink()
    assert changed_files(after, snapshot([tmp_path])) == [str(tmp_path / "b.md")]


@pytest.mark.browser
@pytest.mark.build
def test_browser_reloads_the_edited_page_under_the_csp(preview):
    from scripts.preview_http import PreviewServer
    from tests.test_browser import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    server = PreviewServer(("127.0.0.1", 0), preview.site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    errors: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/regulations/alpha/")
            page.wait_for_function(
                "() => performance.getEntriesByType('resource')"
                ".some(e => e.name.includes('/__preview/version'))"
            )
            _append(preview.project / "docs" / BACKUP, "瀏覽器應看見此句。")
            preview.handle([str(preview.project / "docs" / BACKUP)])
            page.wait_for_function(
                "() => document.body.innerText.includes('瀏覽器應看見此句。')", timeout=10_000
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
