"""Build the fixture compendium with MkDocs and check HTML fragments in both languages."""

from __future__ import annotations

import hashlib
import os
import re
import shutil

import pytest

from .conftest import FIXTURES, make_project, mkdocs_build, without_other_language

pytestmark = pytest.mark.build


def read(site, rel):
    """A built page in its own language: the side-by-side view's hidden
    other-language blocks (``div.article-other``) are left out."""
    return without_other_language((site / rel).read_text(encoding="utf-8"))




def test_both_languages_and_home_pages(mini_site):
    zh_home, en_home = read(mini_site, "index.html"), read(mini_site, "en/index.html")
    assert '<a href="regulations/alpha/">甲管理制度</a>' in zh_home
    assert '<a href="regulations/alpha/">Alpha Management Regulation</a>' in en_home
    assert "A-01" in zh_home and "2026年3月1日" in zh_home and "運營部門" in zh_home
    assert "1 March 2026" in en_home and "Operations Department" in en_home
    assert 'lang="zh-TW"' in zh_home or 'lang="zh-Hant"' in zh_home
    assert '<html lang="en"' in en_home


def test_chapter_article_numbering_in_html(mini_site):
    zh = read(mini_site, "regulations/alpha/index.html")
    nums = re.findall(r'<span class="num">([^<]+)</span>', zh)
    assert nums == [
        "第一章",
        "第一條",
        "第二條",
        "第二章",
        "第一節",
        "第三條",
        "第三條之一",
        "第四條",
        "第二節",
        "第五條",
    ]
    en = read(mini_site, "en/regulations/alpha/index.html")
    nums_en = re.findall(r'<span class="num">([^<]+)</span>', en)
    assert nums_en == [
        "Chapter 1",
        "Article 1",
        "Article 2",
        "Chapter 2",
        "Section 1",
        "Article 3",
        "Article 3-1",
        "Article 4",
        "Section 2",
        "Article 5",
    ]


def test_id_and_number_anchors_are_the_same_in_both_languages(mini_site):
    for rel in ("regulations/alpha/index.html", "en/regulations/alpha/index.html"):
        html = read(mini_site, rel)
        assert '<span id="art-3-1"></span><span class="num">' in html
        assert 'id="backup-offsite"' in html
        assert 'id="ch-data"' in html


def test_items_numbered_in_the_regulation_style(mini_site):
    zh = read(mini_site, "regulations/alpha/index.html")
    assert re.findall(r'<span class="item-no">([^<]+)</span>', zh) == [
        "一、",
        "二、",
        "（一）",
        "（二）",
        "三、",
    ]
    en = read(mini_site, "en/regulations/alpha/index.html")
    assert re.findall(r'<span class="item-no">([^<]+)</span>', en) == [
        "(1)",
        "(2)",
        "(a)",
        "(b)",
        "(3)",
    ]
    beta = read(mini_site, "en/regulations/beta/index.html")
    assert re.findall(r'<span class="item-no">([^<]+)</span>', beta) == ["(a)", "(b)"]


def test_cross_references_render_localized_numbers(mini_site):
    zh = read(mini_site, "regulations/alpha/index.html")
    assert '<a class="xref" href="#backup">第三條</a>' in zh
    assert '<a class="xref" href="../beta/#intro">《乙管理辦法》一（一）</a>' in zh
    en = read(mini_site, "en/regulations/alpha/index.html")
    assert '<a class="xref" href="#backup">Article 3</a>' in en
    assert '<a class="xref" href="../beta/#intro">I.1 of the Beta Management Measures</a>' in en
    beta_en = read(mini_site, "en/regulations/beta/index.html")
    assert (
        '<a class="xref" href="../alpha/#backup">Article 3 of the Alpha Management Regulation</a>'
        in beta_en
    )
    assert '<a class="xref" href="#principles">I.2</a>' in beta_en


def test_untranslated_article_shows_chinese_with_notice(mini_site):
    en = read(mini_site, "en/regulations/alpha/index.html")
    section = en.split('id="art-5"')[1].split("<h")[0]
    assert "has not yet been translated" in section
    assert "數據存取權限由運營部門核定。" in section
    zh = read(mini_site, "regulations/alpha/index.html")
    assert "not yet been translated" not in zh


