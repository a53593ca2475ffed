"""The one owner of atomic writes: a reader sees the old file or the new one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compendium.fsutil import Edits, replace_dir, write_atomic, write_atomic_via


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


def test_write_atomic_via_failure_keeps_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "d.pdf"
    target.write_bytes(b"old")

    def half_written(tmp: Path) -> None:
        tmp.write_bytes(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic_via(target, half_written)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.pdf"]
    assert write_atomic_via(target, lambda tmp: tmp.write_bytes(b"new")) == 3
    assert target.read_bytes() == b"new"


def test_replace_dir_swaps_a_folder_whole(tmp_path: Path) -> None:
    target, new = tmp_path / "site", tmp_path / "site.tmp"
    (target / "old").mkdir(parents=True)
    (new / "fresh").mkdir(parents=True)
    replace_dir(new, target)
    assert [p.name for p in target.iterdir()] == ["fresh"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    (tmp_path / "first").mkdir()
    replace_dir(tmp_path / "first", tmp_path / "absent")  # no old folder to set aside
    assert (tmp_path / "absent").is_dir()


def test_replace_dir_puts_the_old_folder_back_when_the_new_cannot_go_in(tmp_path: Path) -> None:
    target = tmp_path / "site"
    (target / "old").mkdir(parents=True)
    with pytest.raises(OSError):
        replace_dir(tmp_path / "missing", target)
    assert [p.name for p in target.iterdir()] == ["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_edits_keep_the_mode_of_a_file_they_rewrite(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("old", encoding="utf-8")
    os.chmod(script, 0o755)
    edits = Edits(tmp_path)
    edits.write("run.sh", "new")
    edits.write("new.md", "text")
    edits.apply()
    assert script.read_text(encoding="utf-8") == "new"
    assert script.stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644


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
