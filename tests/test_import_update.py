"""Update mode: re-importing a newer source keeps ids and what editors added."""

from __future__ import annotations

import shutil
from pathlib import Path

from compendium.source.loader import load
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import split_front_matter

from .test_importer import import_regulation

HERE = Path(__file__).parent
OLD = """請假規則
第一章　總則
第一條　為規範員工請假，特訂定本規則。
第二條　員工請假應先申請。
第三條　請假應填寫假單。
第二章　附則
第四條　本規則自公布日施行。
"""
NEW = """請假規則
第一章　總則
第一條　為規範員工請假，特訂定本規則。
第二條　員工請假應於三日前申請。
第二條之一　員工請假逾三日者，應經部門主管核准。
第三條　（刪除）
第二章　附則
第四條　本規則自公布日施行。
"""


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(HERE / "fixtures" / "mini" / "docs", docs)
    return docs


def _front(path: Path) -> dict:
    return split_front_matter(path.read_text(encoding="utf-8")).meta


def test_update_keeps_ids_and_editor_fields_adds_and_repeals(tmp_path, capsys):
    docs = _docs(tmp_path)
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW, encoding="utf-8")
    base = ["--id", "leave", "--owner", "all-employees", "--docs", str(docs), "--no-roles"]
    assert (
        import_regulation.main([str(tmp_path / "old.txt"), *base, "--effective", "2024-01-01"]) == 0
    )
    folder = docs / "regulations" / "leave"
    # an editor renames nothing but adds a caption, history and an editorial note
    art = folder / "a002.zh-Hant.md"
    art.write_text(
        "---\nid: a002\ncaption: 請假程序\nroles: []\neditorial:\n  - 編者附註。\n---\n"
        "員工請假應先申請。\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    rc = import_regulation.main(
        [str(tmp_path / "new.txt"), *base, "--effective", "2024-08-01", "--update"]
    )
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "update: 1 added, 2 amended, 1 repealed, 0 removed, 2 unchanged" in out
    meta = _front(art)
    assert meta["caption"] == "請假程序" and meta["editorial"] == ["編者附註。"]
    assert "三日前" in art.read_text(encoding="utf-8")
    manifest = _front(folder / "index.md")
    entries = manifest["chapters"][0]["articles"]
    assert entries[2] == {"id": "a002-1", "inserted": True}
    assert str(entries[3]["repealed"]) == "2024-08-01" and entries[3]["id"] == "a003"
    comp, problems = load(DirTree(docs))
    assert problems.errors == []
    assert comp.regulations["leave"].articles["a003"].repealed is not None


def test_update_stops_on_missing_articles_unless_told(tmp_path, capsys):
    docs = _docs(tmp_path)
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    shorter = OLD.replace("第三條　請假應填寫假單。\n", "").replace("第四條", "第三條")
    (tmp_path / "new.txt").write_text(shorter, encoding="utf-8")
    base = ["--id", "leave", "--owner", "all-employees", "--docs", str(docs), "--no-roles"]
    assert import_regulation.main([str(tmp_path / "old.txt"), *base]) == 0
    before = sorted(p.name for p in (docs / "regulations" / "leave").iterdir())
    capsys.readouterr()
    assert import_regulation.main([str(tmp_path / "new.txt"), *base, "--update"]) == 2
    err = capsys.readouterr().err
    assert "1 article(s) of regulations/leave are not in the new source: a004" in err
    assert sorted(p.name for p in (docs / "regulations" / "leave").iterdir()) == before
    assert (
        import_regulation.main(
            [str(tmp_path / "new.txt"), *base, "--update", "--missing", "remove"]
        )
        == 0
    )
    assert not (docs / "regulations" / "leave" / "a004.zh-Hant.md").exists()


def test_leftover_folders_are_reported_with_the_way_out(tmp_path, capsys):
    docs = _docs(tmp_path)
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (docs / "regulations" / ".leave.replaced-abc").mkdir(parents=True)
    rc = import_regulation.main(
        [str(tmp_path / "old.txt"), "--id", "leave", "--docs", str(docs), "--no-roles"]
    )
    assert rc == 2
    err = capsys.readouterr().err
    assert ".leave.replaced-abc" in err and "rename .leave.replaced-abc back to leave" in err
