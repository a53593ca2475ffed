"""The live preview (``mkdocs serve`` with hooks/preview.py): the fast path writes what a
full build writes, follows the dependency graph to the pages citing an edit, survives
broken sources, and reloads the page in a real browser under the site's
Content-Security-Policy."""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest

from compendium.site.preview import (
    changed_files,
    current_language,
    plan_rebuild,
    regulation_change,
    reload_regulation,
    snapshot,
)
from compendium.source.checks import validate
from compendium.source.tree import DirTree
from tests.conftest import FIXTURES, make_project

BACKUP = "regulations/alpha/backup.zh-Hant.md"
ALPHA = "regulations/alpha/index.html"


@pytest.fixture
def server(tmp_path, monkeypatch):
    """MkDocs' live-reload server of the mini fixture after its first build, as
    ``mkdocs serve`` sets it up (not listening: the tests call its builder and app)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    site = tmp_path / "served"
    config = load_config(config_file=str(proj / "mkdocs.yml"), site_dir=str(site))
    config.site_url = "http://127.0.0.1:8000/"

    def builder(cfg):  # what mkdocs serve's builder does with a config
        build(cfg, serve_url=cfg.site_url)

    builder(config)
    live = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(site))
    live = config.plugins.on_serve(live, config=config, builder=builder)
    yield live
    live.observer.stop()  # started by serve(), which the tests do not call
    live.server_close()


def _preview(server):
    return server.builder.__self__


def _rebuild(server) -> None:
    """What MkDocs' build loop does after a change (then it reloads the browsers)."""
    server.builder()
    preview = _preview(server)
    if preview.follow_up is not None:
        preview.follow_up.join()


def _get(server, path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, object] = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    answer: list[object] = []
    body = b"".join(server.get_app()(environ, lambda s, h, e=None: answer.extend([s, h])))
    status, headers = answer
    return str(status), dict(headers), body


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", encoding="utf-8")


def _differences(a: Path, b: Path) -> list[str]:
    """Files missing on one side or differing in bytes (the search bundle aside)."""

    def files(root: Path) -> set[Path]:
        return {
            p.relative_to(root)
            for p in root.rglob("*")
            if p.is_file() and "pagefind" not in p.relative_to(root).parts
        }

    fa, fb = files(a), files(b)
    out = [f"only one side: {p}" for p in sorted(fa ^ fb)]
    out += [f"differs: {p}" for p in sorted(fa & fb) if not filecmp.cmp(a / p, b / p, False)]
    return out


def _same_as_full_build(server, tmp_path: Path) -> None:
    fast = tmp_path / "fast"
    shutil.copytree(server.root, fast)
    _preview(server).full_build()  # MkDocs' own full build, into a new folder
    assert Path(server.root) != fast
    assert _differences(fast, Path(server.root)) == []


