"""The edition a PDF states: release (from the release records), commit and date (from git)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from compendium.printing.buildinfo import build_info
from compendium.source.ledger import Approval, ReleaseRecord, digests_of, folder_files, record_text


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_release_commit_and_date_from_git(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 規章\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first", "--date", "2026-03-05T10:00:00+00:00")
    sources, digests = digests_of(folder_files(docs))
    approval = Approval({"zh-Hant": "董事會", "en": "Board"}, dt.date(2026, 3, 1))
    record = ReleaseRecord(
        "2026.1", dt.date(2026, 3, 5), approval, approval.date, {}, sources, digests
    )
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "2026.1.yml").write_text(record_text(record), encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "release record")
    info = build_info(docs, environ={})
    assert info.release == "2026.1" and not info.modified and info.commit
    (docs / "index.md").write_text("# 規章（草案）\n", encoding="utf-8")
    draft = build_info(docs, environ={})
    assert draft.release is None and draft.modified and draft.commit == info.commit
    dated = build_info(docs, environ={"SOURCE_DATE_EPOCH": "1767225600"})
    assert dated.built == dt.date(2026, 1, 1)
    given = build_info(docs, release="2026.9", date="2026-12-01", environ={})
    assert (given.release, given.built) == ("2026.9", dt.date(2026, 12, 1))


def test_outside_git_is_a_draft_of_today(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    info = build_info(docs, environ={})
    assert (info.release, info.commit, info.modified) == (None, None, False)
    assert info.built == dt.date.today()
