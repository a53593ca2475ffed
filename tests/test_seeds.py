"""The shipped compendium: five seed regulations, cleaned and translated."""

from __future__ import annotations

import re

import pytest

from compendium.source.loader import load
from compendium.source.tree import DirTree

from .conftest import ROOT

EXPECTED = {  # regulation id -> (numbering style, article count)
    "digital-operations": ("chapter-article", 30),
    "white-wall-operations": ("outline", 19),
    "black-iron-operations": ("outline", 17),
    "platform-internal-management": ("outline", 30),
    "operations-management-compendium": ("outline", 20),
}
PINYIN = re.compile(r"[\u4e00-\u9fff][（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[）)]")
SCRAPE_NOISE = (
    "文檔簡介",
    "溫馨提示",
    "下載本文檔",
    "版權說明",
    "全文預覽",
    "提交評論",
    "PAGE",
    "_第1頁",
)


def test_seeds_load_with_only_truncation_warnings():
    comp, problems = load(DirTree(ROOT / "docs", "docs"))
    assert problems.errors == []
    assert all("truncated" in p.message for p in problems.warnings), [
        str(p) for p in problems.warnings
    ]
    assert {
        r: (reg.numbering, len(reg.articles)) for r, reg in comp.regulations.items()
    } == EXPECTED
    for reg in comp.regulations.values():
        assert reg.truncated, f"{reg.id}: the manifest records where the source stops"
        for art in reg.articles.values():
            assert art.is_translated("en"), f"{reg.id}/{art.id} has no English text"


def test_no_scraping_artefacts_left():
    for path in (ROOT / "docs" / "regulations").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        body = text.split("---", 2)[-1]
        assert not PINYIN.search(body), f"{path}: pinyin annotation {PINYIN.search(body).group(0)}"
        for noise in SCRAPE_NOISE:
            assert noise not in body, f"{path}: scraping artefact {noise!r}"


@pytest.mark.build
def test_digital_operations_page_numbers(real_site):
    zh = (real_site / "regulations/digital-operations/index.html").read_text(encoding="utf-8")
    nums = re.findall(r'<span class="num">(第[^<]+條)</span>', zh)
    assert nums[0] == "第一條" and nums[-1] == "第三十條" and len(nums) == 30
    assert '<span class="num">第一章</span> 總則' in zh
    en = (real_site / "en/regulations/digital-operations/index.html").read_text(encoding="utf-8")
    nums_en = re.findall(r'<span class="num">(Article [^<]+)</span>', en)
    assert nums_en == [f"Article {n}" for n in range(1, 31)]
    assert '<span class="num">Chapter 1</span> General Provisions' in en
    assert not PINYIN.search(re.sub(r"<[^>]+>", "", zh))


@pytest.mark.build
def test_home_lists_all_regulations_in_both_languages(real_site):
    zh = (real_site / "index.html").read_text(encoding="utf-8")
    en = (real_site / "en/index.html").read_text(encoding="utf-8")
    for rid in EXPECTED:
        assert f'href="regulations/{rid}/"' in zh and f'href="regulations/{rid}/"' in en
        assert (real_site / "en/regulations" / rid / "index.html").is_file()
    for code in ("OPS-DIG", "OPS-WW", "OPS-BI", "PLT-INT", "OPS-GEN"):
        assert code in zh and code in en


@pytest.mark.build
def test_truncation_note_is_in_the_page_language(real_site):
    zh = (real_site / "regulations/digital-operations/index.html").read_text(encoding="utf-8")
    en = (real_site / "en/regulations/digital-operations/index.html").read_text(encoding="utf-8")
    assert '<li class="truncated">原始預覽於第三十條' in zh
    assert '<li class="truncated">The source preview breaks off inside 第三十條' in en
