"""The editor's walkthrough, end to end, with the make targets of README and AUTHORING,
in a scratch git repository: create a regulation, add and insert articles, rename
one (and its chapter) on a branch, see the pull-request summary, cut two releases,
publish both with mike and browse both versions (local gh-pages branch; no push,
no network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY = [
    "docs",
    "hooks",
    "templates",
    "compendium",
    "scripts",
    "mkdocs.yml",
    "Makefile",
    "requirements.lock",
    "pyproject.toml",
    ".gitignore",
]

pytestmark = pytest.mark.build


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "MAKE"))}
    env.update(
        GIT_AUTHOR_NAME="Editor",
        GIT_AUTHOR_EMAIL="editor@example.com",
        GIT_COMMITTER_NAME="Editor",
        GIT_COMMITTER_EMAIL="editor@example.com",
        HOME=str(home),
        NO_MKDOCS_2_WARNING="1",
    )
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra)
    return env


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    proj = tmp_path / "compendium"
    proj.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, proj / name)  # keeps the time stamps make compares
    return proj


def test_walkthrough(repo: Path, tmp_path: Path):
    venv = ROOT / ".venv"

    def make(*args: str, ok: bool = True, **variables: str) -> str:
        # Variables reach the recipes through the environment, as on make's command line.
        run = subprocess.run(
            ["make", "--no-print-directory", f"VENV={venv}", *args],
            cwd=repo,
            env=_env(tmp_path, **variables),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert (run.returncode == 0) == ok, (args, run.stdout[-3000:], run.stderr[-3000:])
        return run.stdout + run.stderr

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo, env=_env(tmp_path), check=True, capture_output=True, text=True
        ).stdout

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "The compendium")

    # 1. A new regulation, an article after the first, one inserted as 第一條之一.
    out = make(
        "new-regulation",
        ID="leave-policy",
        TITLE="請假管理辦法",
        TITLE_EN="Leave Policy",
        OWNER="hr-dept",
        EFFECTIVE="2026-01-01",
    )
    assert "next:" in out
    make("new-regulation", ok=False, ID="leave-policy", TITLE="x", TITLE_EN="y", OWNER="hr-dept")
    make("new-article", REG="leave-policy", ID="sick-leave", AFTER="purpose")
    make("new-article", REG="leave-policy", ID="annual-leave", AFTER="purpose", INSERTED="1")
    reg = repo / "docs" / "regulations" / "leave-policy"
    texts = {
        "purpose": (
            "為規範員工請假事項，特制定本辦法。",
            "These Measures are established to govern employee leave.",
        ),
        "annual-leave": (
            "員工每年享有特別休假。",
            "Employees are entitled to annual leave each year.",
        ),
        "sick-leave": (
            "員工因病請假，應於當日通知主管。",
            "An employee on sick leave shall notify the supervisor on the same day.",
        ),
    }
    for aid, (zh, en) in texts.items():
        for lang, body in (("zh-Hant", zh), ("en", en)):
            path = reg / f"{aid}.{lang}.md"
            head = path.read_text(encoding="utf-8").rsplit("---\n", 1)[0]
            path.write_text(f"{head}---\n{body}\n", encoding="utf-8")
    make("stamp")
    make("check")
    git("add", "-A")
    git("commit", "-qm", "Leave policy")
    make("release", VERSION="2026.1", NOTES="首次發布。", NOTES_EN="First release.")

    # 2. On a branch: rename an article and amend it; the summary CI would post.
    git("checkout", "-qb", "rename-sick-leave")
    out = make("rename", OLD="leave-policy/sick-leave", NEW="leave-policy/sick-days")
    assert "sick-days.zh-Hant.md" in out
    make("rename", ok=False, OLD="leave-policy/sick-days", NEW="leave-policy/purpose")
    make("rename", OLD="leave-policy/general", NEW="leave-policy/general-provisions")  # a chapter
    assert "formerly: [general]" in (reg / "index.md").read_text(encoding="utf-8")
    path = reg / "sick-days.zh-Hant.md"
    path.write_text(path.read_text(encoding="utf-8").replace("當日", "請假當日"), encoding="utf-8")
    make("stamp")
    make("check")
    git("add", "-A")
    git("commit", "-qm", "Sick days: notify on the day of leave")
    make("diff", OLD="main", NEW="HEAD")
    comment = make("pr-comment")
    assert "<!-- compendium-change-summary -->" in comment
    assert "sick-days" in comment and "Amended" in comment and "修正" in comment
    # the renames themselves are no change: no removal, no addition, no move
    assert "Removed" not in comment and "Added" not in comment and "Moved" not in comment
    assert "Amended 1" in comment and "**1 change(s)**" in comment

    # 3. Merge, second release, publish both, browse both.
    git("checkout", "-q", "main")
    git("merge", "-q", "--ff-only", "rename-sick-leave")
    make(
        "release", VERSION="2026.2", NOTES="病假通知時點。", NOTES_EN="When sick leave is notified."
    )
    make("publish", VERSION="2026.1", NO_PDF="1")
    make("publish", VERSION="2026.2", NO_PDF="1")
    make("publish", ok=False, VERSION="2026.3", NO_PDF="1")  # no such release
    make("publish", DRAFT="1", NO_PDF="1")
    pages = tmp_path / "pages"
    pages.mkdir()
    archive = subprocess.run(
        ["git", "archive", "gh-pages"], cwd=repo, check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(pages)], input=archive.stdout, check=True)
    versions = json.loads((pages / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("draft", []),
        ("2026.2", ["latest"]),
        ("2026.1", []),
    ]
    assert os.readlink(pages / "latest") == "2026.2"
    assert "latest/" in (pages / "index.html").read_text(encoding="utf-8")
    old = (pages / "2026.1" / "regulations" / "leave-policy" / "index.html").read_text(
        encoding="utf-8"
    )
    new = (pages / "2026.2" / "regulations" / "leave-policy" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "應於當日通知" in old and "請假當日" not in old
    assert "請假當日" in new
    # each published release names itself (from its record), not a draft or a later release
    assert "2026.1 版" in old and "2026.2 版" not in old and "草稿" not in old
    assert "2026.2 版" in new and "草稿" not in new
    assert (pages / "2026.1" / "en" / "regulations" / "leave-policy" / "index.html").is_file()
    # each version keeps its own release redlines: 2026.2's against 2026.1, none in the first
    redlines = list((pages / "2026.2" / "releases").rglob("redline*.html"))
    assert any("請假" in p.read_text(encoding="utf-8") for p in redlines), redlines
    assert not list((pages / "2026.1").glob("releases/*2026.2*"))
    assert '"provider": "mike"' in old or "mike" in old
