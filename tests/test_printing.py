"""Print assembly without a PDF engine: packs.yml validation and the print HTML (fast)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compendium.printing.assembly import BuildInfo, Printer
from compendium.source.loader import load
from compendium.source.packs import load_packs
from compendium.source.tree import DirTree, MemoryTree

HERE = Path(__file__).parent
FIXTURE_DOCS = HERE / "fixtures" / "pdf" / "docs"
BASE = "file:///build/"


def fixture_files() -> dict[str, str]:
    return {
        p.relative_to(FIXTURE_DOCS).as_posix(): p.read_text(encoding="utf-8")
        for p in FIXTURE_DOCS.rglob("*")
        if p.is_file()
    }


def packs_problems(packs_yml: str) -> list[str]:
    files = fixture_files()
    files["packs.yml"] = packs_yml
    tree = MemoryTree(files)
    comp, problems = load(tree)
    assert not problems.errors
    _, pack_problems = load_packs(tree, comp)
    return [str(p) for p in pack_problems.sorted()]


@pytest.fixture(scope="module")
def comp():
    comp, problems = load(DirTree(FIXTURE_DOCS, display_root="docs"))
    assert not problems.errors
    return comp


@pytest.fixture(scope="module")
def packs(comp):
    packs, problems = load_packs(DirTree(FIXTURE_DOCS, display_root="docs"), comp)
    assert not problems.items
    return {p.id: p for p in packs}


# -- packs.yml -----------------------------------------------------------------------


def test_fixture_packs_resolve_to_articles_in_order(packs):
    op = packs["operator"]
    assert op.roles == ["ops-dept", "all-employees"]
    assert [p.kind for p in op.parts] == ["general-provisions", "duties", "regulation"]
    assert op.parts[0].articles == [
        ("alpha", "purpose"),
        ("alpha", "scope"),
        ("beta", "intro"),
        ("beta", "principles"),
    ]
    assert op.parts[1].articles == [("alpha", "scope"), ("alpha", "backup")]
    assert op.parts[2].articles[:3] == [
        ("alpha", "purpose"),
        ("alpha", "scope"),
        ("alpha", "backup"),
    ]
    everyone = packs["everyone"]
    assert everyone.article_keys() == [("alpha", "scope"), ("beta", "principles")]
    assert everyone.parts[1].title == {"zh-Hant": "工作原則", "en": "Working Principles"}


PACK = """packs:
  - id: p
    title: {zh-Hant: 甲, en: A}
    roles: [all-employees]
    contents:
%s
"""


@pytest.mark.parametrize(
    "contents, expected",
    [
        (
            "      - duties\n      - regulation: gamma",
            "docs/packs.yml:7: unknown regulation 'gamma' "
            "(expected the id of a folder in docs/regulations/)",
        ),
        (
            "      - regulation: alpha\n        chapters: [general, nope]",
            "docs/packs.yml:7: unknown chapter 'nope' in regulation 'alpha' "
            "(expected one of: general, data)",
        ),
        (
            "      - articles: [alpha/purpose, alpha/nope, beta]",
            "docs/packs.yml:6: unknown article 'alpha/nope' "
            "(expected '<regulation-id>/<article-id>' of an existing article)",
        ),
        (
            "      - everything",
            "docs/packs.yml:6: unknown pack part 'everything' (expected 'general-provisions', "
            "'duties', a mapping with 'regulation' (and optionally 'chapters'), "
            "or a mapping with 'articles')",
        ),
        (
            "      - regulation: alpha\n        order: reverse",
            "docs/packs.yml:7: unknown field 'order' in a 'regulation' part "
            "(expected one of: chapters, regulation, title)",
        ),
        (
            "      - regulation: alpha\n        title: {zh-Hant: 甲}",
            "docs/packs.yml:7: part title has no en text (expected a line 'en: ...')",
        ),
    ],
)
def test_bad_contents_are_reported_with_file_and_line(contents, expected):
    problems = packs_problems(PACK % contents)
    assert expected in problems, problems


def test_pack_level_problems():
    text = """packs:
  - id: Bad_Id
    title: {zh-Hant: 甲}
    roles: [nobody]
    contents: []
    extra: 1
  - id: twice
    title: {zh-Hant: 乙, en: B}
    roles: [all-employees]
    contents: [duties]
  - id: twice
    title: {zh-Hant: 乙, en: B}
    roles: [all-employees]
    contents: [duties]