def test_regulation_page_shows_metadata(mini_site):
    zh = read(mini_site, "regulations/alpha/index.html")
    for fragment in (
        '<dd class="reg-code">A-01</dd>',
        '<dd class="reg-version">2.1</dd>',
        '<time datetime="2026-03-01">2026年3月1日</time>',
        '<dd class="reg-owner">運營部門</dd>',
    ):
        assert fragment in zh
    assert "<title>甲管理制度" in zh
    assert "<title>Alpha Management Regulation" in read(
        mini_site, "en/regulations/alpha/index.html"
    )


def test_language_switcher_targets_the_same_page(mini_site):
    zh = read(mini_site, "regulations/beta/index.html")
    assert re.search(r'href="[./]*en/regulations/beta/"[^>]*hreflang="en"', zh), (
        "switcher link to /en/ page"
    )


def test_article_files_are_not_pages_and_no_web_fonts(mini_site):
    regulations = FIXTURES / "mini" / "docs" / "regulations"
    article_files = sorted(regulations.glob("*/*.*.md"))
    assert len(article_files) >= 10, "the fixture has article files to leave out"
    built = sorted(p.relative_to(mini_site).as_posix() for p in mini_site.rglob("*") if p.is_file())
    # One page per regulation and language, nothing else under regulations/.
    expected = sorted(
        f"{prefix}regulations/{reg.name}/index.html"
        for prefix in ("", "en/")
        for reg in regulations.iterdir()
        if reg.is_dir()
    )
    assert [p for p in built if p.startswith(("regulations/", "en/regulations/"))] == expected
    # No page, folder or sitemap entry anywhere is named after an article file.
    article_ids = {f.name.split(".")[0] for f in article_files}
    assert [p for p in built if article_ids & set(p.split("/"))] == []
    sitemap = (mini_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sorted(i for i in article_ids if f"/{i}/" in sitemap or f"/{i}." in sitemap) == []
    assert [p for p in built if p.endswith((".md", ".yml"))] == []
    pages = [p for p in built if p.endswith(".html")]
    assert len(pages) >= len(expected)
    assert [p for p in pages if "fonts.googleapis" in (mini_site / p).read_text("utf-8")] == []


def test_broken_front_matter_fails_the_build_with_path_and_line(tmp_path):
    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    target = proj / "docs/regulations/alpha/backup.zh-Hant.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace("caption: 備份", "caption: [備份"),
        encoding="utf-8",
    )
    (proj / "docs/regulations/beta/intro.en.md").write_text(
        "---\nid: intro\nfoo: bar\n---\nText.\n", encoding="utf-8"
    )
    before = {p: p.read_bytes() for p in (proj / "docs").rglob("*") if p.is_file()}
    result = mkdocs_build(proj)
    assert result.returncode != 0
    assert (
        "docs/regulations/alpha/backup.zh-Hant.md:4: malformed YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at line 3)"
    ) in result.stderr
    assert "docs/regulations/beta/intro.en.md:3: unknown field 'foo'" in result.stderr
    assert "2 error(s) in the compendium sources" in result.stderr
    after = {p: p.read_bytes() for p in (proj / "docs").rglob("*") if p.is_file()}
    assert before == after, "a build must never write into docs/"


def _snapshot(root):
    """Every file and folder under ``root``: kind, permissions, mtime and content hash."""
    out = {}
    for p in sorted([root, *root.rglob("*")]):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
        out[p.relative_to(root).as_posix()] = (st.st_mode, st.st_mtime_ns, digest)
    return out


def test_site_build_leaves_docs_untouched(tmp_path):
    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    docs = proj / "docs"
    # An old, exact time on everything: a file rewritten with the same text, or a
    # temporary file created and removed again, changes a file's or folder's mtime.
    old = 1_600_000_000_000_000_000
    for p in [docs, *docs.rglob("*")]:
        os.utime(p, ns=(old, old), follow_symlinks=False)
    before = _snapshot(docs)
    assert len([k for k, v in before.items() if v[2] is not None]) >= 20
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    after = _snapshot(docs)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], "a build must never write into docs/"
    shutil.rmtree(proj / "site")
