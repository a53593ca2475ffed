"""The editor's workflow: schemas, scaffolding, renames and moves (on scratch copies)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.changes.diff import compare
from compendium.editing.rename import RenameError, move, rename
from compendium.editing.scaffold import ScaffoldError, new_article, new_regulation
from compendium.source.loader import load
from compendium.source.schema import all_schemas, dumps
from compendium.source.schemacheck import validate_tree
from compendium.source.tree import DirTree

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path / "docs"


def _errors(docs: Path) -> list[str]:
    _, problems = load(DirTree(docs))
    return [str(p) for p in problems.errors]


def test_shipped_schemas_are_current():
    for name, schema in all_schemas().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == dumps(schema), name
    run = subprocess.run(
        [sys.executable, "scripts/schema.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout


def test_schema_check_fails_when_stale(tmp_path):
    out = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", out)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del data["properties"]["owner"]
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "scripts/schema.py", "--check", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "manifest.json:1: stale or missing schema" in run.stdout


def test_schema_follows_the_loader_fields():
    from compendium.source.loader import MANIFEST_FIELDS, MANIFEST_OPTIONAL, ZH_OPTIONAL

    schemas = all_schemas()
    assert set(schemas["manifest.json"]["properties"]) == set(MANIFEST_FIELDS) | MANIFEST_OPTIONAL
    assert set(schemas["manifest.json"]["required"]) == set(MANIFEST_FIELDS)
    assert set(schemas["article.zh-Hant.json"]["properties"]) == {"id"} | ZH_OPTIONAL


def test_every_shipped_file_validates():
    problems = validate_tree(DirTree(ROOT / "docs", display_root="docs"))
    assert [str(p) for p in problems.errors] == []


def test_broken_files_fail_with_path_and_line(docs):
    manifest = docs / "regulations" / "digital-operations" / "index.md"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("numbering: chapter-article", "numbering: roman"), encoding="utf-8"
    )
    art = docs / "regulations" / "digital-operations" / "scope.zh-Hant.md"
    art.write_text(
        art.read_text(encoding="utf-8").replace("id: scope", "id: scope\ncolour: red"),
        encoding="utf-8",
    )
    roles = docs / "roles.yml"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("kind: department", "kind: dept", 1),
        encoding="utf-8",
    )
    msgs = [str(p) for p in validate_tree(DirTree(docs, display_root="docs")).errors]
    line = text.split("\n").index("numbering: chapter-article") + 1
    assert any(
        m.startswith(f"docs/regulations/digital-operations/index.md:{line}: ") and "'roman'" in m
        for m in msgs
    ), msgs
    assert any(
        m.startswith("docs/regulations/digital-operations/scope.zh-Hant.md:3: ") and "colour" in m
        for m in msgs
    ), msgs
    assert any(m.startswith("docs/roles.yml:") and "'dept'" in m for m in msgs), msgs


def test_vscode_settings_map_every_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {Path(k).name for k in settings["yaml.schemas"]}
    assert mapped == set(all_schemas())
    for path in settings["yaml.schemas"]:
        assert (ROOT / path).is_file(), path


def test_new_regulation_and_articles(docs):
    new_regulation(docs, "leave-policy", "請假管理辦法", "Leave Policy", owner="hr-dept").apply()
    new_article(docs, "leave-policy", "sick-leave", "purpose").apply()
    new_article(docs, "leave-policy", "annual-leave", "purpose", inserted=True).apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    reg = comp.regulations["leave-policy"]
    assert list(reg.articles) == ["purpose", "annual-leave", "sick-leave"]
    assert reg.articles["annual-leave"].inserted and reg.title["en"] == "Leave Policy"
    assert validate_tree(DirTree(docs)).errors == []
    with pytest.raises(ScaffoldError, match="already exists"):
        new_regulation(docs, "leave-policy", "x", "y", owner="hr-dept")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_article(docs, "leave-policy", "sick-leave", "purpose")
    with pytest.raises(ScaffoldError, match="neither an article nor a chapter"):
        new_article(docs, "leave-policy", "other", "nowhere")
    with pytest.raises(ScaffoldError, match="invalid .* id"):
        new_article(docs, "leave-policy", "Bad_Id", "purpose")


def test_new_article_in_a_block_list_keeps_the_layout(docs):
    manifest = docs / "regulations" / "digital-operations" / "index.md"
    before = manifest.read_text(encoding="utf-8").split("\n")
    new_article(docs, "digital-operations", "scope-extra", "scope", inserted=True).apply()
    after = manifest.read_text(encoding="utf-8").split("\n")
    i = before.index("      - scope")
    assert after[: i + 1] == before[: i + 1]
    assert after[i + 1] == "      - {id: scope-extra, inserted: true}"
    assert after[i + 2 :] == before[i + 1 :]


def test_rename_article_rewrites_references_and_packs(docs):
    ref = docs / "regulations" / "digital-operations" / "supervision.zh-Hant.md"
    ref.write_text(
        ref.read_text(encoding="utf-8").rstrip() + "依[[data-backup]]辦理。\n", encoding="utf-8"
    )
    other = docs / "regulations" / "black-iron-operations" / "scope.zh-Hant.md"
    other.write_text(
        other.read_text(encoding="utf-8").rstrip() + "參照[[digital-operations/data-backup]]。\n",
        encoding="utf-8",
    )
    packs = docs / "packs.yml"
    packs.write_text(
        packs.read_text(encoding="utf-8") + "      - articles: [digital-operations/data-backup]\n",
        encoding="utf-8",
    )
    assert _errors(docs) == []
    old_comp, _ = load(DirTree(docs))
    edits = rename(docs, "digital-operations/data-backup", "digital-operations/backups")
    touched = edits.touched()
    edits.apply()
    assert "regulations/digital-operations/backups.zh-Hant.md" in touched
    assert (
        "packs.yml" in touched and "regulations/black-iron-operations/scope.zh-Hant.md" in touched
    )
    assert not (docs / "regulations" / "digital-operations" / "data-backup.zh-Hant.md").exists()
    assert "[[backups]]" in ref.read_text(encoding="utf-8")
    assert "[[digital-operations/backups]]" in other.read_text(encoding="utf-8")
    assert "digital-operations/backups" in packs.read_text(encoding="utf-8")
    assert _errors(docs) == []
    new_comp, _ = load(DirTree(docs))
    diff = compare(old_comp, new_comp)
    assert diff.changes == [], [(c.key, c.kinds) for c in diff.changes]
    with pytest.raises(RenameError, match="already exists"):
        rename(docs, "digital-operations/backups", "digital-operations/scope")


def test_rename_role_and_chapter(docs):
    rename(docs, "role:hr-dept", "human-resources").apply()
    assert _errors(docs) == []
    text = "".join(
        p.read_text(encoding="utf-8") for p in docs.rglob("*") if p.suffix in (".md", ".yml")
    )
    assert "hr-dept" not in text and (docs / "roles" / "human-resources.md").is_file()
    rename(
        docs, "digital-operations/general", "general-provisions".join(["digital-operations/", ""])
    ).apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    assert comp.regulations["digital-operations"].chapters[0].id == "general-provisions"


def test_move_article_to_another_regulation_is_reported_as_moved(docs):
    old_comp, _ = load(DirTree(docs))
    edits = move(docs, "digital-operations/data-backup", "black-iron-operations/general")
    edits.apply()
    assert _errors(docs) == []
    new_comp, _ = load(DirTree(docs))
    assert "data-backup" in new_comp.regulations["black-iron-operations"].articles
    diff = compare(old_comp, new_comp)
    moved = [c for c in diff.changes if c.scope == "article" and c.id == "data-backup"]
    assert (
        moved and moved[0].kinds[0] == "moved" and moved[0].old_regulation == "digital-operations"
    )
    with pytest.raises(RenameError, match="not listed"):
        move(docs, "digital-operations/data-backup", "black-iron-operations/general")


def test_check_warns_about_placeholder_texts(docs, capsys):
    import importlib.util

    new_article(docs, "digital-operations", "draft-article", "scope").apply()
    spec = importlib.util.spec_from_file_location("check", ROOT / "scripts" / "check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([str(docs), "--today", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "draft-article.zh-Hant.md:5: warning: the article still has the placeholder text" in out
    assert "draft-article.en.md:4: warning: the article still has the placeholder text" in out
    assert mod.main([str(docs), "--strict", "--today", "2026-06-01"]) == 1


def test_rename_regulation_rewrites_references_and_packs(docs):
    other = docs / "regulations" / "black-iron-operations" / "scope.zh-Hant.md"
    other.write_text(
        other.read_text(encoding="utf-8").rstrip() + "參照[[digital-operations/data-backup]]。\n",
        encoding="utf-8",
    )
    packs = docs / "packs.yml"
    assert "regulation: digital-operations" in packs.read_text(encoding="utf-8")
    count = len(load(DirTree(docs))[0].regulations["digital-operations"].articles)
    edits = rename(docs, "digital-operations", "digital-ops")
    edits.apply()
    assert not (docs / "regulations" / "digital-operations").exists()
    assert "[[digital-ops/data-backup]]" in other.read_text(encoding="utf-8")
    text = packs.read_text(encoding="utf-8")
    assert "digital-operations" not in text and "regulation: digital-ops" in text
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    assert len(comp.regulations["digital-ops"].articles) == count
    with pytest.raises(RenameError, match="already exists"):
        rename(docs, "digital-ops", "white-wall-operations")


def test_a_rename_that_would_break_something_writes_nothing(docs):
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    with pytest.raises(ScaffoldError, match="invalid .* id"):
        rename(docs, "digital-operations/scope", "digital-operations/ch-scope")
    with pytest.raises(RenameError, match="use make move"):
        rename(docs, "digital-operations/scope", "black-iron-operations/scope2")
    after = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert after == before


def test_move_article_to_another_chapter(docs):
    old_comp, _ = load(DirTree(docs))
    move(docs, "digital-operations/data-backup", "general", after="purpose").apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    reg = comp.regulations["digital-operations"]
    assert reg.chapters[0].article_ids[:2] == ["purpose", "data-backup"]
    diff = compare(old_comp, comp)
    kinds = {c.id: c.kinds for c in diff.changes if c.scope == "article"}
    assert kinds["data-backup"][0] == "moved" and kinds["scope"] == ("renumbered",)
