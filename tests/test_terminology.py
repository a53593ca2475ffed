"""The terminology check: glossary and role names in the English, one entry per term."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.site.render import Renderer
from compendium.source.loader import load
from compendium.source.terminology import rendering_pattern
from compendium.source.tree import DirTree, MemoryTree

DOCS = Path(__file__).resolve().parent.parent / "docs"

ROLES = """roles:
  - id: ops
    kind: department
    name: {zh-Hant: 運營部, en: Operations Department}
  - id: analyst
    kind: position
    name: {zh-Hant: 數據分析員, en: Data Analyst}
    parent: ops
"""

GLOSSARY = """terms:
  - {zh-Hant: 數據, en: data}
  - {zh-Hant: 數據分析, en: data analysis}
  - {zh-Hant: 部門 / 單位, en: department}
  - {zh-Hant: 上線, en: go live / go-live}
  - {zh-Hant: 可, en: may, check: false, note: "Grammar word, not enforced."}
  - zh-Hant: 制度
    en: regulation
    senses:
      - {en: policy, note: "Where a policy is meant."}
"""

MANIFEST = """---
compendium: regulation
id: reg
code: R-1
title: {zh-Hant: 規定, en: Rules}
owner: ops
version: "1.0"
effective: 2026-01-01
numbering: chapter-article
chapters:
  - id: one
    title: {zh-Hant: 總則, en: General}
    articles: [a]
