"""Roles: alias matching, role pages, the duty matrix."""

from __future__ import annotations

import csv
import re

import pytest

from compendium.source.model import Role
from compendium.source.rolementions import RoleMatcher

ROLES = {
    "dig": Role(
        "dig",
        "department",
        {"zh-Hant": "數字化運營部門", "en": "Digital Operations Department"},
        {"zh-Hant": ["數字化運營部"], "en": []},
        None,
    ),
    "ops": Role(
        "ops",
        "department",
        {"zh-Hant": "運營部門", "en": "Operations Department"},
        {"zh-Hant": [], "en": []},
        None,
    ),
    "all": Role(
        "all",
        "everyone",
        {"zh-Hant": "全體員工", "en": "All Employees"},
        {"zh-Hant": ["全部員工"], "en": ["all employees"]},
        None,
    ),
}


def href(rid: str) -> str:
    return f"/r/{rid}/"


def test_longest_match_first_in_chinese():
    m = RoleMatcher.build(ROLES, "zh-Hant")
    assert [(s, e, r) for s, e, r in m.find("數字化運營部門與運營部門")] == [
        (0, 7, "dig"),
        (8, 12, "ops"),
    ]
    assert [r for _, _, r in m.find("由數字化運營部辦理")] == ["dig"]


def test_no_match_inside_links_code_headings_or_references():
    m = RoleMatcher.build(ROLES, "zh-Hant")
    text = "# 運營部門\n見[運營部門](x.md)、`運營部門`、<a href='y'>運營部門</a>、[[ops-dept]]。\n運營部門應辦理。"
    assert [r for _, _, r in m.find(text)] == ["ops"]
    linked = m.link(text, href)
    assert linked.count("{: .role }") == 1
    assert linked.endswith("[運營部門](/r/ops/){: .role }應辦理。")


def test_english_whole_words_case_insensitive_first_mention_only():
    m = RoleMatcher.build(ROLES, "en")
    text = "The Digital Operations Department and all employees shall comply; the Digital Operations Department reports."
    out = m.link(text, href)
    assert out.count("(/r/dig/)") == 1 and out.count("(/r/all/)") == 1
    assert "[all employees](/r/all/){: .role }" in out
    assert m.link(text, href, "all").count("(/r/dig/)") == 2
    assert m.link(text, href, "none") == text
    assert m.find("Operations Departmental") == []


@pytest.mark.build
def test_role_page_lists_duties_with_numbers(mini_site):
    zh = (mini_site / "roles/ops-dept/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a class="duty-article" href="../../regulations/alpha/#backup">第三條 備份</a>', zh
    )
    en = (mini_site / "en/roles/ops-dept/index.html").read_text(encoding="utf-8")
    assert (
        '<a class="duty-article" href="../../regulations/alpha/#backup">Article 3 Backup</a>' in en
    )


@pytest.mark.build
def test_article_mentions_link_to_role_pages(mini_site):
    zh = (mini_site / "regulations/alpha/index.html").read_text(encoding="utf-8")
    assert '<a class="role" href="../../roles/ops-dept/">運營部門</a>應辦理下列事項' in zh
    en = (mini_site / "en/regulations/alpha/index.html").read_text(encoding="utf-8")
    assert '<a class="role" href="../../roles/ops-dept/">Operations Department</a> shall' in en


@pytest.mark.build
def test_duty_matrix_page_and_csv_in_both_languages(mini_site):
    for prefix, header in (("", "A-01 甲管理制度"), ("en/", "A-01 Alpha Management Regulation")):
        page = (mini_site / f"{prefix}roles/index.html").read_text(encoding="utf-8")
        assert 'class="duty-matrix"' in page and 'href="duty-matrix.csv"' in page
        assert 'class="mermaid"' not in page and "flowchart" not in page
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="org-chart-svg"' in page
        assert '<h2 id="duty-matrix">' in page and 'href="#duty-matrix"' in page  # in the TOC
        rows = list(
            csv.reader(
                (mini_site / f"{prefix}roles/duty-matrix.csv")
                .read_text(encoding="utf-8-sig")
                .splitlines()
            )
        )
        assert rows[0] == ["role_id", "role", header, rows[0][3], "total"]
        assert dict((r[0], r[2:]) for r in rows[1:]) == {
            "ops-dept": ["1", "0", "1"],
            "all-employees": ["1", "0", "1"],
        }


def test_make_roles_writes_and_checks_the_role_page_stubs(tmp_path, capsys):
    from scripts.sync_role_pages import main

    docs = tmp_path / "docs"
    (docs / "roles").mkdir(parents=True)
    (docs / "roles.yml").write_text(
        "roles:\n  - id: ops\n    kind: department\n    name: {zh-Hant: 營運部, en: Operations}\n"
        "  - id: hr\n    kind: department\n    name: {zh-Hant: 人資部, en: HR}\n",
        encoding="utf-8",
    )
    (docs / "roles" / "ghost.md").write_text("---\ncompendium: role\nrole: ghost\n---\n")
    assert main([str(docs), "--check"]) == 1
    assert main([str(docs)]) == 0
    assert sorted(p.name for p in (docs / "roles").iterdir()) == ["hr.md", "index.md", "ops.md"]
    assert (docs / "roles" / "ops.md").read_text() == "---\ncompendium: role\nrole: ops\n---\n"
    assert (docs / "roles" / "index.md").read_text() == "---\ncompendium: roles\n---\n"
    capsys.readouterr()
    assert main([str(docs), "--check"]) == 0
    assert capsys.readouterr().out == ""
