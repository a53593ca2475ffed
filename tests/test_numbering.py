from compendium.numbering.items import item_label
from compendium.numbering.numbers import (
    article_anchor,
    article_label,
    chapter_label,
    number_regulation,
    reference_label,
    section_label,
)
from compendium.source.loader import load
from compendium.source.tree import DirTree

from .conftest import FIXTURES


def _comp():
    comp, problems = load(DirTree(FIXTURES / "mini" / "docs"))
    assert not problems.errors, problems.errors
    return comp


def test_chapter_article_numbers_continue_across_chapters_and_sections():
    reg = _comp().regulations["alpha"]
    n = number_regulation(reg)
    labels = {aid: article_label(num, "zh-Hant") for aid, num in n.articles.items()}
    assert labels == {
        "purpose": "第一條",
        "scope": "第二條",
        "backup": "第三條",
        "backup-offsite": "第三條之一",
        "retention": "第四條",
        "access": "第五條",
    }
    en = {aid: article_label(num, "en") for aid, num in n.articles.items()}
    assert en["backup-offsite"] == "Article 3-1" and en["retention"] == "Article 4"
    assert article_anchor(n.articles["backup-offsite"]) == "art-3-1"
    assert n.chapters == {"general": 1, "data": 2}
    assert n.sections == {"storage": 1, "use": 2}
    assert chapter_label("chapter-article", 2, "zh-Hant") == "第二章"
    assert chapter_label("chapter-article", 2, "en") == "Chapter 2"
    assert section_label(2, "zh-Hant") == "第二節" and section_label(2, "en") == "Section 2"


def test_outline_numbers_restart_per_chapter():
    reg = _comp().regulations["beta"]
    n = number_regulation(reg)
    assert article_label(n.articles["intro"], "zh-Hant") == "（一）"
    assert article_label(n.articles["principles"], "zh-Hant") == "（二）"
    assert article_label(n.articles["first-rule"], "zh-Hant") == "（一）"
    assert article_label(n.articles["first-rule"], "en") == "1."
    assert reference_label(n.articles["first-rule"], "zh-Hant") == "二（一）"
    assert reference_label(n.articles["first-rule"], "en") == "II.1"
    assert (
        chapter_label("outline", 2, "zh-Hant") == "二、"
        and chapter_label("outline", 2, "en") == "II."
    )
    assert article_anchor(n.articles["first-rule"]) == "art-2-1"


def test_large_statute_numbers():
    from compendium.numbering.numbers import Number

    assert article_label(Number("chapter-article", 1, 101), "zh-Hant") == "第一百零一條"
    assert article_label(Number("chapter-article", 1, 110, 2), "zh-Hant") == "第一百一十條之二"
    assert article_label(Number("chapter-article", 1, 1020), "en") == "Article 1020"


def test_item_labels_follow_the_style():
    assert [item_label("chapter-article", "zh-Hant", 1, k) for k in (1, 2, 11)] == [
        "一、",
        "二、",
        "十一、",
    ]
    assert item_label("chapter-article", "zh-Hant", 2, 3) == "（三）"
    assert item_label("chapter-article", "en", 1, 2) == "(2)"
    assert item_label("chapter-article", "en", 2, 2) == "(b)"
    assert item_label("outline", "zh-Hant", 1, 2) == "2."
    assert item_label("outline", "zh-Hant", 2, 2) == "（2）"
    assert item_label("outline", "en", 1, 2) == "(b)"
    assert item_label("outline", "en", 2, 4) == "(iv)"


def test_renumbering_by_manifest_order_keeps_ids():
    comp = _comp()
    reg = comp.regulations["alpha"]
    reg.chapters[0].sections[0].articles.reverse()  # scope before purpose
    n = number_regulation(reg)
    assert article_label(n.articles["scope"], "zh-Hant") == "第一條"
    assert article_label(n.articles["purpose"], "zh-Hant") == "第二條"


def test_numbers_of_computes_once_per_regulation_and_matches_number_regulation():
    from compendium.numbering.numbers import numbers_of

    comp = _comp()
    alpha, beta = comp.regulations["alpha"], comp.regulations["beta"]
    assert numbers_of(alpha) is numbers_of(alpha)
    assert numbers_of(alpha) == number_regulation(alpha)
    assert numbers_of(beta) is not numbers_of(alpha)
    fresh = _comp().regulations["alpha"]  # a new load is numbered afresh
    assert numbers_of(fresh) is not numbers_of(alpha)
