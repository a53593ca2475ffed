"""The printed compendium and onboarding packs: PDFs checked with poppler and pypdf.

The fixture compendium (tests/fixtures/pdf/docs) is built once per session with
scripts/build_pdf.py; one test builds the real docs/. Needs poppler-utils
(pdftotext, pdffonts, pdfimages) and the Noto CJK fonts (`make sysdeps-test`).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from compendium import LANGUAGES
from compendium.printing import assembly
from compendium.printing.parts import PART_MARK, Part, split, with_page_numbers
from compendium.source.loader import load
from compendium.source.packs import load_packs
from compendium.source.tree import DirTree

pytestmark = pytest.mark.pdf

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURE_DOCS = HERE / "fixtures" / "pdf" / "docs"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_pdf = _load_script("build_pdf")


def pages_text(pdf: Path, layout: bool = False) -> list[str]:
    """The text of every page (pdftotext splits pages with form feeds)."""
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Text without whitespace: pdftotext spaces CJK and line breaks unpredictably."""
    return re.sub(r"\s+", "", text)


def outline(pdf: Path) -> list[tuple[int, str]]:
    """Bookmarks as (depth, title), depth 0 at the top."""
    out: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(PdfReader(str(pdf)).outline, 0)
    return out


def fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def in_order(text: str, items: list[str]) -> list[str]:
    """The items not found in ``text`` one after the other (each after the previous one)."""
    missing, pos = [], 0
    for item in items:
        found = text.find(item, pos)
        if found < 0:
            missing.append(item)
        else:
            pos = found + len(item)
    return missing


def page_footer_ok(text: str, page: int, total: int, lang: str) -> bool:
    if lang == "zh-Hant":
        return re.search(rf"第\s*{page}\s*頁\s*/\s*共\s*{total}\s*頁", text) is not None
    return f"Page {page} of {total}" in text


def build(docs: Path, out: Path, *extra: str) -> int:
    return build_pdf.main(
        [str(docs), "--out", str(out), "--date", "2026-11-22", "--jobs", "2", *extra]
    )


@pytest.fixture(scope="session")
def fixture_pdfs(tmp_path_factory) -> Path:
    """Rendered in parts with a part cache, as `make site` does."""
    base = tmp_path_factory.mktemp("pdf")
    out = base / "pdf"
    assert build(FIXTURE_DOCS, out, "--release", "2026.1", "-q", "--cache", str(base / "c")) == 0
    return out


def build_whole(
    docs: Path, out: Path, release: str | None = None, commit: str | None = None, **only: str
) -> Path:
    """Every PDF of ``docs`` rendered whole, in one WeasyPrint document each: the
    reference the build in parts must read like (``only``: ``pack`` and ``lang``)."""
    from compendium import TEMPLATES as DEFAULT_TEMPLATES
    from compendium.printing.buildinfo import build_info
    from compendium.printing.pdf import (
        document_of,
        plan,
        render_pdf,
        stage_build_dir,
    )

    tree = DirTree(docs)
    comp, _ = load(tree)
    packs, _ = load_packs(tree, comp)
    info = build_info(docs, release, commit, "2026-11-22")
    langs = [only["lang"]] if "lang" in only else list(LANGUAGES)
    chosen = [p for p in packs if only.get("pack", p.id) == p.id]
    build_dir = stage_build_dir(docs, out.parent / f"{out.name}-build")
    base = build_dir.resolve().as_uri() + "/"
    out.mkdir(parents=True, exist_ok=True)
    for job in plan(chosen, langs, compendium="pack" not in only):
        doc = document_of(comp, job, info, base, DEFAULT_TEMPLATES, parts=False)
        render_pdf(doc, build_dir, out / f"{doc.name}.pdf")
    return out


@pytest.fixture(scope="session")
def whole_pdfs(tmp_path_factory) -> Path:
    """Each PDF of the fixture rendered whole, in one WeasyPrint document."""
    return build_whole(FIXTURE_DOCS, tmp_path_factory.mktemp("pdf-whole") / "pdf", "2026.1")


@pytest.fixture(scope="session")
def real_pdfs(tmp_path_factory, docs_dir) -> Path:
    base = tmp_path_factory.mktemp("real-pdf")
    out = base / "pdf"
    assert build(docs_dir, out, "--commit", "abc1234", "-q", "--cache", str(base / "c")) == 0
    return out


# -- the files -------------------------------------------------------------------


def test_every_pdf_is_written_and_nothing_half_written_is_left(fixture_pdfs):
    names = sorted(p.name for p in fixture_pdfs.iterdir())
    assert names == sorted(
        [
            "compendium-bilingual.pdf",
            "compendium-en.pdf",
            "compendium-zh-Hant.pdf",
            "pack-everyone-en.pdf",
            "pack-everyone-zh-Hant.pdf",
            "pack-operator-en.pdf",
            "pack-operator-zh-Hant.pdf",
        ]
    )
    for pdf in fixture_pdfs.iterdir():
        assert pdf.read_bytes().startswith(b"%PDF-")


