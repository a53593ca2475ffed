"""What the tools read and write, and what the pull-request comment says and edits.

- Readers: every tree (a folder on disk, WORKTREE, a git ref) refuses what ``make check``
  refuses: symbolic links, hard links, named pipes, submodules; nothing of theirs
  reaches a report.
- Paths from the user: outputs never into docs/ or .git/ nor through a symbolic link;
  inputs and outputs inside the repository unless --allow-outside.
- The comment: content cannot mention, link or reference anything, and only the
  bot's own comment is ever edited.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from compendium.changes.diff import compare
from compendium.changes.git import GitRepo, GitTree
from compendium.changes.prcomment import (
    MARKER,
    CommentError,
    github_author,
    gitlab_author,
    post,
    upsert_github_comment,
    upsert_gitlab_note,
)
from compendium.changes.releases import tag_message
from compendium.changes.report import Reporter
from compendium.source.checks import validate
from compendium.source.loader import load
from compendium.source.tree import DirTree, MemoryTree
from tests.conftest import FIXTURES, ROOT

MINI = FIXTURES / "mini" / "docs"
ART = "regulations/alpha/purpose.zh-Hant.md"
SECRET = "SECRET-OUTSIDE-THE-REPOSITORY"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "tag.gpgSign=false"]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"hostile_{name}", ROOT / "scripts" / f"{name}.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the mini compendium, one commit; a secret file beside it."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "docs")
    git(tmp_path, "init", "-q", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mini")
    text = (MINI / ART).read_text("utf-8")
    (tmp_path / "secret.md").write_text(text + f"\n{SECRET}\n", "utf-8")
    return root


def _diff(repo: Path, *refs: str, out: Path | None = None) -> tuple[int, str, Path]:
    out = out or repo / "build" / "diff"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "diff.py"), *refs, "--out", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr, out


def _leaked(out: Path) -> list[str]:
    return [p.name for p in out.glob("*") if SECRET in p.read_text("utf-8")]


def _messages(text: str) -> set[str]:
    return {ln for ln in text.splitlines() if "is not allowed in the docs folder" in ln}


# -- 7. readers refuse what make check refuses -----------------------------------------


def _plant(repo: Path, kind: str) -> str:
    """Put one refused entry into repo/docs; returns the message it must produce."""
    docs = repo / "docs"
    secret = repo.parent / "secret.md"
    if kind == "symlink":
        (docs / ART).unlink()
        (docs / ART).symlink_to(secret)
        return "symbolic link"
    if kind == "folder-link":
        outside = repo.parent / "outside"
        outside.mkdir()
        shutil.copy(secret, outside / "purpose.zh-Hant.md")
        (docs / "regulations" / "zeta").symlink_to(outside, target_is_directory=True)
        return "symbolic link"
    if kind == "hardlink":
        (docs / ART).unlink()
        os.link(secret, docs / ART)
        return "hard link"
    if kind == "fifo":
        os.mkfifo(docs / "regulations" / "alpha" / "scope.zh-Hant.md.tmp.md")
        return "named pipe"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["symlink", "folder-link", "hardlink", "fifo"])
def test_worktree_diff_refuses_what_check_refuses(repo: Path, kind: str) -> None:
    what = _plant(repo, kind)
    rc, text, out = _diff(repo, "HEAD", "WORKTREE")
    assert "Traceback" not in text, text
    assert _leaked(out) == [], text
    refused = _messages(text)
    assert any(what in ln and ln.startswith("docs/") and ":1: " in ln for ln in refused), text
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "docs"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 1
    assert _messages(check.stdout + check.stderr) == refused  # the same entries, same words


def test_reader_never_opens_a_refused_entry(repo: Path) -> None:
    _plant(repo, "symlink")
    _plant(repo, "fifo")
    tree = DirTree(repo / "docs", "docs")
    assert ART not in tree.files()
    assert all(".tmp.md" not in f for f in tree.files())
    with pytest.raises(PermissionError, match="symbolic link"):
        tree.read(ART)
    comp, problems = load(tree)
    assert SECRET not in json.dumps([str(p) for p in problems.items])
    assert any("symbolic link" in str(p) for p in problems.errors)


def test_docs_folder_that_is_a_link_is_refused(repo: Path, tmp_path: Path) -> None:
    shutil.move(str(repo / "docs"), str(tmp_path / "elsewhere"))
    (repo / "docs").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    tree = DirTree(repo / "docs", "docs")
    assert tree.files() == []
    assert [m for _, m in tree.refused()] and "symbolic link" in tree.refused()[0][1]


def test_git_ref_refuses_symlink_blobs_and_submodules(repo: Path) -> None:
    (repo / "secret.md").write_text(f"{SECRET}\n", "utf-8")
    (repo / "docs" / ART).unlink()
    (repo / "docs" / ART).symlink_to("../../../secret.md")
    git(repo, "add", "-A")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},docs/vendored")
    git(repo, "commit", "-qm", "link and submodule")
    tree = GitTree(GitRepo(repo), "HEAD")
    refused = dict(tree.refused())
    assert "symbolic link (to '../../../secret.md')" in refused[ART]
    assert "submodule" in refused["vendored"]
    assert ART not in tree.files()
    rc, text, out = _diff(repo, "HEAD~1", "HEAD")
    assert _leaked(out) == []
    assert f"HEAD:docs/{ART}:1: symbolic link" in text, text
    assert "HEAD:docs/vendored:1: submodule" in text, text
    _, problems = validate(tree)
    assert {p.message for p in problems.errors} >= set(refused.values())


# -- 8. paths from the user ------------------------------------------------------------


def _make(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys, command: str, **var: str):
    """``make <command> NAME=value ...`` in ``repo``, in process: the command line as the
    Makefile runs it; returns the exit status and what it printed."""
    monkeypatch.chdir(repo)
    rc = _script("cli").main(["--from-make", command, *(f"{k}={v}" for k, v in var.items())])
    out = capsys.readouterr()
    return rc, out.out + out.err


@pytest.mark.parametrize(
    "out, why",
    [
        ("docs", "docs folder"),
        ("docs/regulations/x", "docs folder"),
        ("docs/.", "docs folder"),
        (".git/hooks", ".git"),
        ("build/.git", ".git"),
        ("docs-link/x", "docs folder"),  # a link into docs/
        ("away", "outside the repository"),  # a link out of the repository
        ("build/diff-link", "symbolic link"),  # the output itself is a link
    ],
)
def test_make_out_is_refused_where_outputs_never_go(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys, out: str, why: str
) -> None:
    (repo / "docs-link").symlink_to(repo / "docs", target_is_directory=True)
    (repo / "away").symlink_to(repo.parent, target_is_directory=True)
    (repo / "build").mkdir()
    (repo / "build" / "diff-link").symlink_to(repo / "build" / "real")
    before = sorted(p.as_posix() for p in repo.parent.rglob("*"))
    rc, text = _make(repo, monkeypatch, capsys, "diff", OLD="HEAD", NEW="WORKTREE", OUT=out)
    assert rc == 2, text
    assert f"error: --out '{Path(out)}': " in text and why in text, text
    assert "expected a path inside the repository, outside docs/ and .git/" in text
    assert sorted(p.as_posix() for p in repo.parent.rglob("*")) == before


def test_make_out_inside_the_repository_passes(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    rc, text = _make(repo, monkeypatch, capsys, "diff", OLD="HEAD", NEW="WORKTREE", OUT="build/d")
    assert rc == 0 and (repo / "build" / "d" / "diff.json").is_file(), text
    (repo / "away").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    (repo.parent / "elsewhere").mkdir()
    var = {"OLD": "HEAD", "NEW": "WORKTREE", "OUT": "away/x", "DIFF_ARGS": "--allow-outside"}
    rc, text = _make(repo, monkeypatch, capsys, "diff", **var)
    assert rc == 0 and (repo.parent / "elsewhere" / "x" / "diff.json").is_file(), text


@pytest.mark.parametrize(
    "release_args, why",
    [
        ("--notes-file /etc/hostname", "outside the repository"),
        ("--notes-file notes-link.md", "outside the repository"),  # a link to /etc/hostname
        ("--notes-out ../elsewhere/notes", "outside the repository"),
        ("--notes-out=docs/releases", "docs folder"),
        ("--notes-out .git", ".git"),
        ("--allow-outside --notes-out docs", "docs folder"),
        ("--allow-outside --notes-out /tmp/x/.git/y", ".git"),
        ("--notes-file build", "is a folder"),
    ],
)
def test_release_paths_are_checked_by_make(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys, release_args: str, why: str
) -> None:
    (repo / "notes-link.md").symlink_to("/etc/hostname")
    (repo / "build").mkdir()
    args = f"{release_args} --dry-run"
    rc, text = _make(repo, monkeypatch, capsys, "release", VERSION="2026.1", RELEASE_ARGS=args)
    assert rc == 2 and "error: --notes-" in text and why in text, text
    assert not (repo / "docs" / "releases").exists() and git(repo, "tag", "--list") == ""


def test_release_paths_outside_need_the_flag(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (repo / "notes.md").write_text("notes from a file\n", "utf-8")
    git(repo, "add", "notes.md")
    git(repo, "commit", "-qm", "notes")
    args = "--notes-file notes.md --notes-out build/n --dry-run"
    rc, text = _make(repo, monkeypatch, capsys, "release", VERSION="2026.1", RELEASE_ARGS=args)
    assert rc == 0 and "notes from a file" in (repo / "build" / "n" / "2026.1.md").read_text()
    shutil.rmtree(repo / "build")  # a release needs a clean tree
    outside = repo.parent / "outside-notes.md"
    outside.write_text("notes from outside\n", "utf-8")
    args = f"--notes-file {outside} --dry-run"
    rc, text = _make(repo, monkeypatch, capsys, "release", VERSION="2026.1", RELEASE_ARGS=args)
    assert rc == 2 and "outside the repository" in text, text
    args = f"--allow-outside --notes-file {outside} --dry-run"
    rc, text = _make(repo, monkeypatch, capsys, "release", VERSION="2026.1", RELEASE_ARGS=args)
    assert rc == 0 and "notes from outside" in text, text
    assert git(repo, "tag", "--list") == ""


@pytest.mark.parametrize("out", ["docs/report", ".git/hooks", "docs"])
def test_diff_script_writes_nothing_into_docs_or_git(repo: Path, out: str) -> None:
    before = sorted(p.as_posix() for p in repo.rglob("*"))
    rc, text, _ = _diff(repo, "HEAD", "WORKTREE", out=repo / out)
    assert rc == 2 and "Traceback" not in text
    assert f"error: --out '{repo / out}': resolves into" in text, text
    assert sorted(p.as_posix() for p in repo.rglob("*")) == before


def test_diff_script_outside_the_repository_needs_the_flag(repo: Path, tmp_path: Path) -> None:
    rc, text, _ = _diff(repo, "HEAD", "WORKTREE", out=tmp_path / "reports")
    assert rc == 2 and "outside the repository" in text and "--allow-outside" in text
    assert not (tmp_path / "reports").exists()
    rc, text, _ = _diff(repo, "HEAD", "WORKTREE", "--allow-outside", out=tmp_path / "reports")
    assert rc == 0, text
    assert (tmp_path / "reports" / "diff.json").is_file()
    rc, text, _ = _diff(repo, "HEAD", "WORKTREE", "--docs", "../", out=repo / "build" / "r2")
    assert rc == 2 and "--docs '../'" in text


def test_release_script_refuses_notes_outside(repo: Path, tmp_path: Path) -> None:
    release = _script("release")
    (tmp_path / "notes.txt").write_text("from outside\n", "utf-8")
    argv = ["2026.1", "--repo", str(repo), "--dry-run"]
    assert release.main([*argv, "--notes-file", str(tmp_path / "notes.txt")]) == 2
    assert release.main([*argv, "--notes-out", str(tmp_path / "elsewhere")]) == 2
    assert release.main([*argv, "--notes-out", str(repo / "docs")]) == 2
    assert not (tmp_path / "elsewhere").exists() and not (repo / "docs" / "2026.1.md").exists()
    assert git(repo, "tag", "--list") == ""


def test_pr_comment_out_is_checked(repo: Path, tmp_path: Path) -> None:
    rc, text, out = _diff(repo, "HEAD", "WORKTREE")
    assert rc == 0, text
    for target in ("docs/comment.md", ".git/comment.md", str(tmp_path / "comment.md")):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "pr_comment.py"), str(out), "--out", target],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1 and f"--out '{target}'" in proc.stderr, proc.stderr
    assert not (repo / "docs" / "comment.md").exists() and not (tmp_path / "comment.md").exists()


def test_import_source_may_be_outside_but_not_a_pipe(repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "source.txt"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_regulation.py"), str(fifo), "--id", "x"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and f"SRC '{fifo}': is not a regular file" in proc.stderr


# -- 9. the pull-request comment ---------------------------------------------------------

HOSTILE = [
    "@everyone",
    "@here",
    "@acme/legal-team",
    "@octocat",
    "hr@example.com",
    "https://evil.example/login",
    "HTTP://EVIL.EXAMPLE",
    "ftp://files.example/x",
    "www.evil.example",
    "WWW.EVIL.EXAMPLE/path",
    "mailto:ceo@example.com",
    "#123",
    "acme/repo#7",
    "GH-42",
    "!123",
    "acme/repo!9",
    "&12",
    "~security",
    "%v1.0",
    "$5",
    "![pixel](https://tracker.example/p.png)",
    "[click](https://evil.example)",
    "<https://evil.example>",
    '<img src="https://tracker.example/p.png">',
    '<a href="https://evil.example">x</a>',
    "`code` @everyone `x`",
]


def _strip_inert(md: str) -> str:
    """``md`` without what GitHub and GitLab never link: escaped characters, code spans,
    and the tags the templates write (del, ins, details, summary, em, br, sub)."""
    # a backslash escape is gone once rendered: the reference filters, which read the
    # rendered text, see '#', '~', '!', ... again; other escaped characters are just text
    md = re.sub(r"\\([#~!&$%^@:])", r"\1", md)
    md = re.sub(r"\\.", "\x00", md)
    md = re.sub(r"&(?:lt|gt|quot);", "\x00", md).replace("&amp;", "&")  # text, not markup
    md = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", " ", md, flags=re.S)
    return re.sub(r"</?(?:del|ins|details|summary|em|br|sub)>", " ", md)


LIVE = [
    (r"(?<![A-Za-z0-9_`])@[A-Za-z0-9]", "a mention"),
    (r"[A-Za-z0-9.+-]@[A-Za-z0-9-]+\.", "an e-mail autolink"),
    (r"(?i)\b[a-z][a-z0-9+.-]*://", "a URL"),
    (r"(?i)\bwww\.", "a www. autolink"),
    (r"(?i)\bmailto:", "a mailto: link"),
    (r"[#!&$%~^][A-Za-z0-9\"]", "a reference"),
    (r"\bGH-\d", "a GH- reference"),
    (r"\]\(|\]\[|<[A-Za-z!/?]", "a Markdown link, an image or HTML"),
]


def assert_inert(md: str) -> None:
    text = _strip_inert(md)
    for pattern, what in LIVE:
        m = re.search(pattern, text)
        assert m is None, f"{what} at {text[max(0, m.start() - 30) : m.end() + 30]!r}\n{md}"


def _mini(edit: dict[str, str] | None = None) -> MemoryTree:
    files = {p.relative_to(MINI).as_posix(): p.read_text("utf-8") for p in MINI.rglob("*.*")}
    files = {k: v for k, v in files.items() if k.endswith((".md", ".yml"))}
    files.update(edit or {})
    return MemoryTree(files)


def _hostile_tree(payload: str) -> MemoryTree:
    yml = json.dumps(payload, ensure_ascii=False)  # a JSON string is a YAML string
    body = f"為規範數據管理 {payload} 制定本制度。\n\n另見 {payload}。"
    manifest = (MINI / "regulations/alpha/index.md").read_text("utf-8")
    manifest = manifest.replace("zh-Hant: 甲管理制度", f"zh-Hant: {yml}", 1)
    return _mini(
        {
            ART: f"---\nid: purpose\ncaption: {yml}\n---\n{body}\n",
            "regulations/alpha/index.md": manifest,
        }
    )


@pytest.mark.parametrize("payload", HOSTILE)
def test_summary_from_hostile_content_has_nothing_live(payload: str) -> None:
    old, _ = load(_mini())
    new, problems = load(_hostile_tree(payload))
    diff = compare(old, new)
    assert diff.changes
    for lang in ("zh-Hant", "en"):
        md = Reporter(diff, lang).summary_markdown(full_report="redline.html")
        assert_inert(md)
    message = tag_message("2026.2", diff, None, notes="maintainer notes")
    assert_inert(message.split("[changes.zh-Hant]", 1)[1])


def test_inert_words_still_read_as_written() -> None:
    from compendium.mdescape import md_escape

    assert md_escape("請聯絡 @everyone") == "請聯絡 `@everyone`"
    assert md_escape("見 https://intra.example/a?b=1。") == "見 `https://intra.example/a?b=1`。"
    assert md_escape("#12 與 !3") == "`#12` 與 `!3`"
    assert md_escape("1. 一般規定 50%") == "1\\. 一般規定 50%"


def test_inert_escaping_stays_linear() -> None:
    from compendium.mdescape import md_escape

    start = time.perf_counter()
    for text in ("a" * 30_000, "a@" * 15_000, "#" * 30_000, "a:" * 15_000, "a." * 15_000):
        md_escape(text)  # each word is scanned from its start only (quadratic: ~20 s)
    assert time.perf_counter() - start < 2


# The author check, against fake API answers (no network).

BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
EVE = {"login": "eve", "id": 666, "type": "User"}


class FakeApi:
    """Answers GET /user and the comment list; records every request."""

    def __init__(self, user: Any, comments: list[dict[str, Any]]):
        self.user, self.comments, self.calls = user, comments, []

    def __call__(self, method: str, url: str, data: dict[str, Any] | None) -> Any:
        self.calls.append((method, url, data))
        if url.endswith("/user"):
            if isinstance(self.user, Exception):
                raise self.user
            return self.user
        if method == "GET":
            return self.comments if "page=1" in url else []
        return {"id": 999}

    def writes(self) -> list[tuple[str, str]]:
        return [(m, u) for m, u, _ in self.calls if m != "GET"]


GH = "https://api.github.com"
COMMENTS = f"{GH}/repos/acme/rules/issues"


def test_github_ignores_a_marker_comment_by_someone_else() -> None:
    api = FakeApi(
        CommentError("GET /user: HTTP 403 Forbidden"),
        [{"id": 1, "user": EVE, "body": MARKER + "\nplease edit me"}],
    )
    author = github_author(GH, api, {})
    assert upsert_github_comment(GH, "acme/rules", "5", "new", api, author) == "created"
    assert api.writes() == [("POST", f"{COMMENTS}/5/comments")]


def test_github_edits_only_the_bots_own_comment() -> None:
    impostor = dict(EVE, login="github-actions[bot]")  # a user cannot be a Bot
    api = FakeApi(
        CommentError("HTTP 403"),
        [
            {"id": 1, "user": EVE, "body": MARKER},
            {"id": 2, "user": impostor, "body": MARKER},
            {"id": 3, "user": BOT, "body": "no marker"},
            {"id": 4, "user": BOT, "body": MARKER + "\nold"},
        ],
    )
    author = github_author(GH, api, {})
    assert upsert_github_comment(GH, "acme/rules", "5", "new", api, author) == "updated"
    assert api.writes() == [("PATCH", f"{COMMENTS}/comments/4")]


def test_github_token_user_from_get_user() -> None:
    me = {"login": "rules-bot", "id": 7, "type": "User"}
    api = FakeApi(
        me,
        [
            {"id": 1, "user": BOT, "body": MARKER},  # another bot's comment
            {"id": 2, "user": dict(me, id=8), "body": MARKER},  # same login, other account
            {"id": 3, "user": me, "body": MARKER},
        ],
    )
    author = github_author(GH, api, {})
    assert upsert_github_comment(GH, "acme/rules", "5", "new", api, author) == "updated"
    assert api.writes() == [("PATCH", f"{COMMENTS}/comments/3")]


GL = "https://gitlab.example/api/v4"
NOTES = f"{GL}/projects/acme%2Frules/merge_requests/3/notes"


def test_gitlab_edits_only_the_tokens_own_note() -> None:
    me = {"id": 5, "username": "project_1_bot"}
    api = FakeApi(
        me,
        [
            {"id": 10, "author": {"id": 6, "username": "eve"}, "body": MARKER},
            {"id": 11, "author": {"id": 6, "username": "project_1_bot"}, "body": MARKER},
            {"id": 12, "system": True, "author": me, "body": MARKER},
            {"id": 13, "author": me, "body": MARKER + "\nold"},
        ],
    )
    author = gitlab_author(GL, api)
    assert upsert_gitlab_note(GL, "acme/rules", "3", "new", api, author) == "updated"
    assert api.writes() == [("PUT", f"{NOTES}/13")]


def test_gitlab_without_own_note_posts_and_needs_the_user() -> None:
    api = FakeApi({"id": 5, "username": "bot"}, [{"id": 1, "author": {"id": 6}, "body": MARKER}])
    assert upsert_gitlab_note(GL, "acme/rules", "3", "b", api, gitlab_author(GL, api)) == "created"
    assert api.writes() == [("POST", NOTES)]
    with pytest.raises(CommentError, match="token's user"):
        gitlab_author(GL, FakeApi({"message": "401 Unauthorized"}, []))


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_post_through_the_http_layer(monkeypatch, platform: str) -> None:
    """post() end to end with urllib's urlopen replaced: someone else's marker comment
    is left alone, and a new comment is posted."""
    seen: list[tuple[str, str]] = []
    other = (
        {"id": 1, "user": EVE, "body": MARKER}
        if platform == "github"
        else {"id": 1, "author": {"id": 6, "username": "eve"}, "body": MARKER}
    )

    def urlopen(req, timeout=None):
        seen.append((req.get_method(), req.full_url))
        if req.full_url.endswith("/user"):
            if platform == "github":  # the workflow token may not read /user
                raise urllib.error.HTTPError(req.full_url, 403, "Forbidden", {}, io.BytesIO())
            return _Response(json.dumps({"id": 5, "username": "bot"}).encode())
        if req.get_method() == "GET":
            return _Response(json.dumps([other]).encode())
        return _Response(b'{"id": 2}')

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    env = {
        "GITHUB_API_URL": GH,
        "GITHUB_REPOSITORY": "acme/rules",
        "PR_NUMBER": "5",
        "GITHUB_TOKEN": "t",
        "CI_API_V4_URL": GL,
        "CI_PROJECT_ID": "acme/rules",
        "CI_MERGE_REQUEST_IID": "3",
        "COMPENDIUM_BOT_TOKEN": "t",
    }
    assert post(platform, MARKER + "\nbody", env) == "created"
    writes = [(m, u) for m, u in seen if m != "GET"]
    assert len(writes) == 1 and writes[0][0] == "POST"
