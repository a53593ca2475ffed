"""One parser, one name rule, and the audit of every finished page.

What ``make check`` passes must be exactly what is rendered: the build renders each
page as the validator split it (never MkDocs' own front-matter split), file names are
judged by one rule, and every page the build writes is read once more as a browser
would and refused if it holds a script, redirect or frame that content put there.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from compendium.site.audit import audit_page
from compendium.source.checks import validate
from compendium.source.layout import file_type_problem, is_published_source
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import YamlError, page_document, split_front_matter
from tests.conftest import make_project, mkdocs_build
from tests.hostile.conftest import MINI, UNCHECKED_BUILD, run

# The reproducer: MkDocs ends the front-matter at '...', so the "comments" were HTML.
DOTS_PAGE = (
    "---\ntitle: Notes\n...\n"
    '#<script src="../regulations/alpha/note.txt"></script>\n'
    '# <meta http-equiv="refresh" content="5;url=https://evil.example/login">\n'
    "---\nPlain body.\n"
)


def _errors(docs: Path) -> list[str]:
    _, problems = validate(DirTree(docs, "docs"))
    return [f"{p.path}:{p.line}: {p.message}" for p in problems.items if p.severity == "error"]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    shutil.copytree(MINI, d)
    return d


# -- the front-matter split -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        DOTS_PAGE,
        DOTS_PAGE.replace("...\n", "...   \n"),
        DOTS_PAGE.replace("\n", "\r\n"),
        "---\ntitle: x\n...\n<script>alert(1)</script>\n",
    ],
)
def test_front_matter_ending_in_dots_is_refused_with_its_line(text):
    with pytest.raises(YamlError) as exc:
        split_front_matter(text)
    assert exc.value.line == 3
    assert "'...'" in exc.value.message and "'---'" in exc.value.message


def test_the_reproducer_fails_make_check(docs):
    (docs / "notes.md").write_text(DOTS_PAGE, "utf-8")
    (docs / "regulations" / "alpha" / "note.txt").write_text('alert("pwned")', "utf-8")
    errors = [e for e in _errors(docs) if e.startswith("docs/notes.md:")]
    assert any(e.startswith("docs/notes.md:3:") and "'...'" in e for e in errors), errors


def test_a_second_dashes_line_ends_the_front_matter_and_the_rest_is_checked_as_text(docs):
    (docs / "notes.md").write_text(
        "---\ntitle: Notes\n---\n#<script>alert(1)</script>\n---\nBody.\n", "utf-8"
    )
    errors = _errors(docs)
    assert any(e.startswith("docs/notes.md:4:") and "raw HTML" in e for e in errors), errors


@pytest.mark.parametrize(
    ("text", "meta", "body"),
    [
        ("---\ntitle: A\n---\nBody\n", {"title": "A"}, "Body\n"),
        ("---\ntitle: A\n---", {"title": "A"}, ""),  # MkDocs: all of it is text
        ("title: A\n\nBody\n", {}, "title: A\n\nBody\n"),  # MultiMarkdown: text here
        ("# Heading\n", {}, "# Heading\n"),
        ("----\nrule\n", {}, "----\nrule\n"),
    ],
)
def test_page_document_is_what_the_build_renders(text, meta, body):
    doc = page_document(text)
    assert (doc.meta, doc.body) == (meta, body)


@pytest.mark.build
def test_the_build_renders_the_validators_split_not_mkdocs(tmp_path):
    """A page whose closing '---' is its last line: MkDocs' own reader (which needs a
    line break after it) would render the front-matter as text."""
    docs = tmp_path / "docs"
    shutil.copytree(MINI, docs)
    (docs / "notes.md").write_text("---\ntitle: 公告頁\n---", "utf-8")
    proj = make_project(tmp_path, docs)
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (proj / "site" / "notes" / "index.html").read_text("utf-8")
    assert "<title>公告頁" in html
    assert "title: 公告頁" not in html and "title:" not in html.split("<article", 1)[1]


# -- one rule for file names ------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Page.MD", "data.YAML", "notes.Md", "x.YML", "roles.Yml", "a/b.mD"]
)
def test_an_upper_case_extension_is_refused(docs, name):
    (docs / name).parent.mkdir(exist_ok=True)
    (docs / name).write_text("<script>alert(1)</script>\n", "utf-8")
    errors = [e for e in _errors(docs) if e.startswith(f"docs/{name}:")]
    assert errors and "lower case" in errors[0], errors
    assert not is_published_source(name)


@pytest.mark.parametrize("name", ["page.md.", "page.md ", "x.html", "x.svg", "x.xht", "x.js"])
def test_other_types_are_refused(name):
    assert file_type_problem(name) is not None
    assert not is_published_source(name)


def test_data_and_articles_are_never_published_and_content_is():
    assert not is_published_source("glossary.yml")
    assert not is_published_source("packs.yaml")
    assert not is_published_source("regulations/alpha/purpose.zh-Hant.md")
    assert is_published_source("regulations/alpha/index.md")
    assert is_published_source("images/chart.png")
    assert is_published_source("images/photo.JPG")  # media: published as they are anyway
    assert is_published_source("assets/anything.js")  # the site's code, reviewed as code


@pytest.mark.build
def test_a_yaml_file_is_not_published(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(MINI, docs)
    (docs / "data.yaml").write_text("# <script>alert(1)</script>\nkey: value\n", "utf-8")
    proj = make_project(tmp_path, docs)
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (proj / "site" / "data.yaml").exists()
    assert (proj / "site" / "index.html").exists()


# -- the audit of finished pages --------------------------------------------------------

PAGE = "regulations/alpha/"
HEAD = """<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'sha256-{h}'">
<link rel="stylesheet" href="../../assets/stylesheets/main.css">
<script src="../../assets/javascripts/bundle.js"></script>
<script>{ok}</script><script id="__config" type="application/json">{{}}</script>
</head><body><p id="x">text</p>{body}</body></html>"""
OK_SCRIPT = "var a=1;"


def _page(body: str) -> str:
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(OK_SCRIPT.encode()).digest()).decode()
    return HEAD.format(h=digest, ok=OK_SCRIPT, body=body)


def test_a_page_of_the_sites_own_elements_passes():
    assert audit_page(_page(""), PAGE) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<script src="note.txt"></script>', "script from 'note.txt'"),
        ('<script src="../../regulations/alpha/note.txt"></script>', "script from"),
        ('<script src="../../assets/../regulations/x.txt"></script>', "script from"),
        ('<script src="https://evil.example/a.js"></script>', "script from"),
        ('<script src="//evil.example/assets/a.js"></script>', "script from"),
        ('<script src="/assets/x.js"></script>', None),  # the site's own, at its root
        ("<script>alert(1)</script>", "inline script"),
        ('<script type="module">alert(1)</script>', "inline script"),
        ("<svg><script>alert(1)</script></svg>", "inline script"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "refresh"),
        ('<meta http-equiv="Content-Security-Policy" content="x">', "second Content"),
        ('<base href="https://evil.example/">', "<base>"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe>"),
        ('<object data="x.pdf"></object>', "<object>"),
        ('<embed src="x">', "<embed>"),
        ("<style>p{display:none}</style>", "<style>"),
        ('<form action="https://evil.example/login"></form>', "form"),
        ('<button formaction="https://evil.example">x</button>', "formaction"),
        ('<p onclick="alert(1)">x</p>', "event handler"),
        ('<img src=x OnError="alert(1)">', "event handler"),
        ('<a href="javascript:alert(1)">x</a>', "'javascript:'"),
        ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "'javascript:'"),
        ('<a href="data:text/html,x">x</a>', "'data:'"),
        ('<a href="vbscript:x">x</a>', "'vbscript:'"),
        ('<a href="https://ok.example" ping="https://evil.example">x</a>', "'ping'"),
        ('<p id="x">again</p>', "second element with id 'x'"),
        ('<p data-pagefind-meta="url:https://evil.example/login">x</p>', "search result"),
        ('<p data-pagefind-meta="title:x, url:https://evil.example">x</p>', "search result"),
        ('<link rel="preload" href="x.js">', "<link rel='preload'>"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "stylesheet from"),
        ('<a href="https://example.com/">ok</a> <a href="../beta/#art-1">ok</a>', None),
    ],
)
def test_the_audit_refuses_what_only_content_could_have_put_there(body, expected):
    problems = audit_page(_page(body), PAGE)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems
        assert problems[0].startswith("line 6:")


def test_the_audit_knows_the_sites_path():
    body = '<script src="/docs-site/assets/x.js"></script><script src="/assets/x.js"></script>'
    problems = audit_page(_page(body), PAGE, site_path="/docs-site/")
    assert len(problems) == 1 and "'/assets/x.js'" in problems[0]


@pytest.mark.build
def test_a_build_past_validation_stops_on_the_audit(tmp_path):
    """Validation and the hook's escaping of raw HTML switched off: a plain page with
    raw HTML (which Markdown passes through) is refused by the audit, naming its source
    file; no site is written."""
    docs = tmp_path / "docs"
    shutil.copytree(MINI, docs)
    (docs / "notes.md").write_text(
        '# 公告\n\n<script src="note.txt"></script>\n\n'
        '<meta http-equiv="refresh" content="0;url=https://evil.example/login">\n',
        "utf-8",
    )
    (docs / "note.txt").write_text("alert(1)", "utf-8")
    proj = make_project(tmp_path, docs)
    script = UNCHECKED_BUILD.replace(
        "build(cfg)", "hook.escape_raw_html = lambda text: text\nbuild(cfg)"
    )
    result = run([sys.executable, "-c", script, str(proj / "site")], proj)
    assert result.returncode != 0
    assert "notes.md: the page built from it (/notes/)" in result.stderr, result.stderr[-3000:]
    assert "a script from 'note.txt'" in result.stderr
    assert "refresh" in result.stderr