# -- numbering and text ------------------------------------------------------------


def test_chinese_numbering_matches_the_site(fixture_pdfs):
    text = flat("".join(pages_text(fixture_pdfs / "compendium-zh-Hant.pdf", layout=True)[2:]))
    order = [
        "甲管理制度",
        "第一章總則",
        "第一條",
        "第二條",
        "第二章數據管理",
        "第一節儲存",
        "第三條備份",
        "一、每日備份數據",
        "（一）檢查完整性",
        "（二）檢查可讀性",
        "三、保存紀錄",
        "第三條之一",
        "第四條",
        "第二節使用",
        "第五條",
        "乙管理辦法",
        "一、總則",
        "（一）目的",
        "（二）基本原則",
        "1.合法性原則",
        "二、規則",
        "（一）第一規則",
    ]
    assert in_order(text, order) == []
    # cross references show the localized number of their target
    assert "數據備份依第三條辦理，另見《乙管理辦法》一（一）" in text
    assert "參照《甲管理制度》第三條" in text


def test_english_numbering_matches_the_site(fixture_pdfs):
    text = " ".join(
        " ".join(pages_text(fixture_pdfs / "compendium-en.pdf", layout=True)[2:]).split()
    )
    order = [
        "Alpha Management Regulation",
        "Chapter 1 General Provisions",
        "Article 1",
        "Article 2",
        "Chapter 2 Data Management",
        "Section 1 Storage",
        "Article 3 Backup",
        "(1) back up data daily",
        "(a) for completeness",
        "(b) for readability",
        "(3) keep records",
        "Article 3-1",
        "Article 4",
        "Section 2 Use",
        "Article 5",
        "Beta Management Measures",
        "I. General Provisions",
        "1. Purpose",
        "2. Basic Principles",
        "(a) Legality",
        "II. Rules",
        "1. First Rule",
    ]
    assert in_order(text, order) == []
    assert "Data backup follows Article 3; see also I.1 of the Beta Management Measures" in text
    # an untranslated article shows the Chinese text with a notice
    assert "數據存取權限由運營部門核定" in flat(text)


def test_cover_names_title_release_effective_and_build_date(fixture_pdfs):
    zh = flat(pages_text(fixture_pdfs / "compendium-zh-Hant.pdf")[0])
    for s in ("規章制度匯編", "版次2026.1", "生效日期2026年3月1日", "製作日期2026年11月22日"):
        assert s in zh
    en = " ".join(pages_text(fixture_pdfs / "compendium-en.pdf")[0].split())
    for s in (
        "Compendium of Rules and Regulations",
        "Release 2026.1",
        "Effective 1 March 2026",
        "Built on 22 November 2026",
    ):
        assert s in en


def test_draft_builds_say_draft_and_name_the_commit(tmp_path):
    out = tmp_path / "pdf"
    assert build(FIXTURE_DOCS, out, "--commit", "1a2b3c4", "--only", "compendium", "-q") == 0
    zh = pages_text(out / "compendium-zh-Hant.pdf")
    assert "草稿（提交 1a2b3c4）" in zh[0] and "草稿（提交 1a2b3c4）" in zh[1]
    en = pages_text(out / "compendium-en.pdf")
    assert "Draft (commit 1a2b3c4)" in en[0] and "Draft (commit 1a2b3c4)" in en[-1]


@pytest.mark.parametrize(
    "name, lang",
    [
        ("compendium-zh-Hant.pdf", "zh-Hant"),
        ("compendium-en.pdf", "en"),
        ("pack-operator-zh-Hant.pdf", "zh-Hant"),
        ("pack-everyone-en.pdf", "en"),
    ],
)
def test_every_page_after_the_cover_has_its_number_and_the_release(fixture_pdfs, name, lang):
    pages = pages_text(fixture_pdfs / name)
    total = len(pages)
    assert total >= 4
    assert not page_footer_ok(pages[0], 1, total, lang)  # the cover is not numbered
    for n, text in enumerate(pages[1:], start=2):
        assert page_footer_ok(text, n, total, lang), f"page {n} of {name} has no page number"
        assert "2026.1" in text, f"page {n} of {name} does not show the release"


