"""The heading separator and citation rules every output shares (compendium.numbering.citation)."""

import pytest

from compendium.numbering.citation import cite, heading_sep, regulation_name


@pytest.mark.parametrize(
    ("style", "lang", "sep"),
    [
        ("outline", "zh-Hant", ""),
        ("outline", "en", " "),
        ("chapter-article", "zh-Hant", " "),
        ("chapter-article", "en", " "),
    ],
)
def test_heading_sep_drops_the_space_only_after_chinese_outline_numbers(style, lang, sep):
    assert heading_sep(style, lang) == sep


def test_regulation_is_named_in_title_marks_in_chinese_and_bare_in_english():
    assert regulation_name("個資辦法", "zh-Hant") == "《個資辦法》"
    assert regulation_name("Privacy Rules", "en") == "Privacy Rules"


def test_cite_puts_the_regulation_before_the_article_in_chinese_and_after_in_english():
    assert cite("第十七條", "個資辦法", "zh-Hant") == "《個資辦法》第十七條"
    assert cite("Article 17", "Privacy Rules", "en") == "Article 17 of the Privacy Rules"
