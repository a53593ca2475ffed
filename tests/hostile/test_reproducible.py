"""The same commit builds byte-identical sites and PDFs in any folder, on any day."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_project
from tests.hostile.conftest import MINI

pytestmark = [pytest.mark.build, pytest.mark.pdf]

COMMIT_DATE = "2020-01-02T03:04:05+00:00"


def _repo(base: Path) -> Path:
    proj = make_project(base, MINI)
    shutil.copytree(
        ROOT / "scripts", proj / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=COMMIT_DATE,
        GIT_COMMITTER_DATE=COMMIT_DATE,
        GIT_AUTHOR_NAME="e",
        GIT_AUTHOR_EMAIL="e@example.com",
        GIT_COMMITTER_NAME="e",
        GIT_COMMITTER_EMAIL="e@example.com",
    )
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "fixture"]):
        subprocess.run(cmd, cwd=proj, env=env, check=True, capture_output=True)
    return proj


def _build(proj: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [sys.executable, "scripts/build_site.py"],
        cwd=proj,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (proj / "site.tmp").exists() and not (proj / "site.old").exists()
    return proj / "site"


def _differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out = [str(Path(a, n)) for n in cmp.left_only + cmp.right_only + cmp.diff_files]
    for n in cmp.common_files:  # dircmp compares shallowly; compare the bytes
        if (a / n).read_bytes() != (b / n).read_bytes():
            out.append(str(a / n))
    for sub in cmp.common_dirs:
        out += _differences(a / sub, b / sub)
    return sorted(set(out))


def test_two_builds_in_different_folders_are_identical_and_dated_by_the_commit(tmp_path):
    first = _build(_repo(tmp_path / "one"))
    second = _build(_repo(tmp_path / "somewhere" / "else"))
    assert list(first.rglob("*.pdf")), "the PDFs are part of the build"
    assert _differences(first, second) == []
    sitemap = (first / "sitemap.xml").read_text("utf-8")
    assert "2020-01-02" in sitemap
    assert dt.date.today().isoformat() not in sitemap
    # a second build in the same folder swaps the output in whole
    kept = shutil.copytree(first, tmp_path / "kept")
    again = _build(first.parent)
    assert _differences(kept, again) == []