def _released_project(tmp_path: Path) -> Path:
    """The fixture with a release record of its content and a site_url in mkdocs.yml."""
    import datetime as dt

    from compendium.source.ledger import (
        Approval,
        ReleaseRecord,
        digests_of,
        folder_files,
        record_text,
    )

    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    sources, per_reg = digests_of(folder_files(docs))
    record = ReleaseRecord(
        "2026.1",
        dt.date(2026, 2, 1),
        Approval({"zh-Hant": "董事會", "en": "Board"}, dt.date(2026, 1, 20)),
        dt.date(2026, 3, 1),
        {"zh-Hant": "", "en": ""},
        sources,
        per_reg,
    )
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "2026.1.yml").write_text(record_text(record), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_url: https://rules.example.org/\n", "utf-8")
    return docs


def test_controlled_copy_footers_name_release_digest_and_page_n_of_n(tmp_path):
    from compendium.source.ledger import load_records, short_digest

    docs = _released_project(tmp_path)
    records, problems = load_records(tmp_path / "releases")
    assert not problems.items
    digest = short_digest(records[0].sources)
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert build(docs, out, "--release", "2026.1", "--only", "everyone", "-q") == 0
    for lang, words in (("zh-Hant", "摘要"), ("en", "digest")):
        name = f"pack-everyone-{lang}.pdf"
        pages = pages_text(outs[0] / name)
        cover = " ".join(pages[0].split())
        assert "https://rules.example.org/" in cover and f"{words} {digest}" in cover
        for n, text in enumerate(pages[1:], start=2):
            assert page_footer_ok(text, n, len(pages), lang), f"page {n} of {name}"
            assert "2026.1" in text and f"{words} {digest}" in text, f"page {n} of {name}"
        # the pages of a regulation name it: code, short title, in-force date
        assert any(re.search(r"B-01 · \S.* · .*(施行|in force)", p) for p in pages), name
        # same inputs, same bytes: nothing on the page comes from the clock
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_running_header_names_the_regulation(fixture_pdfs):
    pages = pages_text(fixture_pdfs / "compendium-zh-Hant.pdf")
    beta_pages = [p for p in pages if "乙管理辦法" in p and "（一）目的" in p]
    assert beta_pages and all("B-01 · 乙管理辦法" in p for p in beta_pages)


def test_contents_page_numbers_point_at_the_right_pages(fixture_pdfs):
    for name, entry, heading in (
        ("compendium-zh-Hant.pdf", "乙管理辦法", "（一）目的"),
        ("compendium-en.pdf", "Beta Management Measures", "1. Purpose"),
    ):
        pages = pages_text(fixture_pdfs / name, layout=True)
        toc = next(line for line in pages[1].splitlines() if entry in line)
        number = int(re.search(r"(\d+)\s*$", toc).group(1))
        assert re.search(r"(\.\s?){10}", toc)  # the leader
        assert heading in pages[number - 1]
        assert heading not in pages[number - 2]


def test_text_layer_is_real_unicode(fixture_pdfs):
    text = "".join(pages_text(fixture_pdfs / "compendium-zh-Hant.pdf"))
    assert "員工" in text
    assert not re.search("[\u2f00-\u2fdf\u2e80-\u2eff]", text), "CJK radicals instead of characters"


# -- bookmarks, links, metadata, fonts --------------------------------------------------


def test_bookmarks_are_regulation_chapter_article(fixture_pdfs):
    zh = outline(fixture_pdfs / "compendium-zh-Hant.pdf")
    assert zh == [
        (0, "甲管理制度"),
        (1, "第一章 總則"),
        (2, "第一條"),
        (2, "第二條"),
        (1, "第二章 數據管理"),
        (2, "第一節 儲存"),
        (3, "第三條 備份"),
        (3, "第三條之一"),
        (3, "第四條"),
        (2, "第二節 使用"),
        (3, "第五條"),
        (0, "乙管理辦法"),
        (1, "一、總則"),
        (2, "（一）目的"),
        (2, "（二）基本原則"),
        (1, "二、規則"),
        (2, "（一）第一規則"),
        (0, "職責索引"),
        (1, "運營部門"),
        (1, "全體員工"),
    ]
    en = outline(fixture_pdfs / "compendium-en.pdf")
    assert len(en) == len(zh) == 20
    assert [d for d, _ in en] == [d for d, _ in zh]
    assert en[0] == (0, "Alpha Management Regulation") and en[6] == (3, "Article 3 Backup")


def test_cross_references_are_internal_links(fixture_pdfs):
    reader = PdfReader(str(fixture_pdfs / "compendium-zh-Hant.pdf"))
    dests, uris = set(), []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Dest") is not None:
                dests.add(str(annot["/Dest"]))
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert {"alpha--backup", "beta--intro", "beta--principles", "alpha--regulation"} <= dests
    # role mentions link, as on the site, here to the index of roles and duties
    assert {"role-ops-dept", "role-all-employees"} <= dests
    assert not uris  # no file:// links to the build folder


def test_metadata_title_language_author(fixture_pdfs):
    for name, lang, title in (
        ("compendium-zh-Hant.pdf", "zh-Hant", "規章制度匯編"),
        ("compendium-en.pdf", "en", "Compendium of Rules and Regulations"),
        ("pack-operator-en.pdf", "en", "Onboarding Pack for Operators"),
    ):
        reader = PdfReader(str(fixture_pdfs / name))
        assert reader.metadata.title == title
        assert reader.metadata.author
        assert str(reader.trailer["/Root"]["/Lang"]) == lang


def test_fonts_are_embedded_and_subset(fixture_pdfs):
    for name in ("compendium-zh-Hant.pdf", "compendium-en.pdf"):
        rows = fonts(fixture_pdfs / name)
        assert rows, f"{name} has no fonts"
        for row in rows:
            emb, sub = row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), f"{name}: font {row[0]} not embedded and subset"
            assert re.match(r"^[A-Z]{6}\+", row[0])
        assert any("CJK" in row[0] for row in rows)


