"""The editor's workflow: schemas, scaffolding, renames and moves (on scratch copies of a
fixture compendium, so that editing docs/ never breaks them)."""

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
# alpha (chapter-article, sections, an inserted article) and beta (outline), a pack each.
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "docs"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "docs")
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
    manifest = docs / "regulations" / "alpha" / "index.md"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("numbering: chapter-article", "numbering: roman"), encoding="utf-8"
    )
    art = docs / "regulations" / "alpha" / "scope.zh-Hant.md"
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
        m.startswith(f"docs/regulations/alpha/index.md:{line}: ") and "'roman'" in m for m in msgs
    ), msgs
    assert any(
        m.startswith("docs/regulations/alpha/scope.zh-Hant.md:3: ") and "colour" in m for m in msgs
    ), msgs
    assert any(m.startswith("docs/roles.yml:") and "'dept'" in m for m in msgs), msgs


def test_vscode_settings_map_every_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {Path(k).name for k in settings["yaml.schemas"]}
    assert mapped == set(all_schemas())
    for path in settings["yaml.schemas"]:
        assert (ROOT / path).is_file(), path


def test_new_regulation_and_articles(docs):
    new_regulation(docs, "leave-policy", "請假管理辦法", "Leave Policy", owner="ops-dept").apply()
    new_article(docs, "leave-policy", "sick-leave", "purpose").apply()
    new_article(docs, "leave-policy", "annual-leave", "purpose", inserted=True).apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    reg = comp.regulations["leave-policy"]
    assert list(reg.articles) == ["purpose", "annual-leave", "sick-leave"]
    assert reg.articles["annual-leave"].inserted and reg.title["en"] == "Leave Policy"
    assert validate_tree(DirTree(docs)).errors == []
    with pytest.raises(ScaffoldError, match="already exists"):
        new_regulation(docs, "leave-policy", "x", "y", owner="ops-dept")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_article(docs, "leave-policy", "sick-leave", "purpose")
    with pytest.raises(ScaffoldError, match="neither an article nor a chapter"):
        new_article(docs, "leave-policy", "other", "nowhere")
    with pytest.raises(ScaffoldError, match="invalid .* id"):
        new_article(docs, "leave-policy", "Bad_Id", "purpose")


def test_new_article_in_a_block_list_keeps_the_layout(docs):
    manifest = docs / "regulations" / "beta" / "index.md"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "articles: [intro, principles]", "articles:\n      - intro\n      - principles"
        ),
        encoding="utf-8",
    )
    before = manifest.read_text(encoding="utf-8").split("\n")
    new_article(docs, "beta", "intro-extra", "intro", inserted=True).apply()
    after = manifest.read_text(encoding="utf-8").split("\n")
    i = before.index("      - intro")
    assert after[: i + 1] == before[: i + 1]
    assert after[i + 1] == "      - {id: intro-extra, inserted: true}"
    assert after[i + 2 :] == before[i + 1 :]


def test_rename_article_rewrites_references_and_packs(docs):
    ref = docs / "regulations" / "alpha" / "access.zh-Hant.md"
    ref.write_text(
        ref.read_text(encoding="utf-8").rstrip() + "依[[backup]]辦理。\n", encoding="utf-8"
    )
    other = docs / "regulations" / "beta" / "first-rule.zh-Hant.md"
    other.write_text(
        other.read_text(encoding="utf-8").rstrip() + "參照[[alpha/backup]]。\n",
        encoding="utf-8",
    )
    packs = docs / "packs.yml"
    packs.write_text(
        packs.read_text(encoding="utf-8") + "      - articles: [alpha/backup]\n",
        encoding="utf-8",
    )
    assert _errors(docs) == []
    old_comp, _ = load(DirTree(docs))
    edits = rename(docs, "alpha/backup", "alpha/backups")
    touched = edits.touched()
    edits.apply()
    assert "regulations/alpha/backups.zh-Hant.md" in touched
    assert "packs.yml" in touched and "regulations/beta/first-rule.zh-Hant.md" in touched
    assert not (docs / "regulations" / "alpha" / "backup.zh-Hant.md").exists()
    assert "[[backups]]" in ref.read_text(encoding="utf-8")
    assert "[[alpha/backups]]" in other.read_text(encoding="utf-8")
    assert "alpha/backups" in packs.read_text(encoding="utf-8")
    assert _errors(docs) == []
    new_comp, _ = load(DirTree(docs))
    diff = compare(old_comp, new_comp)
    assert diff.changes == [], [(c.key, c.kinds) for c in diff.changes]
    with pytest.raises(RenameError, match="already exists"):
        rename(docs, "alpha/backups", "alpha/scope")


