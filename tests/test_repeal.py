"""Articles repealed in place: kept with id and number, shown as （刪除） / (Repealed), diffed as
repealed, validated in the manifest."""

from __future__ import annotations

import markdown

from compendium.changes.diff import compare
from compendium.numbering.numbers import article_label, number_regulation
from compendium.site.render import Renderer
from compendium.source.loader import load
from compendium.source.tree import MemoryTree

ROLES = """roles:
  - id: all-employees
    kind: everyone
    name: {zh-Hant: 全體員工, en: All Employees}
"""


def tree(
    second: str, body2: str = "員工應遵守本規則。", body3: str = "本規則自公布日施行。"
) -> MemoryTree:
    manifest = f"""---
compendium: regulation
id: rules
code: R-1
title: {{zh-Hant: 工作規則, en: Work Rules}}
owner: all-employees
version: "1.0"
effective: 2024-01-01
numbering: chapter-article
chapters:
  - id: c1
    title: {{zh-Hant: 總則, en: General Provisions}}
    articles: [a001, {second}, a003]
---
"""
    files = {
        "roles.yml": ROLES,
        "roles/all-employees.md": "---\ncompendium: role\nrole: all-employees\n---\n",
        "regulations/rules/index.md": manifest,
    }
    for aid, zh, en in (
        ("a001", "本規則依法訂定之。", "These Rules are made under the Act."),
        ("a002", body2, "Employees shall observe these Rules."),
        ("a003", body3, "These Rules take effect on promulgation."),
    ):
        files[f"regulations/rules/{aid}.zh-Hant.md"] = f"---\nid: {aid}\n---\n{zh}\n"
        files[f"regulations/rules/{aid}.en.md"] = f"---\nid: {aid}\n---\n{en}\n"
    return MemoryTree(files)


REPEALED = "{id: a002, repealed: 2024-08-01}"


def test_repealed_article_keeps_its_number_and_later_numbers_do_not_move():
    comp, problems = load(tree(REPEALED, "（刪除）"))
    assert problems.errors == []
    reg = comp.regulations["rules"]
    assert str(reg.articles["a002"].repealed) == "2024-08-01"
    nums = number_regulation(reg).articles
    assert [article_label(nums[a], "zh-Hant") for a in ("a001", "a002", "a003")] == [
        "第一條",
        "第二條",
        "第三條",
    ]


def test_site_shows_repealed_with_the_date_in_both_languages():
    comp, _ = load(tree(REPEALED, "（刪除）"))
    pages = {}
    for lang in ("zh-Hant", "en"):
        _t, md = Renderer(comp, lang).regulation_page("rules", lambda src, anchor: "#")
        pages[lang] = markdown.Markdown(
            extensions=["attr_list", "md_in_html", "tables", "toc", "compendium.site.mdext"]
        ).convert(md)
    assert '<span class="num">第二條</span>\u3000（刪除）' in pages["zh-Hant"]
    assert "本條已於2024-08-01刪除" in pages["zh-Hant"]
    assert '<span class="num">Article 2</span> (Repealed)' in pages["en"]
    assert "repealed on 2024-08-01" in pages["en"]
    assert "Employees shall observe" not in pages["en"]  # the old text is not shown
    assert '<span class="num">第三條</span>' in pages["zh-Hant"]


def test_diff_reports_repealed_not_removed_or_renumbered():
    old, _ = load(tree("a002"))
    new, _ = load(tree(REPEALED, "（刪除）"))
    changes = {c.id: c.kinds for c in compare(old, new).changes if c.scope == "article"}
    assert "repealed" in changes["a002"] and "removed" not in changes["a002"]
    assert "a003" not in changes  # not renumbered


def test_bad_repealed_value_is_an_error_with_its_line():
    _comp, problems = load(tree("{id: a002, repealed: soon}"))
    msgs = [str(p) for p in problems.errors]
    assert any(
        "regulations/rules/index.md:" in m and "'repealed' must be a valid date YYYY-MM-DD" in m
        for m in msgs
    ), msgs


def test_reference_to_a_repealed_article_is_warned_about():
    _comp, problems = load(tree(REPEALED, "（刪除）", "依[[a002]]辦理。"))
    assert problems.errors == []
    assert any(
        "a003.zh-Hant.md:4" in str(p) and "repealed on 2024-08-01" in str(p)
        for p in problems.warnings
    ), [str(p) for p in problems.warnings]