# -- packs ---------------------------------------------------------------------------------


def test_pack_cover_duty_summary_and_original_numbers(fixture_pdfs):
    pages = pages_text(fixture_pdfs / "pack-operator-zh-Hant.pdf")
    cover = flat(pages[0])
    assert "運營人員入職資料" in cover and "適用對象運營部門、全體員工" in cover
    duty = flat(next(p for p in pages if "職責摘要" in p and "以下為本資料" in p))
    assert "運營部門" in duty and "第三條" in duty and "每日備份數據並每週檢查備份" in duty
    assert "全體員工" in duty and "第二條" in duty and "遵守本制度的數據管理規定" in duty
    body = flat("".join(pages[3:-1]))
    # articles keep their numbers; an article outside the pack is absent
    for s in (
        "第一條",
        "第二條",
        "第三條備份",
        "第三條之一",
        "第四條",
        "第五條",
        "（一）目的",
        "（二）基本原則",
    ):
        assert s in body
    assert "第一規則" not in body
    # an article selected twice is printed once; the later part points back to it
    assert body.count("為規範數據管理，制定本制度") == 1
    assert re.search(r"本規章下列條文已載於前文：第一條（見第\d+頁）", body)


def test_pack_duty_summary_page_numbers(fixture_pdfs):
    pages = pages_text(fixture_pdfs / "pack-operator-en.pdf", layout=True)
    summary = next(
        i for i, p in enumerate(pages) if "Summary of duties" in p and "Backs up data" in p
    )
    row = next(line for line in pages[summary].splitlines() if "Backs up data" in line)
    page = int(row.split()[-1])
    assert "Article 3 Backup" in " ".join(pages[page - 1].split())


def test_pack_leaves_out_unselected_articles_and_unlinks_references_to_them(fixture_pdfs):
    pdf = fixture_pdfs / "pack-everyone-zh-Hant.pdf"
    body = flat("".join(pages_text(pdf)[3:-1]))
    assert "本制度適用於全體員工。數據備份依第三條辦理" in body  # the number stays, as text
    assert "每日備份數據" not in body and "（二）基本原則" in body
    names = set()
    for page in PdfReader(str(pdf)).pages:
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                names.add(str(dest))
    assert not any(n.endswith("--backup") for n in names)


@pytest.mark.parametrize(
    "name, words",
    [
        (
            "pack-operator-zh-Hant.pdf",
            [
                "確認書",
                "本人確認已收到並詳細閱讀",
                "《甲管理制度》（A-01，第2.1版",
                "《乙管理辦法》（B-01，第1.0版",
                "（2026.1版）",
                "姓名",
                "員工編號",
                "部門",
                "日期",
                "簽名",
            ],
        ),
        (
            "pack-operator-en.pdf",
            [
                "Acknowledgement of Receipt",
                "I confirm that I have received and read",
                "Alpha Management Regulation (A-01, version 2.1",
                "release 2026.1",
                "Name",
                "Employee number",
                "Department",
                "Date",
                "Signature",
            ],
        ),
    ],
)
def test_pack_ends_with_an_acknowledgement_page(fixture_pdfs, name, words):
    pages = pages_text(fixture_pdfs / name)
    last = pages[-1]
    text = flat(last) if "zh-Hant" in name else " ".join(last.split())
    for w in words:
        assert (flat(w) if "zh-Hant" in name else w) in text, w
    top = outline(fixture_pdfs / name)
    assert top[-1][0] == 0 and top[-1][1] in ("確認書", "Acknowledgement of Receipt")


def test_pack_bookmarks_nest_parts_regulations_chapters_articles(fixture_pdfs):
    marks = outline(fixture_pdfs / "pack-operator-en.pdf")
    assert marks[0] == (0, "Summary of duties")
    assert (0, "General provisions of every regulation") in marks
    assert (1, "Alpha Management Regulation") in marks
    assert (2, "Chapter 1 General Provisions") in marks
    assert (3, "Article 1") in marks
    assert (4, "Article 3 Backup") in marks  # inside Section 1


# -- errors and safety ---------------------------------------------------------------------