def test_rename_role_and_chapter(docs):
    rename(docs, "role:ops-dept", "operations").apply()
    assert _errors(docs) == []
    text = "".join(
        p.read_text(encoding="utf-8") for p in docs.rglob("*") if p.suffix in (".md", ".yml")
    )
    assert "ops-dept" not in text and (docs / "roles" / "operations.md").is_file()
    rename(docs, "alpha/general", "alpha/general-provisions").apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    assert comp.regulations["alpha"].chapters[0].id == "general-provisions"


def test_move_article_to_another_regulation_is_reported_as_moved(docs):
    old_comp, _ = load(DirTree(docs))
    edits = move(docs, "alpha/backup", "beta/general")
    edits.apply()
    assert _errors(docs) == []
    new_comp, _ = load(DirTree(docs))
    assert "backup" in new_comp.regulations["beta"].articles
    diff = compare(old_comp, new_comp)
    moved = [c for c in diff.changes if c.scope == "article" and c.id == "backup"]
    assert moved and moved[0].kinds[0] == "moved" and moved[0].old_regulation == "alpha"
    with pytest.raises(RenameError, match="not listed"):
        move(docs, "alpha/backup", "beta/general")


def test_check_warns_about_placeholder_texts(docs, capsys):
    import importlib.util

    new_article(docs, "alpha", "draft-article", "scope").apply()
    spec = importlib.util.spec_from_file_location("check", ROOT / "scripts" / "check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([str(docs), "--today", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "draft-article.zh-Hant.md:5: warning: the article still has the placeholder text" in out
    assert "draft-article.en.md:4: warning: the article still has the placeholder text" in out
    assert mod.main([str(docs), "--strict", "--today", "2026-06-01"]) == 1


def test_rename_regulation_rewrites_references_and_packs(docs):
    other = docs / "regulations" / "beta" / "first-rule.zh-Hant.md"
    other.write_text(
        other.read_text(encoding="utf-8").rstrip() + "參照[[alpha/backup]]。\n",
        encoding="utf-8",
    )
    packs = docs / "packs.yml"
    assert "regulation: alpha" in packs.read_text(encoding="utf-8")
    count = len(load(DirTree(docs))[0].regulations["alpha"].articles)
    edits = rename(docs, "alpha", "gamma")
    edits.apply()
    assert not (docs / "regulations" / "alpha").exists()
    assert "[[gamma/backup]]" in other.read_text(encoding="utf-8")
    text = packs.read_text(encoding="utf-8")
    assert "alpha" not in text and "regulation: gamma" in text
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    assert len(comp.regulations["gamma"].articles) == count
    with pytest.raises(RenameError, match="already exists"):
        rename(docs, "gamma", "beta")


def test_a_rename_that_would_break_something_writes_nothing(docs):
    before = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    with pytest.raises(ScaffoldError, match="invalid .* id"):
        rename(docs, "alpha/scope", "alpha/ch-scope")
    with pytest.raises(RenameError, match="use make move"):
        rename(docs, "alpha/scope", "beta/scope2")
    after = {p: p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    assert after == before


def test_move_article_to_another_chapter(docs):
    old_comp, _ = load(DirTree(docs))
    move(docs, "alpha/backup", "general", after="purpose").apply()
    assert _errors(docs) == []
    comp, _ = load(DirTree(docs))
    reg = comp.regulations["alpha"]
    assert reg.chapters[0].article_ids[:2] == ["purpose", "backup"]
    diff = compare(old_comp, comp)
    kinds = {c.id: c.kinds for c in diff.changes if c.scope == "article"}
    assert kinds["backup"][0] == "moved" and kinds["scope"] == ("renumbered",)
