"""The reading experience (issue 11): notes per language, duty references, page details."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from compendium.source.loader import load
from compendium.source.model import LocalizedNote, localized_note
from compendium.source.tree import DirTree

HERE = Path(__file__).parent
ROOT = HERE.parent
PDF_DOCS = HERE / "fixtures" / "pdf" / "docs"

PER_LANGUAGE_HISTORY = """history:
  - date: 2026-01-01
    release: "2026.1"
    note: {zh-Hant: 首次發布。, en: First published.}
"""


def with_localized_history(docs: Path, dest: Path) -> Path:
    """A copy of ``docs`` whose alpha/backup article has a history note per language."""
    shutil.copytree(docs, dest)
    art = dest / "regulations" / "alpha" / "backup.zh-Hant.md"
    text = art.read_text(encoding="utf-8")
    art.write_text(
        text.replace("id: backup\n", "id: backup\n" + PER_LANGUAGE_HISTORY, 1), encoding="utf-8"
    )
    return dest


def test_localized_note_survives_pickling():
    """The PDF builder sends the model to worker processes: the note must keep its translations."""
    note = LocalizedNote({"zh-Hant": "首次發布。", "en": "First published."})
    back = pickle.loads(pickle.dumps(note))
    assert isinstance(back, LocalizedNote)
    assert back == "首次發布。"
    assert localized_note(back, "en") == ("First published.", "en")


@pytest.mark.pdf
def test_pdf_build_with_a_per_language_history_note(tmp_path, capsys):
    from tests.test_pdf import build

    docs = with_localized_history(PDF_DOCS, tmp_path / "docs")
    comp, problems = load(DirTree(docs))
    assert not problems.errors
    note = comp.regulations["alpha"].articles["backup"].history[0].note
    assert localized_note(note, "en")[0] == "First published."
    out = tmp_path / "pdf"
    assert build(docs, out, "--release", "2026.1", "-q", "--only", "compendium") == 0, (
        capsys.readouterr().err
    )
    assert (out / "compendium-zh-Hant.pdf").stat().st_size > 0
    assert (out / "compendium-en.pdf").stat().st_size > 0


# -- duty summaries keep their cross references ----------------------------------


def with_duty_references(docs: Path, dest: Path) -> Path:
    """A copy of ``docs`` whose alpha/backup duty summaries name the retention article."""
    shutil.copytree(docs, dest)
    folder = dest / "regulations" / "alpha"
    for name, old, new in [
        ("backup.zh-Hant.md", "每週檢查備份。", "每週檢查備份，並依[[retention]]保存。"),
        (
            "backup.en.md",
            "checks the backups weekly.",
            "checks the backups weekly, keeping them as [[retention]] requires.",
        ),
    ]:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return dest


def test_role_page_duty_summary_links_the_referenced_article(tmp_path):
    from compendium.site.render import Renderer

    comp, problems = load(DirTree(with_duty_references(PDF_DOCS, tmp_path / "docs")))
    assert not problems.errors, problems.sorted()
    url = lambda src, anchor: f"/{src}#{anchor}"  # noqa: E731
    _, zh = Renderer(comp, "zh-Hant", role_url=lambda r: r).role_page("ops-dept", url)
    assert "，並依" in zh
    assert '並依<a class="xref" href="/regulations/alpha/index.md#retention">第四條</a>保存' in zh
    assert "[[" not in zh
    assert "備份 第三條" not in zh and "第三條 備份</a>：" in zh  # full-width colon
    _, en = Renderer(comp, "en", role_url=lambda r: r).role_page("ops-dept", url)
    assert 'keeping them as <a class="xref" href="/regulations/alpha/index.md#retention">' in en
    assert "[[" not in en


def test_duty_summary_reference_is_escaped_around(tmp_path):
    from compendium.roles.summaries import duty_html
    from compendium.site.render import inline

    html = duty_html(
        "<b>x</b> [[a]] [[gone]]",
        "r",
        lambda r, a, s: "第一條" if a == "a" else None,
        lambda r, a: "#a",
        inline().xref,
    )
    assert html == '&lt;b&gt;x&lt;/b&gt; <a class="xref" href="#a">第一條</a> [[gone]]'


def test_check_reports_unknown_references_in_duty_summaries(tmp_path):
    docs = with_duty_references(PDF_DOCS, tmp_path / "docs")
    path = docs / "regulations" / "alpha" / "backup.zh-Hant.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[[retention]]", "[[nowhere]]"), encoding="utf-8"
    )
    _, problems = load(DirTree(docs))
    found = [str(p) for p in problems.sorted()]
    assert any(
        p.startswith(
            "docs/regulations/alpha/backup.zh-Hant.md:6: cross reference '[[nowhere]]' "
            "in the duty summary for 'ops-dept' is unresolved: no article 'nowhere'"
        )
        for p in found
    ), found


@pytest.mark.pdf
def test_pdf_duty_summaries_show_linked_article_numbers(tmp_path, capsys):
    from tests.test_pdf import build, flat, pages_text

    docs = with_duty_references(PDF_DOCS, tmp_path / "docs")
    out = tmp_path / "pdf"
    assert build(docs, out, "--release", "2026.1", "-q", "--only", "compendium") == 0, (
        capsys.readouterr().err
    )
    zh = flat("".join(pages_text(out / "compendium-zh-Hant.pdf")))
    assert "並依第四條保存" in zh and "[[" not in zh
    assert "組織架構圖" in zh.split("職責索引")[-1]  # the chart, drawn in the roles index
    en = " ".join(" ".join(pages_text(out / "compendium-en.pdf")).split())
    assert "keeping them as Article 4 requires" in en and "[[" not in en
    assert "Organisation chart Operations Department" in en


# -- page details ------------------------------------------------------------------


def test_finish_page_localizes_permalinks_and_drops_head_alternates():
    from compendium.site.pagehtml import finish_page

    html = (
        '<html><head>\n  <link rel="alternate" href="../en/x/" hreflang="en">\n</head><body>'
        '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
        '<a href="../en/x/" hreflang="en" class="md-select__link">English</a></body></html>'
    )
    zh = finish_page(html, "zh-Hant")
    assert 'title="永久連結"' in zh and "Permanent link" not in zh
    assert 'rel="alternate"' not in zh  # Material fetched a sitemap.xml beside each one
    assert 'class="md-select__link"' in zh  # the language selector stays
    assert 'title="Permanent link"' in finish_page(html, "en")


@pytest.mark.build
def test_built_chinese_pages_have_no_english_permalink_titles(mini_site):
    for rel in ("regulations/alpha/index.html", "roles/ops-dept/index.html", "index.html"):
        zh = (mini_site / rel).read_text(encoding="utf-8")
        assert 'class="headerlink"' in zh and "Permanent link" not in zh, rel
        assert 'title="永久連結"' in zh, rel
    en = (mini_site / "en/regulations/alpha/index.html").read_text(encoding="utf-8")
    assert 'title="Permanent link"' in en


def test_org_chart_layout_nests_children_under_their_unit():
    from compendium.roles.orgchart import layout

    comp, _ = load(DirTree(ROOT / "docs"))
    chart = layout(comp, "en")
    assert any(n.depth >= 2 for n in chart.nodes)
    by_id = {n.id: n for n in chart.nodes}
    assert set(by_id) == set(comp.roles)
    for role in comp.roles.values():
        if role.parent in by_id:
            parent, child = by_id[role.parent], by_id[role.id]
            assert child.depth == parent.depth + 1 and child.y > parent.y and child.x > parent.x
    assert all(n.x + n.width <= chart.width and n.y + n.height <= chart.height for n in chart.nodes)
    assert len({n.y for n in chart.nodes}) == len(chart.nodes)  # one row each: no overlap


@pytest.mark.build
def test_jieba_builds_its_dictionary_once_per_build(tmp_path):
    """What ``mkdocs build`` prints, so run as the command (a process of its own)."""
    import subprocess
    import sys

    from tests.conftest import FIXTURES, make_project

    proj = make_project(tmp_path, FIXTURES / "mini" / "docs")
    cmd = [sys.executable, "-m", "mkdocs", "build"]
    result = subprocess.run(cmd, cwd=proj, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # Pagefind's indexer loads jieba quietly; the bench's Material variant sets it up once.
    assert result.stderr.count("Building prefix dict") < 2, result.stderr
    assert "search index:" in result.stderr


@pytest.mark.pdf
def test_pdf_progress_lines_name_the_final_paths(tmp_path, capsys):
    from tests.test_pdf import build

    out = tmp_path / "site.tmp" / "pdf"
    assert (
        build(PDF_DOCS, out, "--only", "compendium", "--lang", "en", "--final-out", "site/pdf") == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("site/pdf/compendium-en.pdf: "), lines
    assert "site.tmp" not in "\n".join(lines)


def test_articles_changed_in_the_latest_release_carry_a_badge_to_their_redline():
    from compendium.changes.history import ArticleRevision, ArticleRevisions
    from compendium.site.render import Renderer

    comp, _ = load(DirTree(PDF_DOCS))
    history = {
        ("alpha", "backup"): ArticleRevisions(
            [ArticleRevision(None, "2026.2", ("amended",))], "2026.2", ("amended",), "c-backup"
        ),
        ("alpha", "retention"): ArticleRevisions(
            [ArticleRevision(None, "2026.2", ("added",))], "2026.2", ("added",), "c-retention"
        ),
        ("alpha", "scope"): ArticleRevisions([], "2026.2", ()),
    }
    for lang, amended, added in (("zh-Hant", "修正", "新增"), ("en", "Amended", "New")):
        r = Renderer(
            comp, lang, article_history=history, redline_url=lambda f, n: f"../releases/{f}/{n}"
        )
        _, md = r.regulation_page("alpha", lambda src, anchor: f"/{src}#{anchor}")
        assert (
            f'<a class="status-badge" href="../releases/2026.2/redline.{lang}.html#c-backup"' in md
        )
        assert f">{amended}</a>" in md and f">{added}</a>" in md
        assert md.count('class="article-status') == 2  # scope: unchanged, no badge


@pytest.mark.build
def test_side_by_side_text_is_on_the_page_but_not_in_search(mini_site):
    zh = (mini_site / "regulations/alpha/index.html").read_text(encoding="utf-8")
    assert '<div class="article-other" data-lang="en" lang="en" data-pagefind-ignore="all">' in zh
    assert "data-bilingual-toggle" in zh
    assert '<script src="../../assets/javascripts/compendium.js"></script>' in zh  # external
    # That the hidden text stays out of the search index: test_search_browser.py


@pytest.mark.pdf
def test_bilingual_edition_pairs_every_article_with_its_translation(tmp_path, capsys):
    from pypdf import PdfReader

    from tests.test_pdf import build, pages_text

    out = tmp_path / "pdf"
    assert build(PDF_DOCS, out, "--only", "compendium", "-q") == 0, capsys.readouterr().err
    pdf = out / "compendium-bilingual.pdf"
    pages = pages_text(pdf, layout=True)
    assert "規章制度匯編" in pages[0] and "Compendium of Rules and Regulations" in pages[0]
    body = "\n".join(pages[1:])
    # each row holds the Chinese article and the English one, side by side on one line
    rows = [line for line in body.splitlines() if "第三條" in line and "Article 3" in line]
    assert rows, body[:2000]
    assert body.index("第一條") < body.index("第二條") < body.index("第三條")
    assert "Article 3-1" in body  # the inserted article, in its own row
    titles = [o.title for o in PdfReader(str(pdf)).outline if not isinstance(o, list)]
    assert any("甲管理制度" in t for t in titles), titles


@pytest.mark.build
def test_home_page_links_the_bilingual_edition(mini_site):
    zh = (mini_site / "index.html").read_text(encoding="utf-8")
    assert 'class="pdf-bilingual" href="pdf/compendium-bilingual.pdf"' in zh and "中英對照版" in zh
    en = (mini_site / "en/index.html").read_text(encoding="utf-8")
    assert 'href="../pdf/compendium-bilingual.pdf"' in en and "Chinese–English edition" in en


def test_site_article_history_shows_the_note_in_the_page_language(tmp_path):
    from compendium.changes.history import article_revisions, release_history
    from compendium.site.render import Renderer

    docs = with_localized_history(PDF_DOCS, tmp_path / "docs")
    comp, _ = load(DirTree(docs))
    info = article_revisions(release_history(tmp_path, "docs", current=comp), comp)
    for lang, note in (("zh-Hant", "首次發布。"), ("en", "First published.")):
        _, md = Renderer(comp, lang, article_history=info).regulation_page(
            "alpha", lambda src, anchor: "#"
        )
        assert f'<span class="note" lang="{lang}">{note}</span>' in md


def test_renderers_share_one_compiled_template_environment():
    """Templates compile once per build, not once per page (a build-time regression)."""
    from compendium.site.render import Renderer

    comp, _ = load(DirTree(PDF_DOCS))
    first, second = Renderer(comp, "en"), Renderer(comp, "en")
    assert first.env is second.env
    assert Renderer(comp, "zh-Hant").env is not first.env  # the date filter is per language


def test_body_cache_reuses_bodies_only_when_their_links_are_the_same():
    from compendium.site.render import Renderer

    comp, _ = load(DirTree(PDF_DOCS))
    reg = comp.regulations["beta"]
    cache: dict = {}
    calls = []

    def url_a(src, anchor):
        calls.append(src)
        return f"/a/{src}#{anchor}"

    def renderer():
        return Renderer(comp, "en", role_url=lambda r: f"/roles/{r}/", body_cache=cache)

    first = renderer().article_bodies(reg, url_a)
    assert any("/a/regulations/alpha/index.md#" in b for b in first.values()), first
    converted = len(calls)
    again = renderer().article_bodies(reg, url_a)
    assert again == first and len(calls) > converted  # the links were checked, not converted
    other = renderer().article_bodies(reg, lambda src, anchor: f"/b/{src}#{anchor}")
    assert any("/b/regulations/alpha/index.md#" in b for b in other.values())
    assert not any("/a/" in b for b in other.values())
    plain = Renderer(comp, "en", role_url=lambda r: f"/roles/{r}/").article_bodies(reg, url_a)
    assert plain == first  # the cache changes nothing in the result
