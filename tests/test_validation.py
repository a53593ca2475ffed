"""Each broken input gives exactly the expected `path:line: message`."""

from __future__ import annotations

from compendium.source.loader import load
from compendium.source.tree import MemoryTree

ROLES = """roles:
  - id: ops
    kind: department
    name: {zh-Hant: 運營部, en: Operations}
"""

MANIFEST = """---
compendium: regulation
id: reg
code: R-1
title: {zh-Hant: 制度, en: Regulation}
owner: ops
version: "1.0"
effective: 2026-01-01
numbering: chapter-article
chapters:
  - id: one
    title: {zh-Hant: 總則, en: General}
    articles: [a, b]
---
"""


def art(aid: str, body: str = "正文。", extra: str = "") -> str:
    return f"---\nid: {aid}\n{extra}---\n{body}\n"


def check(files: dict[str, str]) -> list[str]:
    base = {
        "roles.yml": ROLES,
        "roles/ops.md": "---\ncompendium: role\nrole: ops\n---\n",
        "regulations/reg/index.md": MANIFEST,
        "regulations/reg/a.zh-Hant.md": art("a"),
        "regulations/reg/a.en.md": art("a", "Text."),
        "regulations/reg/b.zh-Hant.md": art("b"),
        "regulations/reg/b.en.md": art("b", "Text."),
    }
    base.update(files)
    base = {k: v for k, v in base.items() if v is not None}
    _, problems = load(MemoryTree(base))
    return [str(p) for p in problems.sorted()]


def test_valid_compendium_has_no_problems():
    assert check({}) == []


def test_malformed_yaml_names_the_line():
    bad = "---\nid: a\ncaption: [unclosed\nroles: []\n---\n正文。\n"
    out = check({"regulations/reg/a.zh-Hant.md": bad})
    assert len(out) == 1
    assert out[0].startswith("docs/regulations/reg/a.zh-Hant.md:4: malformed YAML")
    assert out[0].endswith("started at line 3)")


def test_missing_front_matter():
    assert check({"regulations/reg/a.zh-Hant.md": "正文。\n"}) == [
        "docs/regulations/reg/a.zh-Hant.md:1: expected YAML front-matter between '---' lines at the top of the file"
    ]


def test_unknown_and_missing_fields():
    out = check({"regulations/reg/a.zh-Hant.md": "---\ncaptoin: 目的\n---\n正文。\n"})
    assert out == [
        "docs/regulations/reg/a.zh-Hant.md:2: missing field 'id'",
        "docs/regulations/reg/a.zh-Hant.md:2: unknown field 'captoin' (expected one of: caption, duties, "
        "editorial, effective, formerly, history, id, roles, truncated)",
    ]


def test_wrong_types_and_bad_dates():
    out = check(
        {
            "regulations/reg/a.zh-Hant.md": art(
                "a", extra="caption: 12\neffective: 2026-13-01\nroles: ops\n"
            )
        }
    )
    assert out == [
        "docs/regulations/reg/a.zh-Hant.md:3: field 'caption' must be text, got the number 12",
        "docs/regulations/reg/a.zh-Hant.md:4: field 'effective' must be a valid date YYYY-MM-DD in the years 1900 to 2199, got '2026-13-01'",
        "docs/regulations/reg/a.zh-Hant.md:5: field 'roles' must be a list of role ids",
    ]


def test_invalid_calendar_date_in_yaml_timestamp():
    out = check(
        {
            "regulations/reg/index.md": MANIFEST.replace(
                "effective: 2026-01-01", "effective: 2026-02-30"
            )
        }
    )
    assert out == [
        "docs/regulations/reg/index.md:8: field 'effective' must be a valid date YYYY-MM-DD in the years 1900 to 2199, got '2026-02-30'"
    ]


def test_version_must_be_quoted():
    out = check({"regulations/reg/index.md": MANIFEST.replace('version: "1.0"', "version: 1.0")})
    assert out == [
        "docs/regulations/reg/index.md:7: field 'version' must be text, got the number 1.0 (quote it: \"1.0\")"
    ]


def test_duplicate_ids_in_manifest():
    out = check(
        {"regulations/reg/index.md": MANIFEST.replace("articles: [a, b]", "articles: [a, b, a]")}
    )
    assert out == [
        "docs/regulations/reg/index.md:13: duplicate article id 'a' (first listed at line 13)"
    ]


