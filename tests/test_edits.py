"""The one owner of atomic writes: a reader sees the old file or the new one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compendium.source.edits import write_atomic


def test_write_atomic_replaces_text_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o600)
    assert write_atomic(target, "新的 text") == target
    assert target.read_text(encoding="utf-8") == "新的 text"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_write_atomic_new_file_bytes_and_folders(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "b.pdf"
    write_atomic(target, b"%PDF-1.7\n")
    assert target.read_bytes() == b"%PDF-1.7\n"
    assert target.stat().st_mode & 0o777 == 0o644


def test_write_atomic_failure_leaves_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "c.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md"]


def test_report_names_have_one_owner() -> None:
    from compendium.changes.outputs import report_name
    from compendium.changes.report import FORMATS

    assert report_name("html", "en") == "redline.en.html"
    assert report_name("md", "zh-Hant") == "summary.zh-Hant.md"
    assert report_name("json") == "diff.json"
    assert FORMATS == ("html", "table", "md", "json")
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        report_name("pdf", "en")
    with pytest.raises(ValueError, match="needs a language"):
        report_name("table")