"""
    problems = packs_problems(text)
    for expected in (
        "docs/packs.yml:2: invalid pack id 'Bad_Id' "
        "(expected lower-case letters, digits and single hyphens, at most 64 characters, "
        "not starting with ch-, sec-, art-; e.g. 'data-backup')",
        "docs/packs.yml:3: pack title has no en text (expected a line 'en: ...')",
        "docs/packs.yml:4: unknown role 'nobody' (expected a role id from docs/roles.yml)",
        "docs/packs.yml:5: field 'contents' must be a non-empty list of parts "
        "(general-provisions, duties, regulation, articles)",
        "docs/packs.yml:6: unknown field 'extra' (expected one of: contents, id, roles, title)",
        "docs/packs.yml:11: duplicate pack id 'twice' (first at line 7)",
    ):
        assert expected in problems, problems


def test_malformed_yaml_and_empty_selection():
    assert packs_problems("packs:\n  - id: [\n")[0].startswith("docs/packs.yml:3: malformed YAML")
    assert packs_problems("pack: []\n") == [
        "docs/packs.yml:1: expected a mapping with a 'packs' list"
    ]
    nothing = PACK.replace("all-employees", "ops-dept") % "      - articles: [beta/intro]"
    assert packs_problems(nothing) == []
    empty = """packs:
  - id: p
    title: {zh-Hant: 甲, en: A}
    roles: [all-employees]
    contents: [duties]