---
"""


def check(zh: str, en: str, glossary: str = GLOSSARY, caption: tuple[str, str] | None = None):
    """The problems of a one-article compendium, as strings."""
    zh_cap = f"caption: {caption[0]}\n" if caption else ""
    en_cap = f"caption: {caption[1]}\n" if caption else ""
    files = {
        "roles.yml": ROLES,
        "roles/ops.md": "---\ncompendium: role\nrole: ops\n---\n",
        "roles/analyst.md": "---\ncompendium: role\nrole: analyst\n---\n",
        "glossary.yml": glossary,
        "regulations/reg/index.md": MANIFEST,
        "regulations/reg/a.zh-Hant.md": f"---\nid: a\n{zh_cap}roles: [ops, analyst]\n---\n{zh}\n",
        "regulations/reg/a.en.md": f"---\nid: a\n{en_cap}---\n{en}\n",
    }
    _, problems = load(MemoryTree(files))
    return [str(p) for p in problems.sorted()]


EN_PATH = "docs/regulations/reg/a.en.md"


def test_expected_rendering_gives_no_warning():
    assert check("運營部應分析數據。", "The Operations Department shall analyse data.") == []


def test_other_rendering_is_warned_with_file_line_term_and_expected():
    out = check("運營部應保護數據。", "The Operations Department shall protect information.")
    assert out == [
        f"{EN_PATH}:4: warning: the Chinese has '數據' but the English does not render it "
        "as 'data' (glossary.yml)"
    ]


def test_role_name_is_enforced():
    out = check("運營部應保護數據。", "The Ops Unit shall protect data.")
    assert out == [
        f"{EN_PATH}:4: warning: the Chinese has '運營部' but the English does not render it "
        "as 'Operations Department' (roles.yml, role 'ops')"
    ]


@pytest.mark.parametrize(
    "english",
    ["All Departments shall comply.", "Each department's staff shall comply.", "DEPARTMENT"],
)
def test_plural_possessive_and_capitals_match(english):
    assert check("各部門應遵守。", english) == []


def test_inflection_does_not_match_a_different_word():
    assert check("各部門應遵守。", "Each departmental unit shall comply.") != []


def test_variants_and_verb_forms_match():
    assert check("系統上線後", "After the system goes live") == []
    assert check("上線前", "Before go-live") == []
    assert check("各單位應遵守。", "Each department shall comply.") == []


def test_longest_term_first():
    # 數據分析員 is the role Data Analyst: neither 數據分析 nor 數據 is expected separately.
    assert check("數據分析員應報告。", "The Data Analyst shall report.") == []
    # ...but the shorter term is still checked where it stands alone.
    out = check("數據分析員應報告數據。", "The Data Analyst shall report figures.")
    assert [o.split("has ")[1].split(" but")[0] for o in out] == ["'數據'"]


def test_second_sense_is_accepted_and_named_in_the_warning():
    assert check("應建立管理制度。", "A management policy shall be established.") == []
    out = check("應建立管理制度。", "A management plan shall be established.")
    assert len(out) == 1 and "as 'regulation' or 'policy'" in out[0]


def test_unchecked_grammar_word_is_not_enforced():
    assert check("可用性", "availability") == []


def test_paragraphs_are_compared_pairwise_and_lines_point_at_the_item():
    zh = "1. 保護數據。\n1. 報告。"
    en = "1. Report.\n1. Protect data."  # the rendering is in the wrong item
    out = check(zh, en)
    assert out == [
        f"{EN_PATH}:4: warning: the Chinese has '數據' but the English does not render it "
        "as 'data' (glossary.yml)"
    ]
    assert check(zh, "1. Protect data.\n1. Report.") == []


def test_caption_is_checked_on_its_own_line():
    out = check("正文。", "Text.", caption=("數據", "Records"))
    assert out == [
        f"{EN_PATH}:3: warning: the Chinese has '數據' but the English does not render it "
        "as 'data' (glossary.yml)"
    ]


def test_duplicate_glossary_term_is_an_error():
    glossary = GLOSSARY + "  - {zh-Hant: 單位, en: unit}\n"
    out = check("正文。", "Text.", glossary=glossary)
    assert out == [
        "docs/glossary.yml:11: glossary term '單位' is listed twice (also on line 4); "
        "expected one entry per term (give a second sense under 'senses')"
    ]


def test_glossary_conflicting_with_roles_is_an_error():
    glossary = GLOSSARY + "  - {zh-Hant: 運營部, en: Operations Division}\n"
    out = check("正文。", "Text.", glossary=glossary)
    assert out == [
        "docs/glossary.yml:11: glossary term '運營部' is rendered 'Operations Division', but "
        "docs/roles.yml names the role 'ops' 'Operations Department'; expected the same "
        "English in both files"
    ]


def test_malformed_sense_is_an_error():
    glossary = GLOSSARY + "  - {zh-Hant: 單據, en: form, senses: [policy]}\n"
    out = check("正文。", "Text.", glossary=glossary)
    assert out == [
        "docs/glossary.yml:11: a sense must be a mapping with 'en' (the rendering) and "
        "'note' (when to use it)"
    ]


def test_pattern_keeps_punctuation_and_spaces():
    pattern = rendering_pattern("criminal, civil or administrative liability")
    assert pattern.search("the criminal, civil or administrative liability of")
    assert not pattern.search("criminal or administrative liability")


def test_glossary_page_shows_second_senses():
    files = {"roles.yml": ROLES, "glossary.yml": GLOSSARY}
    comp, _ = load(MemoryTree(files))
    _title, html = Renderer(comp, "en").glossary_page()
    assert '<tr class="glossary-sense"><td><span class="glossary-sense-label">Second sense' in html
    assert '<td lang="en">policy</td><td>Where a policy is meant.</td>' in html


def test_the_shipped_regulations_have_no_terminology_problem():
    comp, problems = load(DirTree(DOCS, display_root="docs"))
    assert comp.regulations
    found = [str(p) for p in problems.items if "glossary" in p.message or "render it" in p.message]
    assert found == []


def test_each_occurrence_needs_its_own_rendering():
    assert check("數據分析員負責數據分析。", "The Data Analyst performs data analysis.") == []
    out = check("數據分析員負責數據分析。", "The Data Analyst performs analysis.")
    assert [o.split("has ")[1].split(" but")[0] for o in out] == ["'數據分析'"]


def test_cross_reference_ids_are_not_renderings():
    def terms(out):
        return [o for o in out if "render it" in o]

    assert terms(check("見數據。", "See [[a]].")) != []  # the id 'a' is no rendering
    assert terms(check("見數據。", "See [[data]].")) != []
    assert terms(check("見數據。", "See [[a]] on data.")) == []