@pytest.mark.build
def test_fast_path_writes_the_bytes_of_a_full_build(server, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    docs = Path(_preview(server).config.docs_dir)
    root = Path(server.root)
    before = (root / ALPHA).read_bytes()
    _append(docs / BACKUP, "本條另定備份細則。")
    _rebuild(server)
    assert "preview: 10 page(s) in" in caplog.text  # both languages, not the whole site
    assert "Documentation built" not in caplog.text
    assert Path(server.root) == root
    page = (root / ALPHA).read_bytes()
    assert page != before and "本條另定備份細則。".encode() in page
    _same_as_full_build(server, tmp_path)


@pytest.mark.build
def test_a_renumbering_edit_rebuilds_the_page_citing_it(server, tmp_path):
    docs = Path(_preview(server).config.docs_dir)
    manifest = docs / "regulations/alpha/index.md"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[purpose, scope]", "[purpose, scope, extra]"), "utf-8")
    (docs / "regulations/alpha/extra.zh-Hant.md").write_text(
        "---\nid: extra\n---\n新條文。\n", encoding="utf-8"
    )
    root = Path(server.root)
    cited = [root / "regulations/beta/index.html", root / "en/regulations/beta/index.html"]
    cited_before = [p.read_bytes() for p in cited]
    _rebuild(server)
    assert Path(server.root) == root  # the fast path, in place
    assert [p.read_bytes() for p in cited] != cited_before  # 第三條 became 第四條 there
    assert all(p.read_bytes() != b for p, b in zip(cited, cited_before, strict=True))
    _same_as_full_build(server, tmp_path)


@pytest.mark.build
def test_a_change_the_graph_does_not_follow_takes_a_full_build(server, caplog):
    caplog.set_level(logging.INFO)
    docs = Path(_preview(server).config.docs_dir)
    first = Path(server.root)
    glossary = docs / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _rebuild(server)
    assert "Documentation built" in caplog.text
    assert Path(server.root) != first and not first.exists()
    assert _get(server, "/regulations/alpha/")[0].startswith("200")


def _served(server, good: bytes) -> None:
    """The page on disk and as served is still ``good``."""
    assert (Path(server.root) / ALPHA).read_bytes() == good
    status, _, body = _get(server, "/regulations/alpha/")
    assert status.startswith("200")
    assert good[good.index(b"<body") : good.rindex(b"</body>")] in body


@pytest.mark.build
def test_a_broken_file_keeps_the_last_good_build_served(server, caplog):
    docs = Path(_preview(server).config.docs_dir)
    root = Path(server.root)
    good = (root / ALPHA).read_bytes()
    (docs / BACKUP).write_text("---\nid: backup\nroles: [ops-dept\n---\n壞了。\n", "utf-8")
    _rebuild(server)
    assert f"docs/{BACKUP}:" in caplog.text  # path:line: message, as make check prints it
    assert "still serving the last good build" in caplog.text
    _served(server, good)
    # A broken file elsewhere (roles.yml) takes the full build, which fails: still served.
    caplog.clear()
    (docs / "roles.yml").write_text("roles: [\n", encoding="utf-8")
    _rebuild(server)
    assert "docs/roles.yml" in caplog.text
    assert "still serving the last good build" in caplog.text
    assert Path(server.root) == root
    _served(server, good)


@pytest.mark.build
def test_every_response_is_nosniff_and_the_reload_script_passes_the_csp(server):
    from compendium.site.csp import _SCRIPT_RE, _hash

    for path in ("/regulations/alpha/", "/assets/compendium.css", "/no/such/page/"):
        _, headers, _ = _get(server, path)
        assert headers["X-Content-Type-Options"] == "nosniff", path
    _, headers, body = _get(server, "/regulations/alpha/")
    html = body.decode("utf-8")
    assert int(headers["Content-Length"]) == len(body)
    policy = html[html.index("script-src") :].split(";", 1)[0]
    reload_script = [m for m in _SCRIPT_RE.finditer(html) if "livereload(" in m["body"]]
    assert len(reload_script) == 1 and _hash(reload_script[0]["body"]) in policy
    built = (Path(server.root) / ALPHA).read_text(encoding="utf-8")
    assert "livereload" not in built  # the built page itself admits nothing more
    assert _get(server, "/no/such/page/")[0].startswith("404")


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
    assert plan is not None
    assert plan.steps[0] == ("en", "regulations/alpha/index.md")
    assert ("en", "regulations/beta/index.md") in plan.steps  # beta/intro cites backup
    langs = [lang for lang, _ in plan.steps]
    assert langs == sorted(langs, key=lambda lang: lang != "en")  # English first, then Chinese
    assert plan_rebuild(comp, new, ["roles.yml"], "en", ["zh-Hant", "en"]) is None
    assert (
        regulation_change(["regulations/alpha/x.zh-Hant.md", "regulations/beta/index.md"]) is None
    )
    assert regulation_change(["regulations/alpha/image.png"]) is None
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.browser
@pytest.mark.build
def test_mkdocs_serve_reloads_the_edited_page_under_the_csp(tmp_path):
    from tests.test_browser import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    port = _free_port()
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(cmd, cwd=proj, env=env, stdout=log, stderr=subprocess.STDOUT)
    errors: list[str] = []
    try:
        end = time.monotonic() + 120
        while "Serving on" not in (tmp_path / "serve.log").read_text() and proc.poll() is None:
            assert time.monotonic() < end, "mkdocs serve did not start"
            time.sleep(0.2)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"http://127.0.0.1:{port}/regulations/alpha/")
            while "Browser connected" not in (tmp_path / "serve.log").read_text():
                assert time.monotonic() < end, "the page's reload script never polled"
                time.sleep(0.1)  # MkDocs' reload script runs (the CSP let it) and waits
            _append(proj / "docs" / BACKUP, "瀏覽器應看見此句。")
            page.wait_for_function(
                "() => !!document.body && document.body.innerText.includes('瀏覽器應看見此句。')",
                timeout=30_000,
            )
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "preview: 10 page(s) in" in output, output
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
