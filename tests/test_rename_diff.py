"""Renames across releases: ids are identity, so renaming a regulation, chapter, section
or article with ``make rename`` is no change in the diff (no removal plus addition),
in a scratch git repository released with the project's own scripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compendium.changes.git import GitRepo
from compendium.changes.releases import diff_refs
from compendium.editing.rename import move, rename
from compendium.source.loader import load
from compendium.source.tree import DirTree
from tests.test_diff import FIXTURES, _script, commit_and_release, git, init_repo

SECTIONS = """\
  - id: data
    title: {zh-Hant: 數據管理, en: Data Management}
    sections:
      - id: data-keeping
        title: {zh-Hant: 數據保存, en: Keeping Data}
        articles: [backup, retention]
      - id: data-use
        title: {zh-Hant: 數據使用, en: Using Data}
        articles: [access, old-rule, logging]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Release 2026.1: the r1 fixture, alpha's second chapter split into two sections."""
    path = init_repo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "r1" / "docs", path / "docs")
    manifest = path / "docs" / "regulations" / "alpha" / "index.md"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("  - id: data\n")
    end = text.index("  - id: closing\n")
    manifest.write_text(text[:start] + SECTIONS + text[end:], encoding="utf-8")
    commit_and_release(path, "2026.1", "第一版。")
    return path


def _amend(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "（修正）\n", encoding="utf-8")


def _rename(repo: Path, old: str, new: str) -> None:
    docs = repo / "docs"
    rename(docs, old, new).apply()
    _, problems = load(DirTree(docs))
    assert [str(p) for p in problems.errors] == []


def test_renames_of_every_kind_are_no_change(repo: Path, tmp_path: Path) -> None:
    _rename(repo, "alpha/general", "alpha/general-provisions")  # a chapter
    _rename(repo, "alpha/data-keeping", "alpha/retention-rules")  # a section
    _rename(repo, "alpha/backup", "alpha/backups")  # an article
    _rename(repo, "beta", "operations")  # a regulation
    manifest = (repo / "docs" / "regulations" / "alpha" / "index.md").read_text(encoding="utf-8")
    assert "  - id: general-provisions\n    formerly: [general]\n" in manifest
    assert "      - id: retention-rules\n        formerly: [data-keeping]\n" in manifest
    beta = (repo / "docs" / "regulations" / "operations" / "index.md").read_text(encoding="utf-8")
    assert "id: operations\nformerly: [beta]\n" in beta
    # a release needs a change besides the renames
    _amend(repo / "docs" / "regulations" / "gamma" / "gamma-only.zh-Hant.md")
    commit_and_release(repo, "2026.2", "改名。")

    diff, _old, _new = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    assert [c.key for c in diff.changes] == ["article:gamma:gamma-only"]
    assert diff.regulations["operations"].status == "current"
    assert "beta" not in diff.regulations

    out = tmp_path / "diff"
    assert (
        _script("diff").main(
            ["2026.1", "2026.2", "--repo", str(repo), "--out", str(out), "--allow-outside"]
        )
        == 0
    )
    data = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert len(data["changes"]) == 1
    summary = (out / "summary.en.md").read_text(encoding="utf-8")
    assert "Removed" not in summary and "Added" not in summary and "Retired" not in summary


def test_renamed_chapter_that_also_changes_is_reported_once(repo: Path) -> None:
    """A chapter renamed twice (two releases) and retitled: one `renamed` (title) change
    under its new id, its articles neither moved nor removed; an article moved out of a
    renamed regulation's chapter is still a move."""
    _rename(repo, "alpha/general", "alpha/basics")
    _amend(repo / "docs" / "regulations" / "gamma" / "gamma-only.zh-Hant.md")
    commit_and_release(repo, "2026.2", "第一次改名。")
    _rename(repo, "alpha/basics", "alpha/foundations")
    manifest = repo / "docs" / "regulations" / "alpha" / "index.md"
    text = manifest.read_text(encoding="utf-8")
    assert "formerly: [general, basics]" in text
    manifest.write_text(text.replace("en: General Provisions", "en: Basics"), encoding="utf-8")
    _rename(repo, "beta", "operations")
    move(repo / "docs", "operations/contact", "intro", after="beta-purpose").apply()
    commit_and_release(repo, "2026.3", "第二次改名。")

    diff, _old, _new = diff_refs(GitRepo(repo), "2026.1", "2026.3")
    kinds = {c.key: c.kinds for c in diff.changes}
    assert kinds["chapter:alpha:foundations"] == ("renamed",)
    change = next(c for c in diff.changes if c.key == "chapter:alpha:foundations")
    assert change.fields["title"][0]["en"] == "General Provisions"
    assert change.fields["title"][1]["en"] == "Basics"
    moved = next(c for c in diff.changes if c.key == "article:operations:contact")
    assert moved.kinds == ("moved",) and moved.old_regulation is None
    assert moved.old is not None and moved.old.chapter == "contact-chapter"
    assert not any(k.startswith(("article:alpha:", "regulation:")) for k in kinds)
    assert not any("removed" in k or "added" in k for k in kinds.values())


def test_diff_refuses_a_ref_without_a_compendium_and_lists_broken_files(
    repo: Path, tmp_path: Path, capsys
) -> None:
    """Both sides are validated: a broken side names file and line (the reports are still
    written, an old release may fail newer rules); a ref without docs/ is refused."""
    diff = _script("diff")
    manifest = repo / "docs" / "regulations" / "alpha" / "index.md"
    manifest.write_text("---\nid: [broken\n---\n", encoding="utf-8")
    git(repo, "commit", "-qam", "break alpha")
    git(repo, "tag", "broken")
    out = tmp_path / "out"
    assert (
        diff.main(["broken", "2026.1", "--repo", str(repo), "--out", str(out), "--allow-outside"])
        == 0
    )
    err = capsys.readouterr().err
    assert "broken:docs/regulations/alpha/index.md:3: malformed YAML" in err
    assert (out / "diff.json").is_file()
    git(repo, "rm", "-rq", "docs")
    git(repo, "commit", "-qm", "no docs")
    for refs in (["HEAD", "2026.1"], ["2026.1", "HEAD"]):
        out = tmp_path / "none"
        assert diff.main([*refs, "--repo", str(repo), "--out", str(out), "--allow-outside"]) == 2
        assert "HEAD: no compendium in its 'docs' folder" in capsys.readouterr().err
        assert not out.exists()


def test_formerly_in_a_manifest_must_list_ids(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "r1" / "docs", docs)
    manifest = docs / "regulations" / "alpha" / "index.md"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("id: alpha\n", "id: alpha\nformerly: old-alpha\n")
    text = text.replace("  - id: data\n", "  - id: data\n    formerly: [Data Chapter]\n")
    manifest.write_text(text, encoding="utf-8")
    _, problems = load(DirTree(docs))
    errors = [str(p) for p in problems.errors]
    assert any(
        "alpha/index.md:4:" in e and "field 'formerly' must be a list of earlier ids" in e
        for e in errors
    ), errors
    assert any(
        "alpha/index.md:" in e and "invalid earlier chapter id 'Data Chapter'" in e for e in errors
    ), errors
