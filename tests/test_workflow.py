"""pre-commit hooks and CI templates: they parse, validate against the official
schemas (vendored by check-jsonschema, offline) and their commands run."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from compendium.changes.prcomment import MARKER, comment_body

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GITHUB = ROOT / "ci-templates" / "github" / "compendium.yml"
GITLAB = ROOT / "ci-templates" / "gitlab" / "compendium.gitlab-ci.yml"


def _targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.M))


def _make_targets(script: str) -> list[str]:
    return re.findall(r"(?<![\w.-])make ([a-z][a-z0-9-]*)", script)


def test_pre_commit_config_hooks_run():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    ids = [h["id"] for h in repo["hooks"]]
    assert ids and len(set(ids)) == len(ids)
    for hook in repo["hooks"]:
        assert hook["language"] in ("system", "script")
        assert set(hook) <= {"id", "name", "entry", "language", "files", "pass_filenames"}
        assert re.search(hook["files"], "docs/regulations/some-regulation/an-article.zh-Hant.md")
        assert not re.search(hook["files"], "README.md")
        (target,) = _make_targets(hook["entry"])
        assert target in _targets()


def test_pre_commit_runs_every_hook_offline(tmp_path):
    """pre-commit itself (pinned in requirements.lock) on a scratch copy of the repository:
    the config validates, every hook passes on the shipped tree and the validator hook
    fails, naming file and line, on a broken article. Local hooks: no network."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("docs", "schemas", "scripts", ".pre-commit-config.yaml", "Makefile"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, repo / name)
        os.utime(repo / name, (0, 0))  # older than the venv: make must not reinstall it here
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / ".gitignore").write_text(".venv\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "compendium")
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "NO_MKDOCS_2_WARNING": "1",
    }

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), *args], cwd=repo, env=env, capture_output=True, text=True
        )

    ok = pre_commit("validate-config", ".pre-commit-config.yaml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    run = pre_commit("run", "--all-files")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert run.stdout.count("Passed") == len(hooks["repos"][0]["hooks"]), run.stdout
    article = sorted((repo / "docs" / "regulations").glob("*/*.zh-Hant.md"))[0]
    article.write_text(f"---\nid: {article.name.split('.')[0]}\n---\n", encoding="utf-8")
    _git(repo, "add", "-A")
    rel = article.relative_to(repo).as_posix()
    bad = pre_commit("run", "compendium-check", "--files", rel)
    assert bad.returncode == 1
    assert f"{rel}:" in bad.stdout
    assert "Failed" in bad.stdout


def test_pre_commit_schema_hook_fails_on_a_broken_file(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    roles = docs / "roles.yml"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("kind: department", "kind: dept", 1),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "scripts/schema.py", "--validate", str(docs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "roles.yml:" in run.stdout and "'dept'" in run.stdout


@pytest.mark.parametrize(
    ("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")]
)
def test_ci_templates_match_the_official_schemas(path, schema, tmp_path):
    cmd = [str(BIN / "check-jsonschema"), "--builtin-schema", schema]
    ok = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if schema == "vendor.github-workflows":
        data["jobs"]["review"]["runs-on"] = {"bad": True}
        data["jobs"]["review"]["steps"][0]["with"] = "not a mapping"
    else:
        data["build"]["artifacts"]["expire_in"] = {"bad": True}
        data["stages"] = "validate"
    broken = tmp_path / path.name
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    bad = subprocess.run([*cmd, str(broken)], capture_output=True, text=True)
    assert bad.returncode != 0


def _scripts() -> list[str]:
    gh = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    gl = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    out = [s["run"] for job in gh["jobs"].values() for s in job["steps"] if "run" in s]
    out += ["\n".join(j["script"]) for j in gl.values() if isinstance(j, dict) and "script" in j]
    return out


def test_ci_commands_name_existing_targets_and_scripts():
    scripts = _scripts()
    targets = {t for s in scripts for t in _make_targets(s)}
    assert {"check", "site", "diff", "publish"} <= targets
    assert targets <= _targets()
    for s in scripts:
        for rel in re.findall(r"scripts/[a-z_]+\.py", s):
            assert (ROOT / rel).is_file(), rel
    gh = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    uploads = [
        s["with"]["path"]
        for s in gh["jobs"]["review"]["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert {"site/", "build/diff/"} <= set(uploads), "the reviewer gets the site and the report"
    runs = [s.get("run", "") for s in gh["jobs"]["review"]["steps"]]
    assert any("scripts/pr_comment.py build/diff --github" in r for r in runs)
    gl = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gl["build"]["artifacts"]["paths"] == ["site/"]
    assert gl["pages"]["artifacts"]["paths"] == ["public/"]
    gl_scripts = "\n".join(
        line for job in gl.values() if isinstance(job, dict) for line in job.get("script", [])
    )
    assert "scripts/pr_comment.py build/diff --out build/diff/comment.md --gitlab" in gl_scripts


def _git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.com",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_pull_request_steps_in_a_scratch_repo(tmp_path):
    """The review job's commands: a change on a branch, the diff against the target
    branch, and the comment the CI would post."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "tests" / "fixtures" / "pdf" / "docs", repo / "docs")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "new-article")
    py = sys.executable
    cli = [py, str(ROOT / "scripts/cli.py"), "--from-make"]
    env = {"PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [*cli, "new-article", "REG=alpha", "ID=data-retention", "AFTER=backup"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "next:" in run.stdout
    run = subprocess.run(
        [*cli, "rename", "OLD=alpha/scope", "NEW=alpha/applicability"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "New article, renamed scope")
    out = tmp_path / "diff"
    run = subprocess.run(
        [py, str(ROOT / "scripts/diff.py"), "main", "HEAD", "--out", str(out), "--allow-outside"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [
            py,
            str(ROOT / "scripts/pr_comment.py"),
            str(out),
            "--out",
            str(out / "comment.md"),
            "--allow-outside",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    body = (out / "comment.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER + "\n")
    assert "data-retention" in body and "Added" in body and "新增" in body
    assert "applicability" not in body and "`scope`" not in body  # a rename is no change


class _FakeGitLab(http.server.BaseHTTPRequestHandler):
    """GitLab's notes API and GitHub's issue comments API, as far as the comment needs."""

    notes: list[dict] = []
    calls: list[tuple[str, str]] = []
    headers_seen: list[dict] = []
    status = 200

    def _reply(self, data, status: int | None = None) -> None:
        status = status or self.status
        self.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        raw = json.dumps(data if status == 200 else {"message": "Bad credentials"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    # who the token is: GitLab answers GET /user; GitHub's workflow token may not (403)
    # and posts as github-actions[bot]
    GITLAB_USER = {"id": 5, "username": "compendium-bot"}
    GITHUB_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}

    def _gitlab(self) -> bool:
        return self.path.startswith("/api/v4/")

    def do_GET(self):  # noqa: N802 (http.server API)
        self.calls.append(("GET", self.path))
        if self.path.endswith("/user"):
            self._reply(self.GITLAB_USER, None if self._gitlab() else 403)
            return
        self._reply(self.notes)

    def do_POST(self):  # noqa: N802
        self.calls.append(("POST", self.path))
        who = {"author": self.GITLAB_USER} if self._gitlab() else {"user": self.GITHUB_BOT}
        self.notes.append({"id": len(self.notes) + 7, "body": self._body()["body"], **who})
        self._reply(self.notes[-1])

    def do_PUT(self):  # noqa: N802
        self.calls.append((self.command, self.path))
        nid = int(self.path.rsplit("/", 1)[1])
        for n in self.notes:
            if n["id"] == nid:
                n["body"] = self._body()["body"]
        self._reply({})

    do_PATCH = do_PUT  # noqa: N815 (GitHub edits a comment with PATCH)

    def log_message(self, *args):
        pass


def _pr_comment_main():
    import importlib.util

    spec = importlib.util.spec_from_file_location("pr_comment", ROOT / "scripts" / "pr_comment.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.main


def test_gitlab_note_is_created_once_then_updated(tmp_path, monkeypatch):
    diff = tmp_path / "diff"
    diff.mkdir()
    (diff / "summary.zh-Hant.md").write_text("### 變更\n\n- 新增", encoding="utf-8")
    (diff / "summary.en.md").write_text("### Changes\n\n- Added", encoding="utf-8")
    _FakeGitLab.notes = [{"id": 1, "body": "an unrelated note"}]
    _FakeGitLab.calls, _FakeGitLab.headers_seen, _FakeGitLab.status = [], [], 200
    server = http.server.HTTPServer(("127.0.0.1", 0), _FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("CI_API_V4_URL", f"http://127.0.0.1:{server.server_port}/api/v4")
        monkeypatch.setenv("CI_PROJECT_ID", "group/compendium")
        monkeypatch.setenv("CI_MERGE_REQUEST_IID", "12")
        monkeypatch.setenv("COMPENDIUM_BOT_TOKEN", "secret")
        main = _pr_comment_main()
        assert main([str(diff), "--gitlab"]) == 0
        assert main([str(diff), "--gitlab"]) == 0
        monkeypatch.setenv("CI_MERGE_REQUEST_IID", "12; rm -rf /")
        assert main([str(diff), "--gitlab"]) == 1
    finally:
        server.shutdown()
        server.server_close()
    calls = [c for c in _FakeGitLab.calls if c != ("GET", "/api/v4/user")]
    assert [m for m, _ in calls] == ["GET", "POST", "GET", "PUT"]
    assert calls[1][1] == "/api/v4/projects/group%2Fcompendium/merge_requests/12/notes"
    assert len(_FakeGitLab.notes) == 2
    assert all(h["private-token"] == "secret" for h in _FakeGitLab.headers_seen)
    assert _FakeGitLab.notes[1]["body"] == comment_body(diff)
    assert "### 變更" in _FakeGitLab.notes[1]["body"].split("---")[0]


@pytest.fixture
def fake_api():
    _FakeGitLab.notes = [{"id": 1, "body": "an unrelated comment"}]
    _FakeGitLab.calls, _FakeGitLab.headers_seen, _FakeGitLab.status = [], [], 200
    server = http.server.HTTPServer(("127.0.0.1", 0), _FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _summaries(tmp_path: Path) -> Path:
    diff = tmp_path / "diff"
    diff.mkdir()
    (diff / "summary.zh-Hant.md").write_text("### 變更\n\n- 修正", encoding="utf-8")
    (diff / "summary.en.md").write_text("### Changes\n\n- Amended", encoding="utf-8")
    return diff


def test_github_comment_is_created_once_then_updated(tmp_path, monkeypatch, fake_api):
    diff = _summaries(tmp_path)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 34}}), encoding="utf-8")
    monkeypatch.setenv("GITHUB_API_URL", fake_api)
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/compendium")
    monkeypatch.delenv("PR_NUMBER", raising=False)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))  # the number from the event file
    monkeypatch.setenv("GITHUB_TOKEN", "gh-secret")
    main = _pr_comment_main()
    assert main([str(diff), "--github"]) == 0
    monkeypatch.setenv("PR_NUMBER", "34")
    assert main([str(diff), "--github"]) == 0
    assert [c for c in _FakeGitLab.calls if c != ("GET", "/user")] == [
        ("GET", "/repos/acme/compendium/issues/34/comments?per_page=100&page=1"),
        ("POST", "/repos/acme/compendium/issues/34/comments"),
        ("GET", "/repos/acme/compendium/issues/34/comments?per_page=100&page=1"),
        ("PATCH", f"/repos/acme/compendium/issues/comments/{_FakeGitLab.notes[1]['id']}"),
    ]
    assert all(h["authorization"] == "Bearer gh-secret" for h in _FakeGitLab.headers_seen)
    assert [n["body"] for n in _FakeGitLab.notes] == ["an unrelated comment", comment_body(diff)]
    assert _FakeGitLab.calls.count(("GET", "/user")) == 2  # asked who the token is


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PR_NUMBER", "34 && curl evil", "PR_NUMBER must be a number"),
        ("GITHUB_REPOSITORY", "acme/compendium/../x", "GITHUB_REPOSITORY must be <owner>/<name>"),
        ("GITHUB_API_URL", "file:///etc/passwd", "GITHUB_API_URL must be an http(s) URL"),
        ("GITHUB_TOKEN", "", "missing CI variables: GITHUB_TOKEN"),
    ],
)
def test_comment_refuses_bad_ci_variables(tmp_path, monkeypatch, capsys, variable, value, message):
    diff = _summaries(tmp_path)
    env = {
        "GITHUB_API_URL": "https://api.github.com",
        "GITHUB_REPOSITORY": "acme/compendium",
        "PR_NUMBER": "34",
        "GITHUB_TOKEN": "gh-secret",
        variable: value,
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert _pr_comment_main()([str(diff), "--github"]) == 1
    assert message in capsys.readouterr().err


def test_comment_http_failure_is_a_clear_error(tmp_path, monkeypatch, capsys, fake_api):
    diff = _summaries(tmp_path)
    _FakeGitLab.status = 401
    monkeypatch.setenv("CI_API_V4_URL", f"{fake_api}/api/v4")
    monkeypatch.setenv("CI_PROJECT_ID", "7")
    monkeypatch.setenv("CI_MERGE_REQUEST_IID", "12")
    monkeypatch.setenv("COMPENDIUM_BOT_TOKEN", "wrong")
    assert _pr_comment_main()([str(diff), "--gitlab"]) == 1
    err = capsys.readouterr().err
    assert f"error: GET {fake_api}/api/v4/user" in err  # who the token is, asked first
    assert "HTTP 401" in err and "Bad credentials" in err and "wrong" not in err
    assert _FakeGitLab.calls == [("GET", "/api/v4/user")]
    assert len(_FakeGitLab.notes) == 1  # nothing posted
