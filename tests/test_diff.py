"""Releases, the diff between releases, revision history and translation drift.

A temporary git repository is built from tests/fixtures/diff: r1 is a full docs
folder, r2 and r3 are overlays (files to add or replace, and a DELETE list).
Each stage is stamped with scripts/stamp.py, committed and released with
scripts/release.py as release/2026.1, 2026.2 and 2026.3. Every kind of change
occurs between 2026.1 and 2026.2; 2026.2 -> 2026.3 holds whitespace-only edits,
an inserted article (第四條之一) and a Chinese amendment whose English is not
revised (translation drift).
"""

from __future__ import annotations

import gc
import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from compendium.changes.diff import KINDS, compare
from compendium.changes.drift import drift_map, drift_notice, drift_page, find_drift
from compendium.changes.git import GitError, GitRepo, GitTree
from compendium.changes.history import (
    article_revisions,
    build_stamp,
    release_history,
    stamp_label,
    status_badge,
)
from compendium.changes.redline import compare as compare_tokens
from compendium.changes.redline import tokenize
from compendium.changes.releases import diff_refs, parse_message, roles_of
from compendium.changes.report import Reporter, to_json
from compendium.mdescape import md_escape
from compendium.site.historypages import (
    article_history_html,
    revisions_page,
    write_release_reports,
)
from compendium.source.loader import load
from compendium.source.model import Compendium
from tests.test_diff_coverage import DETAIL_KINDS

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURES = HERE / "fixtures" / "diff"
LANGS = ("zh-Hant", "en")

# Every change from 2026.1 to 2026.2, as key -> kinds; nothing else may be reported.
EXPECTED_R2 = {
    "regulation:alpha:alpha": ("version-changed", "effective-changed"),
    "chapter:alpha:general": ("renamed",),
    "chapter:alpha:security": ("added",),
    "article:alpha:scope": ("caption-changed",),
    "article:alpha:data-classification": ("added",),
    "article:alpha:backup": ("renumbered", "amended"),
    "article:alpha:retention": ("renumbered",),
    "article:alpha:logging": ("renumbered",),
    "article:alpha:access": ("moved",),
    "article:alpha:old-rule": ("removed",),
    "article:alpha:effective-date": ("amended",),
    "regulation:beta:beta": ("renamed", "owner-changed"),
    "chapter:beta:contact-chapter": ("removed",),
    "article:beta:beta-purpose": ("translation-revised",),
    "article:beta:duties": ("roles-changed",),
    "article:beta:contact": ("moved",),
    "article:beta:shared-rule": ("moved", "roles-changed"),  # legacy-team left the registry
    "regulation:delta:delta": ("added",),
    "regulation:gamma:gamma": ("retired",),
    "role::ops": ("changed",),
    "role::auditor": ("added",),
    "role::legacy-team": ("removed",),
}
EXPECTED_R3 = {
    "regulation:alpha:alpha": ("version-changed",),
    "article:alpha:backup-offsite": ("added",),
    "article:alpha:retention": ("amended",),
    # delta: new code, outline numbering, a new chapter divided into a section
    "regulation:delta:delta": ("code-changed", "numbering-changed"),
    "chapter:delta:reporting": ("added",),
    "section:delta:reporting-rules": ("added",),
    "article:delta:audit-plan": ("renumbered",),  # 第一條 -> （一）
    "article:delta:audit-report": ("moved",),
}


def _script(name: str, folder: str = "scripts") -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"script_{name}", ROOT / folder / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "Test Editor"),
        ("user.email", "editor@example.test"),
        ("commit.gpgsign", "false"),
        ("tag.gpgsign", "false"),
    ):
        git(path, "config", key, value)
    return path


def apply_overlay(stage: Path, docs: Path) -> None:
    src = stage / "docs"
    for p in sorted(src.rglob("*")):
        if p.is_file() and p.name != "DELETE":
            dst = docs / p.relative_to(src)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
    delete = src / "DELETE"
    if delete.exists():
        for line in delete.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                (docs / line.strip()).unlink()


