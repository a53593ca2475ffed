"""File types, raw HTML Markdown would pass through, and link targets read as Markdown reads
them: validation and rendering share one predicate, and neither leaks a path."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import markdown
import pytest

from compendium.source.checks import validate
from compendium.source.htmlpolicy import (
    SafeHtmlExtension,
    escape_raw_html,
    find_raw_html,
    link_targets,
    local_path_problem,
    text_problems,
)
from compendium.source.tree import MemoryTree
from tests.hostile.conftest import RUN

# -- H1: an allow-list of file types ---------------------------------------------------


def _file_errors(name: str) -> list[str]:
    files = {"index.md": "---\ncompendium: home\n---\n", name: "<x:script>1</x:script>"}
    _, problems = validate(MemoryTree(files, display_root="docs"))
    return [f"{p.path}:{p.line}: {p.message}" for p in problems.errors if p.path == f"docs/{name}"]


@pytest.mark.parametrize(
    "name",
    [
        "regulations/notice.xht",
        "notice.xsl",
        "regulations/alpha/chart.svgz",
        "roles/page.XHTML",
        "x.php",
        "README",
        "regulations/alpha/assets/x.js",  # only docs/assets/ holds site code
    ],
)
def test_file_types_outside_assets_are_an_allow_list(name):
    errors = _file_errors(name)
    assert errors == [
        f"docs/{name}:1: this type of file is not allowed in content (the site would publish "
        "it as it is); expected one of .md .yml .yaml .png .jpg .jpeg .gif .webp .pdf .csv "
        ".txt (site code belongs in docs/assets/)"
    ]


@pytest.mark.parametrize(
    "name", ["regulations/alpha/diagram.png", "a/b.JPG", "forms/x.pdf", "m.csv", "assets/x.js"]
)
def test_inert_media_and_site_code_are_allowed(name):
    assert _file_errors(name) == []


# -- H2: one predicate for raw HTML ------------------------------------------------------

TAGS = [
    "<a_b x=1>",
    "<a.b x=1>",
    "<aé x=1>",
    "<a= x=1>",
    "<a# x=1>",
    f'4. 違規 <x_body tabindex=1 autofocus onfocus="{RUN}" style="position:fixed">廢止</x_body>',
    "<https:x/style=position:fixed>",  # not an autolink: no '//'
    "<ab:c/style=position:fixed>",
    '<div\tonclick="x"@example.com>',  # not an address Markdown takes for a link
    "<p/@example.com>",
    "</x_y>",
    "a<b and c>d",
    "<!-- c -->",
    "<?php ?>",
    "<![CDATA[x]]>",
]


def _stashed(text: str) -> list[str]:
    """The raw HTML Python-Markdown itself passes through for ``text`` (entities aside)."""
    md = markdown.Markdown(extensions=["attr_list", "tables"])
    md.convert(text)
    blocks = [str(block) for block in md.htmlStash.rawHtmlBlocks]
    return [b for b in blocks if not re.fullmatch(r"&#?\w+;", b)]


@pytest.mark.parametrize("text", TAGS)
def test_what_markdown_reads_as_raw_html_is_refused_and_escaped(text):
    assert _stashed(text), "the case must be raw HTML for Markdown"  # the test means something
    assert list(find_raw_html(text))
    assert [m for _, m in text_problems(text) if m.startswith("raw HTML is not allowed")]
    assert _stashed(escape_raw_html(text)) == []


def test_the_payload_tag_is_named_in_the_message():
    problems = list(text_problems(TAGS[5]))
    assert problems[0][1].startswith("raw HTML is not allowed here (<x_body…>)")


@pytest.mark.parametrize(
    "text", ["a < b", "<https://example.com/x>", "<hr@example.com>", "<mailto:hr@example.com>"]
)
def test_autolinks_and_plain_less_than_stay(text):
    assert list(find_raw_html(text)) == []
    html = markdown.Markdown().convert(escape_raw_html(text))
    assert ("<a href" in html) == ("@" in text or "://" in text)


# -- M3: link targets as Markdown reads them; neutralised links are plain text ------------

SPLIT = {
    "[點此](\njavascript:alert(1))": 1,
    "前言\n\n[點此][r]\n\n[r]:\n  javascript:alert(1)": 5,
    "[r]:\n  javascript:alert(1)\n": 1,  # defined, never used
    "![圖](\n  data:text/html,x)": 1,
    "<javascript://%0aalert(1)>": 0,
}


@pytest.mark.parametrize("text", SPLIT)
def test_link_targets_on_the_next_line_are_refused(text):
    assert [t for t in link_targets(text) if "alert" in t or "data:" in t]
    found = [(line, m) for line, m in text_problems(text) if "uses the scheme" in m]
    assert [line for line, _ in found] == [SPLIT[text]], found


def test_split_link_has_path_and_line_in_validation():
    files = {
        "notes.md": "---\ntitle: ok\n---\n說明\n\n[點此][r]\n\n[r]:\n  javascript:alert(1)\n",
    }
    _, problems = validate(MemoryTree(files, display_root="docs"))
    assert [(p.path, p.line) for p in problems.errors if "javascript" in p.message] == [
        ("docs/notes.md", 9)
    ]


def test_a_neutralised_link_is_plain_text():
    md = markdown.Markdown(extensions=["attr_list", SafeHtmlExtension()])
    html = md.convert(f"[點此](javascript:{RUN}) and ![圖](javascript:x)")
    assert "href" not in html and "src" not in html
    assert "<span>點此</span>" in html


@pytest.mark.pdf
def test_pdf_has_no_link_into_the_build_directory(tmp_path, monkeypatch):
    """Validation switched off: a neutralised link and a bare '#' print as text only."""
    from pypdf import PdfReader

    from compendium.source.loader import load
    from compendium.source.problems import Problems
    from tests.test_pdf import FIXTURE_DOCS, build_pdf, flat, pages_text

    monkeypatch.setattr(build_pdf, "validate", lambda tree: (load(tree)[0], Problems()))
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    alpha = docs / "regulations" / "alpha"
    (alpha / "links.zh-Hant.md").write_text(
        "---\nid: links\ncaption: 連結\n---\n"
        f"[點此](javascript:{RUN})，[多行](\njavascript:{RUN})，[頂端](#)。\n",
        encoding="utf-8",
    )
    manifest = alpha / "index.md"
    manifest.write_text(
        manifest.read_text("utf-8").replace("articles: [access]", "articles: [access, links]"),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "pdf"
    build_pdf.main(
        [str(docs), "--out", str(out), "--only", "compendium", "--lang", "zh-Hant", "-q"]
    )
    pdf = out / "compendium-zh-Hant.pdf"
    uris = []
    for page in PdfReader(str(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert not [u for u in uris if u.lower().startswith("file:")], uris
    assert "點此" in flat("".join(pages_text(pdf)))  # the text stays


# -- L2: no absolute paths, nothing outside docs/ -----------------------------------------


@pytest.mark.parametrize(
    ("dest", "base", "why"),
    [
        ("/etc/passwd", "regulations/alpha", "absolute"),
        ("//evil.example/x.png", "", "absolute"),
        ("\\etc\\passwd", "", "absolute"),
        ("%2Fetc%2Fpasswd", "", "absolute"),
        ("../../../../etc/hostname", "regulations/alpha", "outside"),
        ("../../mkdocs.yml", "", "outside"),
        ("../../../mkdocs.yml", "regulations/alpha", "outside"),
        ("%2e%2e/%2e%2e/%2e%2e/x", "regulations/alpha", "outside"),
        ("&#46;&#46;/&#46;&#46;/x", "roles", "outside"),
    ],
)
def test_paths_out_of_docs_are_refused(dest, base, why):
    assert why in (local_path_problem(dest, base) or "")


@pytest.mark.parametrize(
    ("dest", "base"),
    [
        ("diagram.png", "regulations/alpha"),
        ("../beta/", "regulations/alpha"),
        ("../../roles/ops-dept.md#duties", "regulations/alpha"),
        ("#art-3", ""),
        ("https://example.com/a", ""),
        ("mailto:hr@example.com", ""),
    ],
)
def test_paths_inside_docs_pass(dest, base):
    assert local_path_problem(dest, base) is None


def test_file_leak_links_are_refused_with_path_and_line():
    body = (
        "本條附件：\n\n"
        "[x](/etc/passwd){: rel=attachment }\n\n"  # line 7
        "![i](../../../../etc/hostname)\n\n"  # line 9
        "[設定](../../../mkdocs.yml)\n\n"  # line 11
        "[圖](\n  ../../../../secret.png)\n\n"  # line 14
        "[乙](../beta/)\n"  # inside docs: fine
    )
    files = {"regulations/alpha/x.zh-Hant.md": "---\nid: x\ncaption: 附件\n---\n" + body}
    _, problems = validate(MemoryTree(files, display_root="docs"))
    found = sorted(
        (p.line, m.group(1))
        for p in problems.errors
        if p.path == "docs/regulations/alpha/x.zh-Hant.md"
        and (m := re.search(r"(absolute path|outside the docs folder)", p.message))
    )
    assert found == [
        (7, "absolute path"),
        (9, "outside the docs folder"),
        (11, "outside the docs folder"),
        (14, "outside the docs folder"),
    ], found


# -- the built site: no raw element of the payloads -------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


@pytest.mark.build
def test_unchecked_build_has_no_raw_element_and_no_hash_links(hostile_site):
    page = hostile_site / "regulations" / "alpha" / "index.html"
    html = page.read_text("utf-8")
    assert "x_body" in html and "本條已廢止" in html  # the payload is there, as text
    for path in hostile_site.rglob("*.html"):
        parsed = _Tags()
        parsed.feed(path.read_text("utf-8"))
        for tag, attrs in parsed.tags:
            assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", tag), (path, tag)
            assert "position:fixed" not in attrs.get("style", ""), (path, tag)
    for text in ("點此", "多行", "參考"):  # the neutralised links: plain text
        assert f"<span>{text}</span>" in html, text
        assert f'<a href="#">{text}</a>' not in html, text