def test_manifest_id_without_file_and_file_without_manifest():
    out = check(
        {
            "regulations/reg/b.zh-Hant.md": None,
            "regulations/reg/b.en.md": None,
            "regulations/reg/c.zh-Hant.md": art("c"),
            "regulations/reg/c.en.md": art("c", "Text."),
        }
    )
    assert out == [
        "docs/regulations/reg/c.en.md:1: article 'c' is in no chapter of the manifest "
        "(expected its id in a chapter's 'articles' list in docs/regulations/reg/index.md)",
        "docs/regulations/reg/c.zh-Hant.md:1: article 'c' is in no chapter of the manifest "
        "(expected its id in a chapter's 'articles' list in docs/regulations/reg/index.md)",
        "docs/regulations/reg/index.md:13: article 'b' is listed in the manifest but has no file "
        "(expected regulations/reg/b.zh-Hant.md)",
    ]


def test_unresolved_and_malformed_cross_references():
    out = check(
        {
            "regulations/reg/a.zh-Hant.md": art(
                "a", "見[[b]]。\n另見[[nope]]與[[other/x]]。\n[[Bad Ref]]"
            )
        }
    )
    assert out == [
        "docs/regulations/reg/a.zh-Hant.md:5: unresolved cross reference '[[nope]]': no article 'nope' in 'reg' "
        "(expected the id of an existing article)",
        "docs/regulations/reg/a.zh-Hant.md:5: unresolved cross reference '[[other/x]]': no regulation 'other' "
        "(expected the id of an existing article)",
        "docs/regulations/reg/a.zh-Hant.md:6: malformed cross reference '[[Bad Ref]]' "
        "(expected [[article-id]] or [[regulation-id/article-id]])",
    ]


def test_unknown_numbering_style():
    out = check(
        {
            "regulations/reg/index.md": MANIFEST.replace(
                "numbering: chapter-article", "numbering: roman"
            )
        }
    )
    assert out == [
        "docs/regulations/reg/index.md:9: unknown numbering style 'roman' "
        "(expected one of: chapter-article, outline)"
    ]


def test_missing_translation_is_a_warning():
    _, problems = load(
        MemoryTree(
            {
                "roles.yml": ROLES,
                "roles/ops.md": "---\ncompendium: role\nrole: ops\n---\n",
                "regulations/reg/index.md": MANIFEST,
                "regulations/reg/a.zh-Hant.md": art("a"),
                "regulations/reg/a.en.md": art("a", "T."),
                "regulations/reg/b.zh-Hant.md": art("b"),
            }
        )
    )
    assert problems.errors == []
    assert [str(p) for p in problems.warnings] == [
        "docs/regulations/reg/b.zh-Hant.md:1: warning: article 'b' has no English translation "
        "(expected docs/regulations/reg/b.en.md)"
    ]


def test_unknown_role_and_id_mismatch():
    out = check({"regulations/reg/a.zh-Hant.md": "---\nid: x\nroles: [ops, nobody]\n---\n正文。\n"})
    assert out == [
        "docs/regulations/reg/a.zh-Hant.md:2: field 'id' is 'x' but the file is named 'a.zh-Hant.md' (expected 'a')",
        "docs/regulations/reg/a.zh-Hant.md:3: unknown role 'nobody' (expected a role id from docs/roles.yml)",
    ]


def test_all_problems_reported_in_one_run():
    out = check(
        {
            "regulations/reg/a.zh-Hant.md": "---\nid: a\ncaption: [x\n---\n正文。\n",
            "regulations/reg/b.en.md": "---\nid: b\nfoo: 1\n---\nText.\n",
            "regulations/reg/index.md": MANIFEST.replace("owner: ops", "owner: ghost"),
        }
    )
    assert len([line for line in out if ": warning: " not in line]) == 3
    assert any(":6: unknown owner role 'ghost'" in line for line in out)


def test_role_without_page_and_page_without_role():
    out = check(
        {"roles/ops.md": None, "roles/ghost.md": "---\ncompendium: role\nrole: ghost\n---\n"}
    )
    assert out == [
        "docs/roles.yml:2: role 'ops' has no page (expected docs/roles/ops.md; run make roles)",
        "docs/roles/ghost.md:1: page for unknown role 'ghost' (expected a role id from docs/roles.yml; run make roles)",
    ]


def test_history_note_per_language():
    good = art(
        "a",
        extra="history:\n  - {date: 2026-01-01, note: {zh-Hant: 首次發布。, en: First issue.}}\n",
    )
    assert check({"regulations/reg/a.zh-Hant.md": good}) == []
    bad = art("a", extra="history:\n  - date: 2026-01-01\n    note: {en: First issue.}\n")
    assert check({"regulations/reg/a.zh-Hant.md": bad}) == [
        "docs/regulations/reg/a.zh-Hant.md:5: a history note must be text, or text per language "
        "with a 'zh-Hant' entry (zh-Hant, en)"
    ]
