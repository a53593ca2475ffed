"""YAML and stub pages: alias bombs, control characters, BOMs, oversized fields,
stub-page front-matter that would reach the theme's <head> and nav, and the scaffold."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.editing.scaffold import ScaffoldError, new_article, new_regulation
from compendium.source.checks import validate
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import MAX_FIELD_CHARS, MAX_YAML_CHARS, YamlError, load_yaml
from tests.conftest import ROOT, make_project
from tests.hostile.conftest import ALPHA, MINI, UNCHECKED_BUILD, check_output, run

BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

REDIRECT = '0;url=http://127.0.0.1:8734/X" http-equiv="refresh'
AUTHOR = 'a"><x_a style="position:fixed;inset:0">PWNED</x_a><x_b a="'
NAV = "公告<x_n style=position:fixed>NAVPWN</x_n>"


_out = check_output


def _errors(docs: Path) -> list[str]:
    _, problems = validate(DirTree(docs, "docs"))
    return [f"{p.path}:{p.line}: {p.message}" for p in problems.items if p.severity == "error"]


# M1: anchors and aliases


def test_alias_bomb_is_refused_before_expansion():
    with pytest.raises(YamlError) as exc:
        load_yaml(BOMB)
    assert exc.value.line == 1
    assert "anchors and aliases are not allowed" in exc.value.message


def test_alias_bomb_in_roles_and_front_matter(docs):
    (docs / "roles.yml").write_text(BOMB, "utf-8")
    art = docs / ALPHA / "scope.zh-Hant.md"
    head, _, rest = art.read_text("utf-8").partition("\n---\n")
    art.write_text(f"{head}\nnote: &n x\nother: *n\n---\n{rest}", "utf-8")
    out = _out(docs)
    assert "docs/roles.yml:1: YAML anchors and aliases are not allowed" in out
    assert re.search(r"scope\.zh-Hant\.md:\d+: YAML anchors and aliases are not allowed", out)


def test_huge_yaml_document_is_refused():
    with pytest.raises(YamlError, match="characters long"):
        load_yaml("a: b\n" * (MAX_YAML_CHARS // 5 + 1))


# M2: control characters


@pytest.mark.parametrize("ch", ["\x01", "\x00", "\x07", "\x08"])
def test_control_character_in_yaml_names_it(docs, ch):
    (docs / "glossary.yml").write_text(
        (docs / "glossary.yml").read_text("utf-8") + f"# bad {ch}\n", "utf-8"
    )
    art = docs / ALPHA / "scope.zh-Hant.md"
    head, _, rest = art.read_text("utf-8").partition("\n---\n")
    art.write_text(f"{head}\nnote: x{ch}y\n---\n{rest}", "utf-8")
    out = _out(docs)
    name = f"U+{ord(ch):04X}"
    assert re.search(rf"docs/glossary\.yml:\d+: control character {re.escape(name)}", out), out
    assert re.search(rf"scope\.zh-Hant\.md:\d+: control character {re.escape(name)}", out), out


def test_control_character_in_a_body_is_an_error(docs):
    art = docs / ALPHA / "scope.zh-Hant.md"
    text = art.read_text("utf-8")
    art.write_text(text + "\n本條\x01隱藏\n", "utf-8")
    line = (text + "\n").count("\n") + 1
    errors = _errors(docs)
    assert f"docs/{ALPHA}/scope.zh-Hant.md:{line}: control character U+0001 is not allowed" in (
        "\n".join(errors)
    ), errors


def test_diff_reports_control_character_without_traceback(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "docs")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "a"], check=True)
    roles = repo / "docs" / "roles.yml"
    roles.write_text(roles.read_text("utf-8") + "# \x01\n", "utf-8")
    subprocess.run([*git, "-C", str(repo), "commit", "-qam", "b"], check=True)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "diff.py"),
            "HEAD~1",
            "HEAD",
            "--out",
            str(tmp_path / "out"),
            "--allow-outside",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    assert "U+0001" in out, out


# M4: field length


def test_huge_yaml_field_is_refused(docs):
    art = docs / ALPHA / "scope.zh-Hant.md"
    head, _, rest = art.read_text("utf-8").partition("\n---\n")
    art.write_text(f"{head}\nnote: {'長' * (MAX_FIELD_CHARS + 1)}\n---\n{rest}", "utf-8")
    assert re.search(
        r"scope\.zh-Hant\.md:\d+: the text is 20,001 characters long \(expected at most 20,000",
        _out(docs),
    )


# L3: roles cascade into packs.yml


def test_broken_roles_does_not_cascade_into_packs(docs):
    (docs / "packs.yml").write_text(
        "packs:\n  - id: ops\n    title: {zh-Hant: 包, en: Pack}\n    roles: [ops-dept]\n"
        "    contents: [general-provisions]\n",
        "utf-8",
    )
    (docs / "roles.yml").write_text("roles:\n  - id: ops-dept\n    name: [unclosed\n", "utf-8")
    errors = _errors(docs)
    assert len(errors) == 1, errors
    assert errors[0].startswith("docs/roles.yml:")


# L4: BOM in YAML


@pytest.mark.parametrize("name", ["roles.yml", "glossary.yml"])
def test_bom_in_yaml_file(docs, name):
    path = docs / name
    path.write_text("\ufeff" + path.read_text("utf-8"), "utf-8")
    assert f"docs/{name}:1: the file starts with a byte order mark (BOM)" in _out(docs)


# H3: stub pages


def test_stub_page_unknown_keys_are_refused(docs):
    (docs / "roles" / "index.md").write_text(
        f"---\ncompendium: roles\ndescription: '{REDIRECT}'\nauthor: '{AUTHOR}'\n---\n", "utf-8"
    )
    errors = "\n".join(_errors(docs))
    assert "docs/roles/index.md:3: unknown front-matter field 'description'" in errors, errors
    assert "docs/roles/index.md:4: unknown front-matter field 'author'" in errors, errors


def test_plain_page_title_with_html_is_refused(docs):
    (docs / "notice.md").write_text(f"---\ntitle: '{NAV}'\nhide: [nav]\n---\n\n公告\n", "utf-8")
    errors = "\n".join(_errors(docs))
    assert "docs/notice.md:2: front-matter field 'title' holds HTML" in errors, errors
    assert "docs/notice.md:3: unknown front-matter field 'hide'" in errors, errors


def test_multimarkdown_meta_is_refused(docs):
    (docs / "notice.md").write_text(f"description: {REDIRECT}\n\n公告\n", "utf-8")
    assert "docs/notice.md:1: metadata lines at the top of a page are not allowed" in "\n".join(
        _errors(docs)
    )


def test_regulation_kind_outside_regulation_folder(docs):
    (docs / "notice.md").write_text("---\ncompendium: regulation\nid: alpha\n---\n", "utf-8")
    errors = "\n".join(_errors(docs))
    assert "docs/notice.md:2: page kind 'regulation' belongs only in" in errors, errors
    assert "docs/notice.md:3: unknown front-matter field 'id'" in errors, errors


@pytest.fixture(scope="module")
def stub_site(tmp_path_factory) -> Path:
    """Hostile stub pages built with validation switched off: the hook must escape."""
    base = tmp_path_factory.mktemp("stubs")
    docs = base / "src" / "docs"
    shutil.copytree(MINI, docs)
    (docs / "roles" / "index.md").write_text(
        f"---\ncompendium: roles\ndescription: '{REDIRECT}'\nauthor: '{AUTHOR}'\n---\n", "utf-8"
    )
    (docs / "notice.md").write_text(
        f"---\ntitle: '{NAV}'\ndescription: '{REDIRECT}'\nauthor: '{AUTHOR}'\n---\n\n公告\n",
        "utf-8",
    )
    proj = make_project(base, docs)
    result = run([sys.executable, "-c", UNCHECKED_BUILD, str(proj / "site")], proj)
    assert result.returncode == 0, result.stderr[-3000:]
    return proj / "site"


def test_unchecked_build_escapes_stub_meta(stub_site):
    pages = list(stub_site.rglob("*.html"))
    assert len(pages) > 5
    seen = 0
    for page in pages:
        html = page.read_text("utf-8")
        assert 'http-equiv="refresh' not in html, page
        assert "<x_a" not in html and "<x_b" not in html and "<x_n" not in html, page
        seen += "NAVPWN" in html
    assert seen > 3  # the escaped title is in the nav of every page
    notice = next(p for p in pages if p.parent.name == "notice").read_text("utf-8")
    assert "&lt;x_n style=position:fixed&gt;NAVPWN" in notice
    assert "http-equiv=&#34;refresh" in notice or "http-equiv=&quot;refresh" in notice


# L5: the scaffold refuses what validation refuses


@pytest.mark.parametrize(
    "title", ["<img src=x onerror=alert(1)>", "甲\x01乙", "甲\n乙", "長" * (MAX_FIELD_CHARS + 1)]
)
def test_scaffold_refuses_invalid_titles(docs, title):
    with pytest.raises(ScaffoldError):
        new_regulation(docs, "gamma", title, "Gamma", owner="ops-dept")
    with pytest.raises(ScaffoldError):
        new_article(docs, "alpha", "extra", "purpose", caption=title)
    assert not (docs / "regulations" / "gamma").exists()


def test_scaffold_output_passes_validation(docs):
    new_regulation(docs, "gamma", "丙管理制度", "Gamma Policy", owner="ops-dept").apply()
    assert not [e for e in _errors(docs) if "gamma" in e]