def test_source_errors_stop_the_build_with_file_and_line(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    packs = docs / "packs.yml"
    packs.write_text(
        packs.read_text(encoding="utf-8").replace("roles: [all-employees]", "roles: [nobody]"),
        encoding="utf-8",
    )
    out = tmp_path / "pdf"
    assert build_pdf.main([str(docs), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"docs/packs\.yml:12: unknown role 'nobody'", err), err
    assert not out.exists() or not any(out.iterdir())


def _hostile_docs(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture with an article that names resources inside and outside the build."""
    from PIL import Image

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP-SECRET-7f3a\n", encoding="utf-8")
    Image.new("RGB", (37, 23), "red").save(outside / "secret.png")
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    alpha = docs / "regulations" / "alpha"
    Image.new("RGB", (41, 19), "green").save(alpha / "diagram.png")
    (alpha / "link.txt").symlink_to(outside / "secret.txt")
    (alpha / "hostile.zh-Hant.md").write_text(
        "---\nid: hostile\ncaption: 附件\n---\n"
        "本條附有圖表：\n\n"
        "![圖表](diagram.png)\n\n"  # line 7: inside the build: allowed
        f"![外洩一]({(outside / 'secret.png').as_uri()})\n\n"  # line 9
        "![外洩二](../../../../../outside/secret.png)\n\n"  # line 11
        '<img src="http://evil.example/track.png" alt="追蹤">\n\n'  # line 13
        f'<a rel="attachment" href="{outside / "secret.txt"}">附件一</a>\n'  # line 15
        '<a rel="attachment" href="https://evil.example/payload.txt">附件二</a>\n'  # line 16
        '<a rel="attachment" href="link.txt">附件三</a>\n',  # line 17
        encoding="utf-8",
    )
    manifest = alpha / "index.md"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "articles: [access]", "articles: [access, hostile]"
        ),
        encoding="utf-8",
    )
    return docs, outside


def test_hostile_article_is_refused_before_any_pdf_is_written(tmp_path, capsys):
    docs, _ = _hostile_docs(tmp_path)
    out = tmp_path / "out" / "pdf"
    code = build_pdf.main(
        [str(docs), "--out", str(out), "--only", "compendium", "--lang", "zh-Hant", "-q"]
    )
    err = capsys.readouterr().err
    assert code == 1
    src = f"{docs.name}/regulations/alpha/hostile.zh-Hant.md"
    assert f"{src}:9: link " in err and "uses the scheme 'file:'" in err
    for line in (13, 15, 16, 17):
        assert f"{src}:{line}: raw HTML is not allowed here" in err, (line, err)
    assert f"{docs.name}/regulations/alpha/link.txt:1: symbolic link" in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("parts", [False, True], ids=["whole", "in-parts"])
def test_hostile_article_cannot_pull_files_or_urls_into_the_pdf(
    tmp_path, capsys, monkeypatch, parts
):
    """With validation switched off, the fetcher and the escaping still hold (also when
    rendered in parts, where the refusals are kept with each cached part)."""
    from compendium.source.loader import load
    from compendium.source.problems import Problems

    monkeypatch.setattr(build_pdf, "validate", lambda tree: (load(tree)[0], Problems()))
    docs, _ = _hostile_docs(tmp_path)
    out = tmp_path / "out" / "pdf"
    cache = ["--cache", str(tmp_path / "cache")] if parts else []
    code = build_pdf.main(
        [str(docs), "--out", str(out), "--only", "compendium", "--lang", "zh-Hant", "-q", *cache]
    )
    err = capsys.readouterr().err
    assert code == 1  # the build says why and fails
    pdf = out / "compendium-zh-Hant.pdf"
    assert pdf.exists()  # ... but the PDF it wrote is complete and safe
    raw = pdf.read_bytes()
    assert b"evil.example" not in raw and b"TOP-SECRET" not in raw and b"outside" not in raw
    reader = PdfReader(str(pdf))
    assert not reader.attachments
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [tuple(line.split()[3:5]) for line in images.splitlines()[2:]]
    assert sizes == [("41", "19")]  # only the diagram from inside the build
    assert "TOP-SECRET" not in "".join(pages_text(pdf))
    src = f"{docs.name}/regulations/alpha/hostile.zh-Hant.md"
    # line 9 (a file: URL) loses its source in the renderer; lines 13-17 are raw HTML,
    # shown as text: neither is ever fetched
    expected = {11: "outside the build directory"}
    assert "(unknown source)" not in err and f"{src}:9:" not in err
    for line, reason in expected.items():
        assert re.search(rf"{re.escape(src)}:{line}: refused to load '[^']+'.*{reason}", err), (
            line,
            err,
        )
    assert "diagram.png" not in err


def test_fetcher_allows_only_files_inside_the_build_directory(tmp_path):
    from compendium.printing.pdf import BuildDirFetcher

    root = tmp_path / "build"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.txt").write_text("ok", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (root / "sub" / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "sub" / "in.txt").symlink_to(root / "sub" / "ok.txt")
    fetcher = BuildDirFetcher(root, {str((tmp_path / "secret.txt").as_uri()): ["docs/x.md:3"]})
    base = root.resolve().as_uri()
    assert fetcher.check(f"{base}/sub/ok.txt")[0] is None
    assert fetcher.check(f"{base}/sub/in.txt")[0] is None
    assert fetcher.check("data:text/plain,hello")[0] is None
    refused = {
        (tmp_path / "secret.txt").as_uri(): "outside the build directory",
        f"{base}/sub/../../secret.txt": "'..'",
        f"{base}/sub/out.txt": "symbolic link",
        f"{base}/sub/missing.txt": "no such file",
        "http://example.com/x.png": "network",
        "https://example.com/x.png": "network",
        "ftp://example.com/x": "network",
        "file://otherhost/etc/hostname": "host",
        "javascript:alert(1)": "'javascript:'",
    }
    for url, reason in refused.items():
        why, path = fetcher.check(url)
        assert why is not None and reason in why, (url, why)
        assert path is None
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path / "secret.txt").as_uri())
    assert fetcher.refusals[-1].sources == ("docs/x.md:3",)
    assert fetcher.fetch(f"{base}/sub/ok.txt").read() == b"ok"


def test_a_failed_render_leaves_no_file_behind(tmp_path, monkeypatch):
    import weasyprint

    from compendium.printing.assembly import PrintDocument
    from compendium.printing.pdf import render_pdf

    def boom(self, target=None, **kwargs):
        Path(target).write_bytes(b"%PDF-1.7 partial")  # the engine is given a file name
        raise RuntimeError("disk full")

    monkeypatch.setattr(weasyprint.Document, "write_pdf", boom)
    target = tmp_path / "out" / "x.pdf"
    doc = PrintDocument("x", "en", "X", "<html><body><p>x</p></body></html>", {})
    with pytest.raises(RuntimeError):
        render_pdf(doc, tmp_path, target)
    assert list((tmp_path / "out").iterdir()) == []


# -- the real compendium -----------------------------------------------------------------


def test_real_compendium_pdfs(real_pdfs, docs_dir):
    comp, _ = load(DirTree(docs_dir))
    indexed = {
        rid for r in comp.regulations.values() for a in r.articles.values() for rid in a.roles
    }
    expected_marks = sum(
        1
        + len(r.chapters)
        + sum(1 for ch in r.chapters for s in ch.sections if s.id)
        + len(r.articles)
        for r in comp.regulations.values()
    )
    for lang in ("zh-Hant", "en"):
        pdf = real_pdfs / f"compendium-{lang}.pdf"
        pages = pages_text(pdf)
        total = len(pages)
        assert total > 10
        for n, text in enumerate(pages[1:], start=2):
            assert page_footer_ok(text, n, total, lang), f"page {n} of {pdf.name}"
        marks = outline(pdf)
        assert len(marks) == expected_marks + 1 + len(indexed)  # + the index of roles and duties
        assert [t for d, t in marks if d == 0][:-1] == [
            r.title[lang] for r in comp.regulations.values()
        ]
        assert all(row[-5:-3] == ["yes", "yes"] for row in fonts(pdf))
    zh = "".join(pages_text(real_pdfs / "compendium-zh-Hant.pdf"))
    assert zh.count("員工") >= 10
    assert not re.search("[\u2f00-\u2fdf]", zh)
    packs, _ = load_packs(DirTree(docs_dir), comp)
    written = {p.name for p in real_pdfs.glob("pack-*.pdf")}
    assert {f"pack-{p.id}-{lang}.pdf" for p in packs for lang in ("zh-Hant", "en")} <= written
    for pack in packs:
        pages = pages_text(real_pdfs / f"pack-{pack.id}-zh-Hant.pdf")
        last = flat(pages[-1])
        assert "確認書" in last and "簽名" in last and "草稿，提交abc1234" in last, pack.id
        if pack.roles:  # the pack opens with the duties of its roles
            duty = flat("".join(pages[:4]))
            role = flat(comp.roles[pack.roles[0]].name["zh-Hant"])
            assert role in duty and "職責摘要" in duty, pack.id


# -- rendered in parts (compendium/printing/partbuild.py) -----------------------

PART_NAMES = [
    "compendium-zh-Hant.pdf",
    "compendium-en.pdf",
    "compendium-bilingual.pdf",
    "pack-operator-zh-Hant.pdf",
    "pack-operator-en.pdf",
    "pack-everyone-zh-Hant.pdf",
]


def _dest_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(page of the link, destination name, page the name leads to) for every link."""
    reader = PdfReader(str(pdf))
    targets = {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    out = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                out.append((index, str(dest), targets.get(str(dest), -1)))
    return out


def _footer_boxes(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = []
    for line in out.splitlines():
        if "<word" in line:
            x = float(line.split('xMin="')[1].split('"')[0])
            y = float(line.split('yMin="')[1].split('"')[0])
            words.append((line.rsplit(">", 2)[-2].split("<")[0], round(x, 1), round(y, 1)))
    return [w for w in words if w[2] > 780]  # the footer line


@pytest.mark.parametrize("name", PART_NAMES)
def test_parts_read_like_the_whole_document(fixture_pdfs, whole_pdfs, name):
    assert_reads_like(fixture_pdfs / name, whole_pdfs / name)


def test_a_long_duty_table_goes_on_in_parts_of_its_own(tmp_path, monkeypatch):
    # The real pack's duty tables, cut after two rows: the table goes on on a new page
    # under its heading again, and the parts still read like the whole document.
    monkeypatch.setattr(assembly, "DUTY_ROWS_PER_PART", 2)
    args = ("--only", "data-analyst", "--lang", "en", "-q")
    assert build(ROOT / "docs", tmp_path / "parts", *args, "--cache", str(tmp_path / "c")) == 0
    build_whole(ROOT / "docs", tmp_path / "whole", pack="data-analyst", lang="en")
    name = "pack-data-analyst-en.pdf"
    assert_reads_like(tmp_path / "parts" / name, tmp_path / "whole" / name)
    pages = pages_text(tmp_path / "parts" / name)
    heads = [p for p in pages if "All Employees (continued)" in p]
    assert heads and all("Regulation" in p and "Duty" in p for p in heads)  # the table's head


def test_the_real_compendium_in_parts_reads_like_it_rendered_whole(real_pdfs, docs_dir, tmp_path):
    # Every PDF the project ships is made in parts: on the real docs/, each has the
    # pages, the text of every page, the outline and the links of its whole rendering.
    whole = build_whole(docs_dir, tmp_path / "whole", commit="abc1234")
    names = sorted(p.name for p in whole.glob("*.pdf"))
    assert names == sorted(p.name for p in real_pdfs.glob("*.pdf")) and names
    for name in names:
        parts, native = pages_text(real_pdfs / name), pages_text(whole / name)
        assert len(parts) == len(native), name
        for number, (mine, theirs) in enumerate(zip(parts, native, strict=True), start=1):
            assert mine == theirs, f"{name}, page {number}"
        assert outline(real_pdfs / name) == outline(whole / name), name
        assert _dest_pages(real_pdfs / name) == _dest_pages(whole / name), name


def assert_reads_like(parts: Path, whole: Path) -> None:
    """``parts`` (rendered in parts and joined) reads like ``whole`` (one rendering)."""
    assert pages_text(parts, layout=True) == pages_text(whole, layout=True)
    assert outline(parts) == outline(whole)
    assert _dest_pages(parts) == _dest_pages(whole)
    assert all(target >= 0 for _, _, target in _dest_pages(parts))
    last = len(PdfReader(str(parts)).pages)
    stamped, native = _footer_boxes(parts, last), _footer_boxes(whole, last)
    assert [w[0] for w in stamped] == [w[0] for w in native] and stamped
    for (_, x1, y1), (_, x2, y2) in zip(stamped, native, strict=True):
        assert abs(x1 - x2) < 0.5 and abs(y1 - y2) < 0.5  # where WeasyPrint puts it


def _font_programs(pdf: Path) -> dict[str, set[tuple[int, int]]]:
    """Font name -> the embedded programs (object ids) its descriptors point at."""
    import pikepdf

    out: dict[str, set[tuple[int, int]]] = {}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in (page.obj.Resources.get("/Font") or {}).values():
                for descendant in font.get("/DescendantFonts", []):
                    descriptor = descendant.FontDescriptor
                    for key in ("/FontFile2", "/FontFile3"):
                        if key in descriptor:
                            name = str(descriptor.FontName)
                            out.setdefault(name, set()).add(descriptor[key].objgen)
    return out


@pytest.mark.parametrize("name", ["compendium-zh-Hant.pdf", "compendium-bilingual.pdf"])
def test_parts_share_one_font_program_per_face(fixture_pdfs, whole_pdfs, name):
    programs = _font_programs(fixture_pdfs / name)
    assert any("CJK" in font for font in programs)
    assert all(len(ids) == 1 for ids in programs.values()), programs
    # so the joined file is about the size of the whole rendering, not one subset per part
    assert (fixture_pdfs / name).stat().st_size < 1.4 * (whole_pdfs / name).stat().st_size


def test_shared_fonts_draw_the_same_pages(fixture_pdfs, whole_pdfs, tmp_path):
    name = "compendium-zh-Hant.pdf"
    for kind, folder in (("parts", fixture_pdfs), ("whole", whole_pdfs)):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-gray",
                "-f",
                "2",
                str(folder / name),
                str(tmp_path / kind),
            ],
            check=True,
        )
    shown = sorted(tmp_path.glob("parts-*.pgm"))
    assert len(shown) >= 3 and len(shown) == len(list(tmp_path.glob("whole-*.pgm")))
    for page in shown:
        drawn, native = (
            page.read_bytes(),
            (tmp_path / page.name.replace("parts", "whole")).read_bytes(),
        )
        body = len(drawn) * 9 // 10  # above the footer, which is stamped on
        assert drawn[:body] == native[:body], page.name


def test_widths_name_the_glyphs_a_font_shows():
    from pikepdf import Array

    from compendium.printing.fontshare import _widths_cids

    assert _widths_cids(Array([3, [500, 600], 10, 12, 1000])) == {0, 3, 4, 10, 11, 12}
    assert _widths_cids(None) == {0}


def test_a_link_into_another_part_leads_to_its_page(fixture_pdfs):
    reader = PdfReader(str(fixture_pdfs / "compendium-zh-Hant.pdf"))
    starts = [
        reader.get_destination_page_number(d) for d in reader.outline if not isinstance(d, list)
    ]
    links = _dest_pages(fixture_pdfs / "compendium-zh-Hant.pdf")

    def part_of(page: int) -> int:
        return sum(1 for s in starts if s <= page)

    assert any(part_of(src) != part_of(dst) for src, _, dst in links if src >= starts[0])


def test_split_and_page_numbers():
    html = (
        "<html><head><style></style></head><body>"
        f'<nav class="toc"><a class="toc-link" href="#r&amp;1">R</a></nav>{PART_MARK}'
        f'<article id="r&amp;1">x</article>{PART_MARK}  </body></html>'
    )
    parts = split("doc", html)
    assert [p.index for p in parts] == [0, 1]
    assert all(
        p.html.startswith("<html><head>") and p.html.endswith("</body></html>") for p in parts
    )
    assert parts[0].prints_page_numbers and not parts[1].prints_page_numbers
    numbered = with_page_numbers(parts[0], {"r&1": 7})
    assert 'href="#r&amp;1" data-page="7"' in numbered.html
    assert 'data-page=""' in with_page_numbers(parts[0], {}).html
    assert split("doc", "no body") == [Part("doc", 0, "no body")]


def test_short_runs_are_grouped_and_an_edit_moves_only_its_own_groups():
    from compendium.printing import parts as parts_module

    def doc(runs: list[str]) -> str:
        return "<html><head></head><body>" + PART_MARK.join(runs) + "</body></html>"

    def groups(runs: list[str]) -> list[str]:
        return [p.html for p in split("doc", doc(runs))]

    runs = ["<nav>cover</nav>", *(f"<section>regulation {i}</section>" for i in range(40))]
    first = groups(runs)
    assert first[0] == doc(runs[:1])  # the cover's part is alone
    assert 4 < len(first) < 40  # short runs share parts
    assert "".join(first).count("<section>") == 40  # every run once, in order
    texts = [h.split("<body>")[1].split("</body>")[0] for h in first[1:]]
    assert "".join(texts) == "".join(runs[1:])
    edited = [*runs[:20], "<section>regulation 19, amended</section>", *runs[21:]]
    changed = [h for h in groups(edited) if h not in first]
    assert 1 <= len(changed) <= 2  # its own group, and at most the next
    long_run = "<section>" + "x" * parts_module.GROUP_CHARS + "</section>"
    assert doc([long_run]) in groups([runs[0], runs[1], long_run, runs[2]])  # alone
    numbered = '<p><a class="page-ref" href="#a"></a></p>'
    mixed = groups([*runs[:5], numbered, *runs[5:9]])
    assert any(numbered in h for h in mixed)
    assert not any(numbered in h and "<section>" in h for h in mixed)  # renders again alone


def test_an_edit_renders_only_its_parts_and_equals_a_clean_build(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert build(docs, out, "--release", "2026.1", "-q", "--cache", str(cache)) == 0
    article = sorted((docs / "regulations").rglob("*.zh-Hant.md"))[-1]
    article.write_text(
        article.read_text(encoding="utf-8").rstrip("\n") + "本條所稱資料，包括紙本及電子檔案。\n",
        encoding="utf-8",
    )
    before = {p.name: p.stat().st_mtime_ns for p in (cache / "parts").iterdir()}
    assert build(docs, out, "--release", "2026.1", "-q", "--cache", str(cache)) == 0
    after = {p.name: p.stat().st_mtime_ns for p in (cache / "parts").iterdir()}
    new = [n for n in after if n not in before and n.endswith(".json")]
    kept = [n for n in after if n in before and n.endswith(".json")]
    assert new and kept, "some parts rendered again, the others reused"
    assert len(new) < len(kept)
    clean_out = tmp_path / "clean"
    assert build(docs, clean_out, "--release", "2026.1", "-q", "--cache", str(tmp_path / "c2")) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in clean_out.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (clean_out / name).read_bytes(), name
