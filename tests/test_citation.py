"""The heading and citation rules every output shares (compendium.numbering.citation)."""

import pytest

from compendium.numbering.citation import cite, heading, regulation_name


@pytest.mark.parametrize(
    ("number", "style", "lang", "shown"),
    [
        ("（一）", "outline", "zh-Hant", "（一）目的"),
        ("(a)", "outline", "en", "(a) Purpose"),
        ("第一條", "chapter-article", "zh-Hant", "第一條 目的"),
        ("Article 1", "chapter-article", "en", "Article 1 Purpose"),
    ],
)
def test_a_heading_drops_the_space_only_after_chinese_outline_numbers(number, style, lang, shown):
    caption = "目的" if lang == "zh-Hant" else "Purpose"
    assert heading(number, caption, style, lang) == shown
    assert heading(number, None, style, lang) == heading(number, "", style, lang) == number


def test_templates_write_headings_by_the_same_rule(tmp_path):
    from compendium.templating import environment

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "h.html").write_text(
        "{{ n }}{{ c | heading_tail(s, lang) }}", encoding="utf-8"
    )
    (tmp_path / "x" / "h.md").write_text("{{ n }}{{ c | heading_tail(s, lang) }}", encoding="utf-8")
    env = environment(tmp_path, "x")
    args = {"n": "（一）", "c": "<目的>", "s": "outline", "lang": "zh-Hant"}
    assert env.get_template("h.html").render(**args) == "（一）&lt;目的&gt;"
    assert env.get_template("h.md").render(**args) == "（一）<目的>"
    assert env.get_template("h.html").render(**{**args, "c": None, "lang": "en"}) == "（一）"


def test_regulation_is_named_in_title_marks_in_chinese_and_bare_in_english():
    assert regulation_name("個資辦法", "zh-Hant") == "《個資辦法》"
    assert regulation_name("Privacy Rules", "en") == "Privacy Rules"


def test_cite_puts_the_regulation_before_the_article_in_chinese_and_after_in_english():
    assert cite("第十七條", "個資辦法", "zh-Hant") == "《個資辦法》第十七條"
    assert cite("Article 17", "Privacy Rules", "en") == "Article 17 of the Privacy Rules"