def commit_and_release(repo: Path, version: str, notes: str, capsys=None) -> None:
    stamp, release = _script("stamp"), _script("release")
    assert stamp.main([str(repo / "docs")]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"content for {version}")
    assert (
        release.main(
            [
                version,
                "--repo",
                str(repo),
                "--notes",
                notes,
                "--notes-en",
                f"English notes for {version}.",
            ]
        )
        == 0
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The test repository with releases 2026.1, 2026.2 and 2026.3 (clean working tree)."""
    path = init_repo(tmp_path_factory.mktemp("releases") / "repo")
    (path / "README.md").write_text("test compendium\n", encoding="utf-8")
    for stage, version in (("r1", "2026.1"), ("r2", "2026.2"), ("r3", "2026.3")):
        apply_overlay(FIXTURES / stage, path / "docs")
        commit_and_release(path, version, f"第 {version} 版發布說明。")
    return path


def changes_of(diff) -> dict[str, tuple[str, ...]]:
    keys = [c.key for c in diff.changes]
    assert len(keys) == len(set(keys)), (
        f"a change is reported twice: {Counter(keys).most_common(3)}"
    )
    return {c.key: c.kinds for c in diff.changes}


# -- the classification -----------------------------------------------------------


def test_every_change_kind_reported_once_and_nothing_else(repo: Path) -> None:
    diff, _old, _new = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    assert changes_of(diff) == EXPECTED_R2
    assert diff.old.release == "2026.1" and diff.new.release == "2026.2"


def test_fixture_covers_every_kind() -> None:
    seen = {
        (key.split(":")[0], kind)
        for d in (EXPECTED_R2, EXPECTED_R3)
        for key, kinds in d.items()
        for kind in kinds
    }
    every = {(scope, kind) for scope, kinds in KINDS.items() for kind in kinds}
    # section renamed/removed: test_sections_renamed_and_removed
    # article repealed in place: tests/test_repeal.py
    # the other fields a reader sees, the glossary and packs: tests/test_diff_coverage.py
    assert every - seen - DETAIL_KINDS == {
        ("section", "renamed"),
        ("section", "removed"),
        ("article", "repealed"),
    }


def test_insertion_is_one_addition_plus_renumberings(repo: Path) -> None:
    diff, _o, _n = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    by_key = {c.key: c for c in diff.changes}
    added = by_key["article:alpha:data-classification"]
    assert added.new.number["zh-Hant"] == "第三條" and added.kinds == ("added",)
    retention = by_key["article:alpha:retention"]
    assert retention.kinds == ("renumbered",)
    assert (retention.old.number["zh-Hant"], retention.new.number["zh-Hant"]) == (
        "第四條",
        "第五條",
    )
    assert (retention.old.number["en"], retention.new.number["en"]) == ("Article 4", "Article 5")
    # A cross reference to a renumbered article is not an amendment of the referring article.
    assert "amended" not in by_key["article:alpha:logging"].kinds
    assert "article:beta:duties" in by_key and "amended" not in by_key["article:beta:duties"].kinds
    assert not any(
        c.has("amended") for c in diff.changes if c.id in ("retention", "logging", "access")
    )


def test_inserted_article_does_not_renumber_and_whitespace_is_not_amendment(repo: Path) -> None:
    diff, _o, _n = diff_refs(GitRepo(repo), "2026.2", "2026.3")
    assert changes_of(diff) == EXPECTED_R3  # backup was re-wrapped and re-spaced in both languages
    offsite = next(c for c in diff.changes if c.id == "backup-offsite")
    assert offsite.new.number == {"zh-Hant": "第四條之一", "en": "Article 4-1"}


def test_whitespace_only_edit_in_r2_purpose_is_silent(repo: Path) -> None:
    r = GitRepo(repo)
    before = load(GitTree(r, "release/2026.1"))[0].regulations["alpha"].articles["purpose"]
    after = load(GitTree(r, "release/2026.2"))[0].regulations["alpha"].articles["purpose"]
    assert before.texts["zh-Hant"].body != after.texts["zh-Hant"].body  # the file did change
    diff, _o, _n = diff_refs(r, "2026.1", "2026.2")
    assert not any(c.id == "purpose" and c.regulation == "alpha" for c in diff.changes)


def test_moves_between_regulations_and_retirement_counts(repo: Path) -> None:
    diff, _o, _n = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    by_key = {c.key: c for c in diff.changes}
    moved = by_key["article:beta:shared-rule"]
    assert moved.old_regulation == "gamma" and moved.old.regulation == "gamma"
    assert by_key["regulation:gamma:gamma"].fields["articles"] == (
        1,
        None,
    )  # shared-rule moved, not retired
    assert by_key["regulation:delta:delta"].fields["articles"] == (None, 2)
    assert not any(
        c.regulation in ("gamma", "delta") and c.scope == "article" for c in diff.changes
    )


def test_redline_is_character_level_in_chinese_and_word_level_in_english(repo: Path) -> None:
    diff, _o, _n = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    backup = next(c for c in diff.changes if c.id == "backup")
    zh = [(r.op, r.text) for ln in backup.redline("zh-Hant").merged for r in ln.runs if r.op != "="]
    assert ("-", "週") in zh and ("+", "日") in zh  # 每週 -> 每日: one character
    en = [(r.op, r.text) for ln in backup.redline("en").merged for r in ln.runs if r.op != "="]
    assert ("-", "week") in en and ("+", "day") in en
    new_item = [ln for ln in backup.redline("zh-Hant").merged if ln.label == "三、"]
    assert (
        new_item and new_item[0].label_op == "+"
    )  # the third item is inserted, labelled as the site does


# -- the outputs ------------------------------------------------------------------


class _Changes(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.kinds: dict[str, str] = {}
        self.headers: list[str] = []
        self._th = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-change" in a:
            self.keys.append(a["data-change"])
            self.kinds[a["data-change"]] = a.get("data-kinds", "")
        self._th = tag == "th"

    def handle_data(self, data):
        if self._th and data.strip():
            self.headers.append(data.strip())

    def handle_endtag(self, tag):
        self._th = False


def parse_html(path: Path) -> _Changes:
    parser = _Changes()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def reports(repo: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    code = _script("diff").main(
        ["2026.1", "2026.2", "--out", str(out), "--repo", str(repo), "--allow-outside"]
    )
    assert code == 0
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["redline", "table"])
def test_html_outputs_list_each_change_once(reports: Path, fmt: str, lang: str) -> None:
    parsed = parse_html(reports / f"{fmt}.{lang}.html")
    assert sorted(parsed.keys) == sorted(EXPECTED_R2)  # each once, nothing else
    for key, kinds in EXPECTED_R2.items():
        assert parsed.kinds[key] == " ".join(kinds)


@pytest.mark.parametrize(
    "lang,headers",
    [
        ("zh-Hant", ["修正條文", "現行條文", "說明"]),
        ("en", ["Amended text", "Current text", "Explanation"]),
    ],
)
def test_comparison_table_columns_and_explanation(
    reports: Path, lang: str, headers: list[str]
) -> None:
    parsed = parse_html(reports / f"table.{lang}.html")
    assert parsed.headers[:3] == headers
    text = (reports / f"table.{lang}.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="c-article-alpha--backup".*?</tr>', text, re.S).group(0)
    note = {
        "zh-Hant": "配合數據分類提高備份頻率。",
        "en": "Backups are made more often to match the data classification.",
    }[lang]
    assert note in row  # the explanation comes from the history note, in the table's language
    assert (
        "條次變更（原第三條）" if lang == "zh-Hant" else "Renumbered (formerly Article 3)"
    ) in row
    assert "<ins>" in row and "<del>" in row


@pytest.mark.parametrize("lang", LANGS)
def test_redline_html_marks_deletions_and_insertions(reports: Path, lang: str) -> None:
    text = (reports / f"redline.{lang}.html").read_text(encoding="utf-8")
    assert "<del>" in text and "<ins>" in text
    assert "text-decoration: line-through" in text and "text-decoration: underline" in text
    assert "@media print" in text
    assert f'<html lang="{lang}">' in text
    word = {"zh-Hant": "刪除", "en": "Repealed"}[lang]
    assert re.search(r'data-change="article:alpha:old-rule".*?' + word, text, re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_summary_names_each_change_once(reports: Path, lang: str) -> None:
    text = (reports / f"summary.{lang}.md").read_text(encoding="utf-8")
    assert len(text) < 65_536
    bullets = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(bullets) == len(EXPECTED_R2)
    ids = Counter(re.search(r"`([a-z0-9-]+)`$", b).group(1) for b in bullets)
    assert ids == Counter(key.rsplit(":", 1)[1] for key in EXPECTED_R2)


def test_markdown_summary_respects_its_limit(repo: Path) -> None:
    diff, old, new = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    full = Reporter(diff, "en", role_names=roles_of(old, new)).summary_markdown()
    short = Reporter(diff, "en", role_names=roles_of(old, new)).summary_markdown(limit=900)
    assert len(short) <= 900 < len(full)
    assert "more change(s) not listed" in short


def test_json_output_schema(reports: Path) -> None:
    data = json.loads((reports / "diff.json").read_text(encoding="utf-8"))
    assert data["schema"] == "compendium-diff/1"
    assert data["old"]["release"] == "2026.1" and data["new"]["release"] == "2026.2"
    assert {c["key"]: tuple(c["kinds"]) for c in data["changes"]} == EXPECTED_R2
    backup = next(c for c in data["changes"] if c["key"] == "article:alpha:backup")
    assert backup["old"]["number"] == {"zh-Hant": "第三條", "en": "Article 3"}
    assert backup["new"]["number"] == {"zh-Hant": "第四條", "en": "Article 4"}
    assert {r["op"] for line in backup["body"]["zh-Hant"] for r in line["runs"]} == {"=", "-", "+"}
    assert backup["explanation"]["zh-Hant"][0] == "配合數據分類提高備份頻率。"
    assert (
        backup["explanation"]["en"][0]
        == "Backups are made more often to match the data classification."
    )
    assert "每日進行完整備份" in backup["new"]["text"]["zh-Hant"]
    alpha = next(c for c in data["changes"] if c["key"] == "regulation:alpha:alpha")
    assert alpha["fields"]["version"] == {"old": "1.0", "new": "1.1"}
    assert alpha["fields"]["effective"] == {"old": "2026-01-01", "new": "2026-07-01"}
    assert data["counts"]["article:renumbered"] == 3


def test_diff_script_errors(repo: Path, tmp_path: Path, capsys) -> None:
    diff = _script("diff")
    assert (
        diff.main(
            ["2025.9", "2026.2", "--out", str(tmp_path), "--repo", str(repo), "--allow-outside"]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "unknown git ref '2025.9'" in err and "recorded releases: 2026.1, 2026.2, 2026.3" in err
    assert diff.main(["2026.1", "2026.2", "--out", str(tmp_path), "--repo", str(tmp_path)]) == 2
    assert "not a git repository" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        diff.main(["2026.1", "2026.2", "--out", str(tmp_path), "--format", "pdf"])


def test_reading_refs_never_touches_the_working_tree(repo: Path) -> None:
    before = git(repo, "status", "--porcelain")
    tree = GitTree(GitRepo(repo), "release/2026.1")
    assert "regulations/gamma/index.md" in tree.files()  # retired later, still readable at 2026.1
    assert "每週進行完整備份" in tree.read("regulations/alpha/backup.zh-Hant.md")
    assert not (repo / "docs" / "regulations" / "gamma" / "index.md").exists()
    assert git(repo, "status", "--porcelain") == before == ""


# -- releases -----------------------------------------------------------------------


def test_release_tags_carry_notes_and_change_summary(repo: Path) -> None:
    releases = GitRepo(repo).releases()
    assert [r.tag for r in releases] == ["release/2026.1", "release/2026.2", "release/2026.3"]
    notes = parse_message(releases[1].message)
    assert notes.title == "Release 2026.2"
    assert notes.notes == {"zh-Hant": "第 2026.2 版發布說明。", "en": "English notes for 2026.2."}
    assert "### 規章修正摘要" in notes.changes["zh-Hant"]  # headings survive (no comment clean-up)
    assert "Data Management Regulation" in notes.changes["en"]


def test_release_refuses_dirty_tree_and_invalid_sources(repo: Path, tmp_path: Path, capsys) -> None:
    release = _script("release")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    for key, value in (("user.name", "T"), ("user.email", "t@example.test")):
        git(clone, "config", key, value)
    (clone / "docs" / "regulations" / "alpha" / "scope.zh-Hant.md").write_text(
        "---\nid: scope\n---\n", encoding="utf-8"
    )
    assert release.main(["2026.4", "--repo", str(clone)]) == 1
    assert "not clean" in capsys.readouterr().err
    git(clone, "commit", "-qam", "break the scope article")
    assert release.main(["2026.4", "--repo", str(clone)]) == 1
    err = capsys.readouterr().err
    assert "docs/regulations/alpha/scope.zh-Hant.md:4: the article has no text" in err
    # The diff still runs on a broken ref (older releases may fail newer rules), naming the file;
    # --strict refuses.
    diff = _script("diff")
    out_dir = tmp_path / "out"
    assert (
        diff.main(
            ["2026.3", "HEAD", "--out", str(out_dir), "--repo", str(clone), "--allow-outside"]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "HEAD:docs/regulations/alpha/scope.zh-Hant.md:4: the article has no text" in err
    assert "warning: 1 error(s)" in err and (out_dir / "diff.json").exists()
    strict = [
        "2026.3",
        "HEAD",
        "--out",
        str(tmp_path / "strict"),
        "--repo",
        str(clone),
        "--strict",
        "--allow-outside",
    ]
    assert diff.main(strict) == 1 and not (tmp_path / "strict").exists()
    capsys.readouterr()
    git(clone, "revert", "--no-edit", "HEAD")
    assert release.main(["2026.4", "--repo", str(clone)]) == 1  # nothing changed since 2026.3
    assert "nothing changed" in capsys.readouterr().err
    assert release.main(["2026.2", "--repo", str(clone), "--dry-run"]) == 2
    assert "already exists" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # by the parser, as argparse refuses
        release.main(["26.1", "--repo", str(clone), "--dry-run"])
    assert refused.value.code == 2
    assert "'26.1' is not a release version (expected <year>.<n>" in capsys.readouterr().err
    assert git(clone, "tag", "--list", "release/2026.4") == ""


# -- revision history, article history, markers ------------------------------------


def test_revision_history_pages(repo: Path, tmp_path: Path) -> None:
    history = release_history(repo)
    assert history.status == "ok"
    assert [e.version for e in history.entries] == ["2026.3", "2026.2", "2026.1"]
    assert history.unreleased is None
    written = write_release_reports(history, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert (
        "releases/2026.2/redline.zh-Hant.html" in names and "releases/2026.3/table.en.html" in names
    )
    assert not any(
        n.startswith("releases/2026.1/") for n in names
    )  # the first release has no redline
    for lang, heading in (("zh-Hant", "修訂沿革"), ("en", "Revision history")):
        title, md = revisions_page(
            history, lang, lambda folder, name: f"../releases/{folder}/{name}"
        )
        assert title == heading and md.startswith(f"# {heading}")
        assert f'href="../releases/2026.2/redline.{lang}.html#c-article-alpha--backup"' in md
        assert {"zh-Hant": "第 2026.2 版發布說明。", "en": "English notes for 2026.2."}[lang] in md
        assert md.count('class="release"') == 3


def test_unreleased_changes_include_the_glossary(repo: Path) -> None:
    from compendium.source.model import GlossaryTerm
    from compendium.source.tree import DirTree

    current, _problems = load(DirTree(repo / "docs"))
    current.glossary.append(GlossaryTerm({"zh-Hant": "新詞", "en": "new term"}))
    unreleased = release_history(repo, current=current).unreleased
    assert unreleased is not None
    assert [c.key for c in unreleased.changes] == ["glossary::新詞"]


def test_article_history_and_latest_release_marker(repo: Path) -> None:
    history = release_history(repo)
    comp = load(GitTree(GitRepo(repo), "HEAD"))[0]
    info = article_revisions(history, comp)
    assert info[("alpha", "retention")].changed_in_latest  # amended in 2026.3
    assert not info[("alpha", "logging")].changed_in_latest
    assert info[("alpha", "backup-offsite")].changed_in_latest
    backup = info[("alpha", "backup")]
    # An article of the first release has no "added" entry: only its own note for 2026.1.
    assert [(e.release, e.kinds) for e in backup.entries] == [
        ("2026.1", ()),
        ("2026.2", ("renumbered", "amended")),
    ]
    assert backup.entries[0].notes == ["首次發布。"]  # the front-matter note joins its release
    assert backup.entries[1].notes == ["配合數據分類提高備份頻率。"]
    moved = info[("beta", "shared-rule")]  # history follows the article across regulations
    assert [e.release for e in moved.entries] == ["2026.2"]  # no "added" entry for 2026.1
    badge = status_badge(info[("alpha", "retention")], "en", lambda f, n: f"/releases/{f}/{n}")
    assert badge is not None and (badge["kind"], badge["text"]) == ("amended", "Amended")
    assert badge["href"] == "/releases/2026.3/redline.en.html#c-article-alpha--retention"
    assert status_badge(info[("alpha", "logging")], "en") is None
    block = article_history_html(
        info[("alpha", "retention")], "en", lambda f, n: f"/releases/{f}/{n}"
    )
    assert 'href="/releases/2026.3/redline.en.html#c-article-alpha--retention"' in block


# -- translation drift ---------------------------------------------------------------


def test_translation_drift_names_the_release(repo: Path) -> None:
    comp = load(GitTree(GitRepo(repo), "HEAD"))[0]
    drifts = drift_map(comp, repo)
    assert list(drifts) == [("alpha", "retention")]
    d = drifts[("alpha", "retention")]
    assert d.amended is not None and d.amended.release == "2026.3"
    assert drift_notice(d, "en").startswith(
        "This translation may be outdated: the Chinese text was amended in release 2026.3 ("
    )
    assert drift_notice(d, "zh-Hant").startswith("此譯文可能已過時：中文條文已於 2026.3 版（")
    title, md = drift_page(list(drifts.values()), comp, "en", lambda src, anchor: f"{src}#{anchor}")
    assert title == "Outdated translations" and "regulations/alpha/index.md#retention" in md
    assert "release 2026.3" in md


def test_drift_in_uncommitted_changes_and_check_mode(repo: Path, tmp_path: Path, capsys) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    scope = clone / "docs" / "regulations" / "alpha" / "scope.zh-Hant.md"
    scope.write_text(
        scope.read_text(encoding="utf-8").replace("全體員工", "全體員工及派遣人員"),
        encoding="utf-8",
    )
    comp = load(_dir_tree(clone))[0]
    drifts = drift_map(comp, clone)
    assert set(drifts) == {("alpha", "retention"), ("alpha", "scope")}
    assert drifts[("alpha", "scope")].amended.worktree
    assert "uncommitted changes" in drift_notice(drifts[("alpha", "scope")], "en")
    stamp = _script("stamp")
    assert stamp.main([str(clone / "docs"), "--check-drift"]) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"docs/regulations/alpha/retention\.en\.md:3: This translation may be outdated: "
        r"the Chinese text was amended in release 2026\.3",
        out,
    )
    assert "python scripts/stamp.py --only alpha/retention" in out
    # The translator revises retention and re-stamps just that article: scope still drifts.
    only = ["--only", "docs/regulations/alpha/retention.en.md"]
    assert stamp.main([str(clone / "docs"), *only]) == 0
    assert "stamped" in capsys.readouterr().out
    assert stamp.main([str(clone / "docs"), "--check-drift"]) == 1
    assert "retention" not in capsys.readouterr().out
    assert stamp.main([str(clone / "docs"), "--only", "alpha/nope"]) == 2
    assert stamp.main([str(clone / "docs"), "--all"]) == 0
    capsys.readouterr()
    assert stamp.main([str(clone / "docs"), "--check-drift"]) == 0
    assert find_drift(load(_dir_tree(clone))[0]) == []


def _dir_tree(repo: Path):
    from compendium.source.tree import DirTree

    return DirTree(repo / "docs", display_root="docs")


def test_stamp_edits_only_the_translates_line() -> None:
    from compendium.editing.stamping import set_translates

    src = "---\nid: a\ncaption: A\n---\nText.\n"
    assert (
        set_translates(src, "abc123def456")
        == "---\nid: a\ntranslates: abc123def456\ncaption: A\n---\nText.\n"
    )
    again = "---\nid: a\ntranslates: 000000000000\ncaption: A\n---\nText.\n"
    assert set_translates(again, "abc123def456") == src.replace(
        "id: a\n", "id: a\ntranslates: abc123def456\n"
    )
    crlf = "---\r\nid: a\r\n---\r\nText.\r\n"
    assert set_translates(crlf, "abc") == "---\r\nid: a\r\ntranslates: abc\r\n---\r\nText.\r\n"
    number = set_translates(src, "123456789012")  # quoted: a string, not a number
    assert yaml.safe_load(number.split("---")[1])["translates"] == "123456789012"
    with pytest.raises(ValueError):
        set_translates("no front matter\n", "abc")


# -- notices instead of errors --------------------------------------------------------


def test_no_git_no_tags_and_shallow_clone_give_notices(repo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert release_history(plain).status == "no-git"
    untagged = init_repo(tmp_path / "untagged")
    (untagged / "x.txt").write_text("x\n", encoding="utf-8")
    git(untagged, "add", "-A")
    git(untagged, "commit", "-qm", "x")
    assert release_history(untagged).status == "no-releases"
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    history = release_history(shallow)
    assert history.status == "shallow"
    for status_repo, words in (
        (plain, "not built from a git repository"),
        (untagged, "No release has been recorded yet"),
        (shallow, "shallow clone"),
    ):
        title, md = revisions_page(release_history(status_repo), "en", lambda f, n: n)
        assert words in md and 'class="notice notice-revisions"' in md
    title, md = revisions_page(history, "zh-Hant", lambda f, n: n)
    assert "淺層複製" in md
    with pytest.raises(GitError, match="shallow clone"):
        GitRepo(shallow).resolve("release/2026.1~5")


def test_build_stamp_labels(repo: Path, tmp_path: Path) -> None:
    stamp = build_stamp(repo)
    assert stamp is not None
    assert stamp.release == "2026.3" and stamp_label(stamp, "en") == "Release 2026.3"
    assert stamp_label(stamp, "zh-Hant") == "2026.3 版"
    clone = tmp_path / "c"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    (clone / "docs" / "index.md").write_text("---\ncompendium: home\n---\n", encoding="utf-8")
    draft = build_stamp(clone)
    assert draft is not None and draft.release is None and draft.modified
    assert stamp_label(draft, "en") == f"Draft (commit {draft.commit} with uncommitted changes)"
    assert stamp_label(None, "en") == "Draft"


# -- unit checks of the redline -------------------------------------------------------


def test_redline_ignores_whitespace_and_marks_merged_items() -> None:
    tok = lambda s, lang="zh-Hant": tokenize(s, style="chapter-article", lang=lang)  # noqa: E731
    assert not compare_tokens(tok("甲乙\n丙。"), tok("甲 乙丙。  ")).changed
    assert not compare_tokens(tok("a  b\nc", "en"), tok("a b c", "en")).changed
    merged = compare_tokens(tok("1. 甲\n2. 乙"), tok("1. 甲乙"))
    assert merged.changed and [ln.label_op for ln in merged.merged] == ["=", "-"]
    deleted = compare_tokens(tok("1. 甲甲\n2. 乙乙\n3. 丙丙"), tok("1. 甲甲\n2. 丙丙"))
    assert [(ln.label, ln.label_op, ln.plain) for ln in deleted.merged] == [
        ("一、", "=", "甲甲"),
        ("二、", "-", "乙乙"),
        ("二、", "=", "丙丙"),
    ]


def test_markdown_escaping() -> None:
    assert md_escape("1. a*b <x>") == "1\\. a\\*b &lt;x&gt;"
    assert md_escape("1.1") == "1.1"  # a version number is not a list item


def test_identical_compendiums_have_no_changes(repo: Path) -> None:
    comp = load(GitTree(GitRepo(repo), "HEAD"))[0]
    assert compare(comp, comp).changes == []
    assert to_json(compare(comp, comp))["changes"] == []


def _calls(work: Callable[[], object]) -> int:
    """How many Python and C function calls ``work()`` makes: a measure of the work done
    that, unlike a time, does not depend on the machine or on what else runs on it."""
    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(previous)
    return count


def _cpu_seconds(work: Callable[[], object]) -> float:
    """The least processor time of three runs of ``work()`` (work inside C calls counts too)."""
    best = float("inf")
    gc.collect()
    gc.disable()  # collections scan the whole heap, which the larger input makes bigger
    try:
        for _ in range(3):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def test_compare_grows_linearly_with_the_compendium(tmp_path: Path) -> None:
    """The time figures are in benchmarks/bench_diff.py (make bench-diff); this guards the
    complexity: eight times the articles must cost about eight times the work, not 64."""
    from compendium.source.tree import DirTree

    bench = _script("bench_diff", "benchmarks")
    calls: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for scale, (n_regs, n_arts) in {1: (2, 30), 8: (8, 60)}.items():
        old_docs, new_docs = tmp_path / f"old{scale}", tmp_path / f"new{scale}"
        layout = bench.generate(old_docs, n_regs, n_arts)
        shutil.copytree(old_docs, new_docs)
        bench.modify(new_docs, layout)
        old, old_problems = load(DirTree(old_docs))
        new, new_problems = load(DirTree(new_docs))
        assert not old_problems.errors and not new_problems.errors
        assert sum(len(r.articles) for r in old.regulations.values()) == n_regs * n_arts
        kinds = {"added", "removed", "amended", "renumbered"}
        assert {f"article:{k}" for k in kinds} <= set(compare(old, new).counts())

        def work(o: Compendium = old, n: Compendium = new) -> None:
            to_json(compare(o, n))
            to_json(compare(o, o))

        calls[scale], seconds[scale] = _calls(work), _cpu_seconds(work)
    # Linear work gives about 8 (9 today: a few sorts); quadratic, about 64.
    ratio = calls[8] / calls[1]
    assert 4 < ratio < 12, f"compare and to_json: {calls[1]:,} -> {calls[8]:,} calls ({ratio:.1f}x)"
    # Processor time is noisier: a wider bound, which also stops quadratic work inside C calls.
    slower = seconds[8] / seconds[1]
    assert slower < 16, (
        f"compare and to_json: {seconds[1]:.3f} s -> {seconds[8]:.3f} s ({slower:.1f}x)"
    )


def test_project_folder_inside_a_larger_repository(tmp_path: Path) -> None:
    outer = init_repo(tmp_path / "outer")
    apply_overlay(FIXTURES / "r1", outer / "site" / "docs")
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "compendium in a subfolder")
    git(outer, "tag", "-a", "-m", "Release 2026.1\n\n[notes]\n首次發布。", "release/2026.1")
    release = _script("release")
    args = ["--import-tags", "--repo", str(outer / "site"), "--docs", "site/docs"]
    assert release.main(args) == 0
    assert (outer / "site" / "releases" / "2026.1.yml").is_file()
    git(outer, "add", "-A")
    git(outer, "commit", "-qm", "release record")
    history = release_history(outer / "site", "docs")
    assert history.status == "ok" and history.stamp.release == "2026.1"
    entry = history.latest
    assert {c.id for c in entry.diff.changes if c.scope == "regulation"} == {
        "alpha",
        "beta",
        "gamma",
    }
    assert (
        entry.notes["en"] == "首次發布。"
    )  # notes without an English version serve both languages


PARITY_SAMPLES = [
    "a  b\nc [[x]] d.",
    "Under [[x]], do\nthis (see [[y]]).",
    "1. ISO 27001 標準\n   續行\n2. 乙",
    "前言。\n\n- 甲\n- 乙\n\n| a | b |\n|---|---|",
    "1. **甲**：一\n   1. 子\n   2. 丑\n2. 乙",
]


@pytest.mark.parametrize("stage", ["r1", "r2", "r3"])
def test_fast_display_path_matches_the_token_path(stage: str) -> None:
    """Unchanged text is shown by display_lines (fast); it must read exactly like the
    token path used for changed text."""
    from compendium.changes.redline import EQUAL, display_lines, layout

    texts = [
        (p.read_text(encoding="utf-8"), lang)
        for lang in LANGS
        for p in (FIXTURES / stage / "docs" / "regulations").rglob(f"*.{lang}.md")
    ]
    bodies = [(t.split("---\n", 2)[2], lang) for t, lang in texts]
    bodies += [(s, lang) for s in PARITY_SAMPLES for lang in LANGS]
    assert len(bodies) > 10

    def resolve(target: str) -> tuple[str, str]:
        return f"[[{target}]]", f"REF({target})"

    for body, lang in bodies:
        for style in ("chapter-article", "outline"):
            tokens = tokenize(body, style=style, lang=lang, resolve=resolve)
            slow = [
                (ln.label, ln.para, ln.depth, ln.plain)
                for ln in layout([(EQUAL, t) for t in tokens])
            ]
            fast = [
                (ln.label, ln.para, ln.depth, ln.plain)
                for ln in display_lines(body, style=style, lang=lang, resolve=resolve)
            ]
            assert fast == slow, (lang, body)


def test_sections_renamed_and_removed() -> None:
    from compendium.source.tree import MemoryTree

    def manifest(sections: str) -> str:
        return (
            "---\ncompendium: regulation\nid: reg\ncode: R-1\ntitle: {zh-Hant: 制度, en: Rules}\n"
            'owner: ops\nversion: "1.0"\neffective: 2026-01-01\nnumbering: chapter-article\n'
            "chapters:\n  - id: one\n    title: {zh-Hant: 總則, en: General}\n"
            f"    sections:\n{sections}---\n"
        )

    def files(sections: str) -> dict[str, str]:
        out = {
            "roles.yml": "roles:\n  - id: ops\n    kind: department\n"
            "    name: {zh-Hant: 運營部, en: Ops}\n",
            "roles/ops.md": "---\ncompendium: role\nrole: ops\n---\n",
            "regulations/reg/index.md": manifest(sections),
        }
        for aid, text in (("a", "甲。"), ("b", "乙。")):
            out[f"regulations/reg/{aid}.zh-Hant.md"] = (
                f"---\nid: {aid}\nroles: [ops]\n---\n{text}\n"
            )
            out[f"regulations/reg/{aid}.en.md"] = f"---\nid: {aid}\n---\nText {aid}.\n"
        return out

    old = files(
        "      - id: s1\n        title: {zh-Hant: 第一節, en: First}\n        articles: [a]\n"
        "      - id: s2\n        title: {zh-Hant: 第二節, en: Second}\n        articles: [b]\n"
    )
    new = files(
        "      - id: s1\n        title: {zh-Hant: 通則, en: Common Rules}\n"
        "        articles: [a, b]\n"
    )
    a, pa = load(MemoryTree(old))
    b, pb = load(MemoryTree(new))
    assert not pa.errors and not pb.errors, pa.errors + pb.errors
    assert changes_of(compare(a, b)) == {
        "section:reg:s1": ("renamed",),
        "section:reg:s2": ("removed",),
        "article:reg:b": ("moved",),  # into section s1; its number (第二條) stays
    }


def test_plan_release_is_core_logic(repo: Path) -> None:
    from compendium.changes.releases import ReleaseError, ReleaseRequest, plan_release

    with pytest.raises(
        ReleaseError, match=r"nothing changed in docs/ since release 2026\.3"
    ) as caught:
        plan_release(GitRepo(repo), ReleaseRequest("2026.4"))
    assert caught.value.status == 1
