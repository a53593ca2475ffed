"""Controlled copies without a PDF engine: the footer identity, the content digest and
the cover's QR code are built from the release record and mkdocs.yml (fast)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import segno

from compendium.printing.assembly import Printer
from compendium.printing.buildinfo import build_info
from compendium.printing.control import qr_svg, short_title, site_url_of
from compendium.source.ledger import Approval, ReleaseRecord, record_text
from compendium.source.loader import load
from compendium.source.tree import DirTree

FIXTURE_DOCS = Path(__file__).parent / "fixtures" / "pdf" / "docs"
BASE = "file:///build/"
SOURCES = "sha256:" + "ab12" * 16  # not the digest of the fixture: it must come from the record


def _project(tmp_path: Path, site_url: str | None = "https://rules.example.org/handbook") -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    record = ReleaseRecord(
        version="2026.1",
        date=dt.date(2026, 2, 1),
        approval=Approval({"zh-Hant": "董事會", "en": "Board"}, dt.date(2026, 1, 20)),
        effective=dt.date(2026, 3, 1),
        notes={"zh-Hant": "首次", "en": "First"},
        sources=SOURCES,
        digests={},
    )
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "2026.1.yml").write_text(record_text(record), encoding="utf-8")
    lines = [
        "site_name: x",
        "markdown_extensions:",
        "  - pymdownx.emoji:",
        "      x: !!python/name:a.b",
    ]
    if site_url:
        lines.insert(1, f"site_url: '{site_url}'  # where it is published")
    (tmp_path / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return docs


def _matrix_of_svg(svg: str) -> list[list[int]]:
    """The dark modules of segno's SVG path ("M4 4.5h7m3 0h1 ..."), read back."""
    path = re.search(r'class="qrline"[^>]*\bd="([^"]+)"', svg) or re.search(
        r'\bd="(M[^"]+)"[^>]*class="qrline"', svg
    )
    assert path is not None
    width = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg)[1])  # type: ignore[index]
    grid = [[0] * width for _ in range(width)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path[1]):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for i in range(int(float(a))):
                grid[int(y)][int(x) + i] = 1
            x += float(a)
    return grid


def test_site_url_is_read_from_mkdocs_yml_with_its_tags(tmp_path: Path) -> None:
    _project(tmp_path)
    assert site_url_of(tmp_path / "mkdocs.yml") == "https://rules.example.org/handbook/"
    (tmp_path / "mkdocs.yml").write_text("site_url: javascript:alert(1)\n", encoding="utf-8")
    assert site_url_of(tmp_path / "mkdocs.yml") is None
    assert site_url_of(tmp_path / "missing.yml") is None


def test_digest_and_verify_url_come_from_the_release_record(tmp_path: Path) -> None:
    docs = _project(tmp_path)
    info = build_info(docs, release="2026.1", date="2026-02-02")
    assert info.digest == "ab12ab12ab12"
    assert info.verify_url == "https://rules.example.org/handbook/verify/#ab12ab12ab12"
    draft = build_info(docs, commit="1a2b3c4", date="2026-02-02")
    assert draft.digest is None and draft.verify_url is None  # a draft is no controlled copy
    assert draft.edition_text("en") == "Draft (commit 1a2b3c4)"
    assert build_info(docs, release="2099.1", date="2026-02-02").digest is None  # no record


def test_footer_and_cover_carry_the_record_and_the_qr_code(tmp_path: Path) -> None:
    docs = _project(tmp_path)
    info = build_info(docs, release="2026.1", date="2026-02-02")
    comp, problems = load(DirTree(docs, display_root="docs"))
    assert not problems.errors
    for lang, words in (
        ("zh-Hant", ["2026.1 版", "摘要 ab12ab12ab12", "印製本為非受控文件，現行版本請見"]),
        ("en", ["Release 2026.1", "digest ab12ab12ab12", "Printed copies are uncontrolled"]),
    ):
        html = Printer(comp, lang, info, BASE).compendium().html
        for w in words:
            assert w in html, (lang, w)
        assert "https://rules.example.org/handbook/" in html
        reg = next(iter(comp.regulations.values()))
        ident = re.search(rf'id="{reg.id}--regulation"[^>]*data-footer="([^"]+)"', html)
        assert ident is not None and ident[1].startswith(f"{reg.code} · ")
        assert "2026" in ident[1]  # the in-force date
        svg = re.search(r"<svg .*?</svg>", html, re.S)
        assert svg is not None
        expected = segno.make_qr(info.verify_url or "", error="m", boost_error=False)
        border = 4
        read = _matrix_of_svg(svg[0])
        inner = [row[border:-border] for row in read[border:-border]]
        assert inner == [list(map(int, row)) for row in expected.matrix]


