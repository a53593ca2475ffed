"""Careless or hostile sources give one clear path:line message each, never a traceback."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from tests.conftest import make_project, mkdocs_build
from tests.hostile.conftest import ALPHA, check_output

_out = check_output


def test_gbk_manifest_names_the_encoding_and_the_rest_is_still_checked(docs):
    manifest = docs / ALPHA / "index.md"
    manifest.write_bytes(
        manifest.read_text("utf-8").replace("甲管理制度", "甲管理制度办法").encode("gb18030")
    )
    (docs / "regulations/beta/index.md").write_text("no front-matter\n", "utf-8")
    out = _out(docs)
    assert re.search(
        r"docs/regulations/alpha/index\.md:\d+: file is not UTF-8 text \(it looks like GB18030", out
    )
    assert "expected UTF-8" in out
    assert "docs/regulations/beta/index.md:1: expected YAML front-matter" in out


def test_bom_before_front_matter(docs):
    art = docs / ALPHA / "scope.zh-Hant.md"
    art.write_text("\ufeff" + art.read_text("utf-8"), "utf-8")
    assert (
        "docs/regulations/alpha/scope.zh-Hant.md:1: the file starts with a byte order mark (BOM)"
        in _out(docs)
    )


@pytest.mark.parametrize("marker", ["- ", "> ", "1. "])
def test_deep_nesting_is_refused(docs, marker):
    art = docs / ALPHA / "scope.zh-Hant.md"
    art.write_text(art.read_text("utf-8") + "\n" + marker * 5000 + "深\n", "utf-8")
    assert re.search(
        r"scope\.zh-Hant\.md:\d+: lists or quotes nested 5000 levels deep \(expected at most 30\)",
        _out(docs),
    )


def test_huge_article_is_refused(docs):
    art = docs / ALPHA / "scope.zh-Hant.md"
    art.write_text(art.read_text("utf-8") + "\n" + "字" * 300_000 + "\n", "utf-8")
    assert re.search(
        r"scope\.zh-Hant\.md:\d+: the text is [\d,]+ characters long \(expected at most 200,000",
        _out(docs),
    )


def test_broken_roles_file_is_one_error(docs):
    (docs / "roles.yml").write_text("roles:\n  - id: ops-dept\n    name: [unclosed\n", "utf-8")
    out = _out(docs)
    errors = [line for line in out.splitlines() if re.match(r"\S+:\d+: (?!warning)", line)]
    assert len(errors) == 1, errors
    assert errors[0].startswith("docs/roles.yml:")


def test_unknown_stub_page_kind(docs):
    (docs / "roles" / "index.md").write_text("---\ncompendium: rolez\n---\n", "utf-8")
    assert "docs/roles/index.md:2: unknown page kind 'rolez'" in _out(docs)


@pytest.mark.parametrize("ref", ["[[scope]", "[scope]]"])
def test_malformed_references(docs, ref):
    art = docs / ALPHA / "purpose.zh-Hant.md"
    art.write_text(art.read_text("utf-8") + f"\n依{ref}辦理。\n", "utf-8")
    assert re.search(
        rf"purpose\.zh-Hant\.md:\d+: malformed cross reference '{re.escape(ref)}'", _out(docs)
    )


def test_leftovers_of_an_interrupted_import_are_reported(docs):
    shutil.copytree(docs / ALPHA, docs / "regulations" / ".alpha.replaced-1234")
    shutil.move(docs / ALPHA, docs / "regulations" / ".gamma.importing-99")
    out = _out(docs)
    assert (
        "docs/regulations/.alpha.replaced-1234:1: warning: leftover of an interrupted import" in out
    )
    assert "rename this folder back to regulations/alpha" in out
    assert ".gamma.importing-99:1: warning: leftover of an interrupted import" in out


def test_symlinks_are_refused_and_never_published(tmp_path, docs):
    os.symlink("/etc/passwd", docs / "assets-passwd.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", "utf-8")
    os.symlink(outside, docs / "linked")
    out = _out(docs)
    assert "docs/assets-passwd.txt:1: symbolic link (to '/etc/passwd') is not allowed" in out
    assert "docs/linked:1: symbolic link" in out


@pytest.mark.build
def test_site_reports_what_check_reports(tmp_path, docs):
    (docs / "packs.yml").write_text("packs: nope\n", "utf-8")
    (docs / "roles" / "index.md").write_text("---\ncompendium: rolez\n---\n", "utf-8")
    proj = make_project(tmp_path, docs)
    result = mkdocs_build(proj)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "docs/packs.yml:1:" in result.stderr
    assert "docs/roles/index.md:2: unknown page kind 'rolez'" in result.stderr


@pytest.mark.build
def test_unchecked_site_never_publishes_a_linked_file(tmp_path, docs):
    import subprocess
    import sys

    from tests.hostile.conftest import UNCHECKED_BUILD

    os.symlink("/etc/passwd", docs / "passwd.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", "utf-8")
    os.symlink(outside, docs / "linked")
    proj = make_project(tmp_path / "p", docs)
    shutil.rmtree(proj / "docs")
    shutil.copytree(docs, proj / "docs", symlinks=True)
    site = proj / "site"
    result = subprocess.run(
        [sys.executable, "-c", UNCHECKED_BUILD, str(site)],
        cwd=proj,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names = {p.name for p in site.rglob("*")}
    assert "passwd.txt" not in names and "secret.txt" not in names
    assert (site / "index.html").exists()


@pytest.mark.parametrize("name", ["evil.html", "regulations/alpha/chart.svg", "roles/x.js"])
def test_active_files_are_refused_outside_assets(docs, name):
    (docs / name).write_text("<script>window.__pwned=1</script>", "utf-8")
    out = _out(docs)
    assert f"docs/{name}:1: this type of file is not allowed in content" in out