"""
    files = fixture_files()
    for rel in ("regulations/alpha/scope.zh-Hant.md",):
        files[rel] = (
            files[rel]
            .replace("roles: [all-employees]\n", "")
            .replace("duties:\n  all-employees: 遵守本制度的數據管理規定。\n", "")
        )
    files["regulations/alpha/scope.en.md"] = files["regulations/alpha/scope.en.md"].replace(
        "duties:\n  all-employees: Comply with the data management rules of this Regulation.\n", ""
    )
    files["packs.yml"] = empty
    tree = MemoryTree(files)
    comp, problems = load(tree)
    assert not problems.errors, problems.errors
    _, pack_problems = load_packs(tree, comp)
    assert [str(p) for p in pack_problems.sorted()] == [
        "docs/packs.yml:5: pack 'p' selects no article "
        "(expected contents that select at least one article)"
    ]


def test_the_shipped_packs_are_valid():
    root = HERE.parent / "docs"
    tree = DirTree(root, display_root="docs")
    comp, _ = load(tree)
    packs, problems = load_packs(tree, comp)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert len(packs) >= 2
    for pack in packs:
        assert pack.roles and pack.article_keys()


# -- print HTML ----------------------------------------------------------------------


def test_compendium_html_uses_site_numbers_prefixed_ids_and_internal_links(comp):
    doc = Printer(comp, "zh-Hant", BuildInfo(release="2026.1"), BASE).compendium()
    html = doc.html
    assert doc.name == "compendium-zh-Hant" and '<html lang="zh-Hant">' in html
    assert 'id="alpha--art-3-1"' in html  # the number anchor, as on the site
    assert '<h4 class="print-article" id="alpha--backup-offsite">' in html
    assert '<h2 class="print-chapter" id="alpha--ch-data">' in html
    assert '<h3 class="print-section" id="alpha--sec-storage">' in html
    assert '<a class="xref" href="#alpha--backup">第三條</a>' in html
    assert '<a class="xref" href="#beta--intro">《乙管理辦法》一（一）</a>' in html
    assert re.findall(r'<span class="item-no">([^<]+)</span>', html)[:5] == [
        "一、",
        "二、",
        "（一）",
        "（二）",
        "三、",
    ]
    assert 'href="#role-all-employees"' in html and 'id="role-all-employees"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids in the print HTML"
    assert "<title>規章制度匯編</title>" in html and '<meta name="author"' in html


def test_pack_html_never_renumbers_and_points_back_to_earlier_parts(comp, packs):
    html = Printer(comp, "en", BuildInfo(commit="abc1234"), BASE).pack(packs["operator"]).html
    nums = re.findall(r'<span class="num"[^>]*>([^<]+)</span>', html)
    assert "Article 3-1" in nums and "Article 5" in nums and nums.count("Article 1") == 1
    assert re.search(r'<a class="seen-ref" href="#p1--alpha--purpose">Article 1</a>', html)
    assert '<a class="xref" href="#p2--alpha--backup">Article 3</a>' in html  # into another part
    assert "First Rule" not in html
    assert 'id="duties-ops-dept"' in html and 'href="#duties-ops-dept"' in html
    assert "draft, commit abc1234" in html


def _with_resources():
    files = fixture_files()
    files["regulations/alpha/access.zh-Hant.md"] = (
        "---\nid: access\ncaption: 見[網頁](other.md)\n---\n數據存取權限由運營部門核定。\n\n"
        "![圖](img/chart.png)\n\n"
        '![](/etc/passwd)<base href="file:///etc/">\n'
        "[其他](other.pdf) [網站](https://example.com/)\n"
        '<a rel="attachment" href="../../../../secret.txt">附件</a>\n'
    )
    comp, problems = load(MemoryTree(files, display_root="docs"))
    assert not problems.errors
    return comp


def _bilingual(comp):
    from compendium.printing.bilingual import bilingual_document

    return bilingual_document(comp, BuildInfo(), BASE)


@pytest.mark.parametrize(
    "document",
    [lambda comp: Printer(comp, "zh-Hant", BuildInfo(), BASE).compendium(), _bilingual],
    ids=["compendium", "bilingual"],
)
def test_resources_are_rewritten_into_the_build_and_traced_to_their_article(document):
    doc = document(_with_resources())
    assert 'src="regulations/alpha/img/chart.png"' in doc.html
    assert "<base" not in doc.html
    assert "<a>其他</a>" in doc.html and 'href="https://example.com/"' in doc.html
    path = "docs/regulations/alpha/access.zh-Hant.md"
    assert doc.sources["file:///build/regulations/alpha/img/chart.png"] == [f"{path}:7"]
    assert doc.sources["file:///etc/passwd"] == [f"{path}:9"]
    # raw HTML (refused by validation) is shown as text and never fetched
    assert "&lt;a rel=" in doc.html and "file:///secret.txt" not in doc.sources
    assert 'href="other.md"' not in doc.html  # a site page, named in a caption


def test_release_wording():
    assert BuildInfo(release="2026.1").release_text("zh-Hant") == "2026.1 版"
    assert BuildInfo(release="2026.1").release_text("en") == "Release 2026.1"
    assert BuildInfo(commit="1a2b3c4").release_text("zh-Hant") == "草稿（提交 1a2b3c4）"
    assert BuildInfo(commit="1a2b3c4").release_text("en") == "Draft (commit 1a2b3c4)"
    assert BuildInfo().release_text("en") == "Draft"
    assert BuildInfo(commit="1a2b3c4").release_phrase("en") == "draft, commit 1a2b3c4"
    assert BuildInfo(release="2026.1").release_phrase("en") == "release 2026.1"
    assert BuildInfo(release="2026.1").release_value("zh-Hant") == "2026.1"
    modified = BuildInfo(commit="1a2b3c4", modified=True)
    assert modified.release_text("zh-Hant") == "草稿（提交 1a2b3c4，另有未提交之修改）"
    assert modified.release_phrase("en") == "draft, commit 1a2b3c4 with uncommitted changes"


def test_site_download_links_name_every_pdf(comp, packs):
    from compendium.printing.assembly import pdf_downloads
    from compendium.site.render import Renderer

    renderer = Renderer(comp, "en")
    ctx = pdf_downloads(comp, list(packs.values()), "en", lambda name: f"../pdf/{name}")
    html = renderer.render_template("pdf_downloads.html", **ctx)
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs == [
        "../pdf/compendium-en.pdf",
        "../pdf/compendium-zh-Hant.pdf",
        "../pdf/compendium-bilingual.pdf",
        "../pdf/pack-operator-en.pdf",
        "../pdf/pack-operator-zh-Hant.pdf",
        "../pdf/pack-everyone-en.pdf",
        "../pdf/pack-everyone-zh-Hant.pdf",
    ]
    assert "Onboarding Pack for Operators (Operations Department, All Employees)" in html