def test_no_site_url_means_no_qr_code_but_still_the_warning(tmp_path: Path) -> None:
    docs = _project(tmp_path, site_url=None)
    info = build_info(docs, release="2026.1", date="2026-02-02")
    assert info.verify_url is None
    comp, _ = load(DirTree(docs, display_root="docs"))
    html = Printer(comp, "en", info, BASE).compendium().html
    assert "<svg role=" not in html
    assert "Printed copies are uncontrolled" in html


def test_qr_svg_and_short_title() -> None:
    assert qr_svg("https://a.example/verify/#x") == qr_svg("https://a.example/verify/#x")
    assert qr_svg("https://a.example/verify/#x") != qr_svg("https://a.example/verify/#y")
    assert short_title("短") == "短"
    long = short_title("An Extremely Long Regulation Title That Goes On And On")
    assert len(long) <= 40 and long.endswith("…")


def test_verify_page_lists_releases_newest_first_current_or_superseded(tmp_path: Path) -> None:
    import dataclasses

    from compendium import TEMPLATES
    from compendium.site.verifypage import verify_page
    from compendium.templating import environment

    docs = _project(tmp_path)
    comp, _ = load(DirTree(docs, display_root="docs"))
    reg = next(iter(comp.regulations.values()))
    first = ReleaseRecord(
        "2026.1",
        dt.date(2026, 2, 1),
        Approval({"zh-Hant": "董事會", "en": "Board"}, dt.date(2026, 1, 20)),
        dt.date(2026, 3, 1),
        {"zh-Hant": "", "en": ""},
        "sha256:" + "11" * 32,
        {reg.id: "sha256:" + "22" * 32},
    )
    second = dataclasses.replace(first, version="2026.2", sources="sha256:" + "33" * 32)
    env = environment(TEMPLATES, "compendium", lang="en")

    def render(name: str, **context: object) -> str:
        return env.get_template(name).render(**context)

    pdfs = [{"label": "Compendium <en>", "href": "../pdf/compendium-en.pdf"}]
    title, html = verify_page([first, second], comp, "en", pdfs, render)
    assert title == "Verify a Copy"
    ids = re.findall(r'<section class="verify-release[^"]*" id="([0-9a-f]+)"', html)
    assert ids == ["333333333333", "111111111111"]  # the newest first
    newer, older = html.split('id="111111111111"')
    assert "Current" in newer and "compendium-en.pdf" in newer and "&lt;en&gt;" in newer
    assert "Superseded by 2026.2" in older and "compendium-en.pdf" not in older
    assert f"{reg.code}</td>" in older and "sha256:" + "22" * 32 in older


def test_cover_carries_the_approval_record_in_both_languages(tmp_path: Path) -> None:
    import dataclasses

    from compendium.printing.bilingual import bilingual_document
    from compendium.printing.control import approval_lines

    docs = _project(tmp_path)
    record = ReleaseRecord(
        "2026.1",
        dt.date(2026, 2, 1),
        Approval(
            {"zh-Hant": "董事會", "en": "Board <of> Directors"},
            dt.date(2026, 1, 20),
            {"zh-Hant": "第五次會議", "en": "5th meeting"},
        ),
        dt.date(2026, 3, 1),
        {"zh-Hant": "", "en": ""},
        SOURCES,
        {},
    )
    (tmp_path / "releases" / "2026.1.yml").write_text(record_text(record), encoding="utf-8")
    info = build_info(docs, release="2026.1", date="2026-02-02")
    assert info.approval == approval_lines(record)
    comp, _ = load(DirTree(docs, display_root="docs"))
    expected = {
        "zh-Hant": "2026年1月20日經董事會通過（第五次會議），自2026年3月1日施行",
        "en": "Approved by Board &lt;of&gt; Directors on 20 January 2026 (5th meeting), "
        "in force from 1 March 2026",
    }
    for lang, text in expected.items():
        printer = Printer(comp, lang, info, BASE)
        for html in (
            printer.compendium().html,
            *(printer.pack(p).html for p in _packs(docs, comp)),
        ):
            cover = html.split('class="cover-approval">', 1)
            assert len(cover) == 2 and cover[1].startswith(text), lang
        assert text in bilingual_document(comp, info, BASE).html
    # without a resolution, none is printed; a draft has no approval record
    plain = dataclasses.replace(
        record, approval=dataclasses.replace(record.approval, resolution={})
    )
    assert "（" not in approval_lines(plain)["zh-Hant"]
    draft = build_info(docs, commit="1a2b3c4", date="2026-02-02")
    assert draft.approval == {}
    assert 'class="cover-approval"' not in Printer(comp, "en", draft, BASE).compendium().html


def _packs(docs: Path, comp):  # type: ignore[no-untyped-def]
    from compendium.source.packs import load_packs

    packs, _ = load_packs(DirTree(docs), comp)
    assert packs
    return packs
