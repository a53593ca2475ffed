"""Release records: written by make release, read by history, diff, stamp and publish.

A scratch repository is built from tests/fixtures/diff (r1, then the r2 overlay) and
released twice with scripts/release.py. The records, not the tags, carry the
releases: a clone without tags has the same history, a shallow clone and a record
whose commit is gone say what is missing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from compendium.changes.git import GitError, GitRepo
from compendium.changes.history import build_stamp, release_history
from compendium.changes.recorded import MissingRelease, find_commit, read_records
from compendium.changes.releases import diff_refs
from compendium.site.historypages import revisions_page
from compendium.source.ledger import digests_of, folder_files, load_records
from tests.hostile.test_make_injection import cli
from tests.test_diff import FIXTURES, _script, apply_overlay, git, init_repo

RELEASE_ARGS = {
    "2026.1": [
        "--approved-by",
        "董事會",
        "--approved-by-en",
        "Board of Directors",
        "--approved-on",
        "2026-01-05",
        "--resolution",
        "第一屆第一次董事會",
        "--date",
        "2026-01-06",
    ],
    "2026.2": [
        "--approved-by",
        "總經理",
        "--approved-by-en",
        "President",
        "--approved-on",
        "2026-03-01",
        "--effective",
        "2026-04-01",
        "--date",
        "2026-03-02",
    ],
}


def _release(repo: Path, version: str, *extra: str) -> int:
    release = _script("release")
    notes = ["--notes", f"第 {version} 版。", "--notes-en", f"Release {version}."]
    code: int = release.main([version, "--repo", str(repo), *notes, *extra])
    return code


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = init_repo(tmp_path_factory.mktemp("ledger") / "repo")
    for stage, version in (("r1", "2026.1"), ("r2", "2026.2")):
        apply_overlay(FIXTURES / stage, path / "docs")
        assert _script("stamp").main([str(path / "docs")]) == 0
        git(path, "add", "-A")
        git(path, "commit", "-qm", f"content for {version}")
        assert _release(path, version, *RELEASE_ARGS[version]) == 0
    return path


def _clone(repo: Path, dest: Path, *opts: str) -> Path:
    git(repo.parent, "clone", "-q", *opts, f"file://{repo}", str(dest))
    for name in ("user.name", "user.email"):
        git(dest, "config", name, git(repo, "config", name).strip())
    return dest


def _summary(path: Path) -> list[tuple[str, str, list[str]]]:
    history = release_history(path)
    assert history.status == "ok", history.error
    return [(e.version, e.release.commit, [c.key for c in e.diff.changes]) for e in history.entries]


def test_records_are_committed_with_approval_digests_and_commit(repo: Path) -> None:
    records = read_records(GitRepo(repo))
    assert [r.version for r in records] == ["2026.1", "2026.2"]
    first, second = records
    assert first.approval.body == {"zh-Hant": "董事會", "en": "Board of Directors"}
    assert first.approval.resolution["zh-Hant"] == "第一屆第一次董事會"
    assert first.effective == first.approval.date == dt.date(2026, 1, 5)  # default: approval
    assert second.effective == dt.date(2026, 4, 1) and second.notes["en"] == "Release 2026.2."
    assert set(first.digests) == {"alpha", "beta", "gamma"}
    assert set(second.digests) == {"alpha", "beta", "delta"}  # gamma retired, delta added
    # Each record commit holds only its record, its parent is the commit it was cut from,
    # and the convenience tag is on the record commit.
    for r in records:
        added = git(
            repo, "log", "--format=%H", "--diff-filter=A", "--", f"releases/{r.version}.yml"
        )
        record_commit = added.split()[0]
        assert git(repo, "rev-parse", f"{record_commit}^").strip() == r.commit
        files = git(repo, "show", "--name-only", "--format=", record_commit).split()
        assert files == [f"releases/{r.version}.yml"]
        assert git(repo, "rev-parse", f"release/{r.version}^{{commit}}").strip() == record_commit
    assert git(repo, "status", "--porcelain") == ""


def test_documented_digest_command_gives_the_recorded_digest(repo: Path) -> None:
    record = read_records(GitRepo(repo))[-1]
    command = (
        "find . -type f ! -path '*/.*' | cut -c3- | LC_ALL=C sort | xargs sha256sum | sha256sum"
    )
    out = subprocess.run(
        ["bash", "-c", command],
        cwd=repo / "docs" / "regulations" / "alpha",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert record.digests["alpha"] == "sha256:" + out.split()[0]


def test_history_and_diff_read_the_records(repo: Path) -> None:
    history = release_history(repo)
    assert [e.version for e in history.entries] == ["2026.2", "2026.1"]
    assert history.entries[0].notes["zh-Hant"] == "第 2026.2 版。"
    assert history.stamp is not None and history.stamp.release == "2026.2"
    _, md = revisions_page(history, "en", lambda f, n: f"../releases/{f}/{n}")
    assert 'id="release-2026.1"' in md and "President" in md and "1 April 2026" in md
    diff, _old, _new = diff_refs(GitRepo(repo), "2026.1", "2026.2")
    assert diff.old.release == "2026.1" and diff.new.release == "2026.2"
    assert any(c.key == "regulation:delta:delta" for c in diff.changes)


def test_clone_without_tags_has_the_same_history(repo: Path, tmp_path: Path) -> None:
    bare = _clone(repo, tmp_path / "no-tags", "--no-tags")
    assert git(bare, "tag", "--list") == ""
    assert _summary(bare) == _summary(repo)
    diff, _old, _new = diff_refs(GitRepo(bare), "2026.1", "release/2026.2")
    assert diff.new.release == "2026.2"


def test_a_record_whose_commit_is_gone_is_found_by_its_content(repo: Path, tmp_path: Path) -> None:
    """A squash merge or rebase changes the hash: the commit that added the record has
    the same content, and is used; content found nowhere is a clear error."""
    clone = _clone(repo, tmp_path / "rebased", "--no-tags")
    path = clone / "releases" / "2026.1.yml"
    text = path.read_text(encoding="utf-8")
    record = read_records(GitRepo(clone))[0]
    assert record.commit is not None
    path.write_text(text.replace(record.commit, "0" * 40), encoding="utf-8")
    found = find_commit(GitRepo(clone), read_records(GitRepo(clone))[0])
    assert git(clone, "rev-parse", f"{found}:docs") == git(
        repo, "rev-parse", f"{record.commit}:docs"
    )
    other = text.replace(record.sources, "sha256:" + "1" * 64).replace(record.commit, "0" * 40)
    path.write_text(other, encoding="utf-8")
    with pytest.raises(
        MissingRelease,
        match=r"release 2026\.1 \(releases/2026\.1\.yml\): its commit 0000000 is not in this clone",
    ):
        find_commit(GitRepo(clone), read_records(GitRepo(clone))[0])
    history = release_history(clone)
    assert history.status == "missing" and "2026.1" in (history.notice("en") or "")


def test_shallow_clone_says_what_is_missing(repo: Path, tmp_path: Path, capsys) -> None:
    shallow = _clone(repo, tmp_path / "shallow", "--depth", "1")
    history = release_history(shallow)
    assert history.status == "shallow"
    notice = history.notice("en") or ""
    assert "release 2026.1" in notice and "git fetch --unshallow" in notice
    assert "淺層複製" in (history.notice("zh-Hant") or "")
    with pytest.raises(GitError, match=r"release 2026\.1 .*shallow clone"):
        diff_refs(GitRepo(shallow), "2026.1", "HEAD")
    stamp = build_stamp(shallow)  # the latest release is still known by its content
    assert stamp is not None and stamp.release == "2026.2"
    assert _release(shallow, "2026.3") == 2
    assert "shallow clone" in capsys.readouterr().err


def test_stamp_is_the_release_only_for_its_exact_content(repo: Path, tmp_path: Path) -> None:
    clone = _clone(repo, tmp_path / "edit")
    article = clone / "docs" / "regulations" / "alpha" / "purpose.zh-Hant.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n補充。\n", encoding="utf-8")
    stamp = build_stamp(clone)
    assert stamp is not None and stamp.release is None and stamp.modified
    git(clone, "commit", "-qam", "after the release")
    stamp = build_stamp(clone)
    assert stamp is not None and stamp.release is None and not stamp.modified
    # Outside git (an exported copy): the records still tell the release.
    plain = tmp_path / "export"
    shutil.copytree(repo / "docs", plain / "docs")
    shutil.copytree(repo / "releases", plain / "releases")
    stamp = build_stamp(plain)
    assert stamp is not None and stamp.release == "2026.2" and stamp.commit is None


def test_release_refuses_bad_approval_dates_and_an_existing_version(
    repo: Path, tmp_path: Path, capsys
) -> None:
    clone = _clone(repo, tmp_path / "refuse")
    (clone / "docs" / "regulations" / "alpha" / "scope.zh-Hant.md").write_text(
        "---\nid: scope\n---\n本辦法適用於全體員工。\n", encoding="utf-8"
    )
    git(clone, "commit", "-qam", "amend scope")
    before = ["--approved-on", "2026-05-02", "--effective", "2026-05-01", "--date", "2026-05-03"]
    assert _release(clone, "2026.3", *before) == 2
    assert "effective 2026-05-01 is before the approval of 2026-05-02" in capsys.readouterr().err
    assert _release(clone, "2026.3", "--approved-on", "2026-02-01", "--date", "2026-05-03") == 2
    assert "before the approval date 2026-03-01 of release 2026.2" in capsys.readouterr().err
    assert _release(clone, "2026.2") == 2
    assert "release 2026.2 already exists (releases/2026.2.yml)" in capsys.readouterr().err
    assert not (clone / "releases" / "2026.3.yml").exists()
    assert git(clone, "status", "--porcelain") == ""


def test_validator_names_file_line_and_what_is_expected(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    good = {
        "version": "2026.1",
        "date": dt.date(2026, 2, 1),
        "approval": {"body": {"zh-Hant": "董事會", "en": "Board"}, "date": dt.date(2026, 1, 1)},
        "effective": dt.date(2026, 1, 1),
        "sources": "sha256:" + "a" * 64,
        "digests": {"alpha": "sha256:" + "b" * 64},
    }
    (folder / "2026.1.yml").write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")
    records, problems = load_records(folder)
    assert [r.version for r in records] == ["2026.1"] and not problems.items
    bad = (
        "version: 2026.2\n"
        "date: 2025-12-01\n"
        "approval:\n  body: {zh-Hant: 董事會}\n  date: 2025-11-01\n  seal: yes\n"
        "effective: 2025-10-01\n"
        "sources: sha256:zz\n"
        "digests: {alpha: 'sha256:" + "c" * 64 + "'}\n"
        "extra: 1\n"
    )
    (folder / "2026.2.yml").write_text(bad, encoding="utf-8")
    (folder / "notes.txt").write_text("x\n", encoding="utf-8")
    _, problems = load_records(folder)
    msgs = [str(p) for p in problems.sorted()]
    assert any(m.startswith("releases/notes.txt:1: not a release record") for m in msgs)
    assert any(
        m.startswith("releases/2026.2.yml:1: version 2026.2 is not") and "quotes" in m for m in msgs
    )
    assert any(m.startswith("releases/2026.2.yml:6: unknown field 'approval.seal'") for m in msgs)
    assert any(m.startswith("releases/2026.2.yml:8: sources 'sha256:zz'") for m in msgs)
    assert any(m.startswith("releases/2026.2.yml:10: unknown field 'extra'") for m in msgs)
    fixed = bad.replace("version: 2026.2", 'version: "2026.2"')
    fixed = fixed.replace("  seal: yes\n", "").replace("sha256:zz", "sha256:" + "d" * 64)
    (folder / "2026.2.yml").write_text(fixed.replace("extra: 1\n", ""), encoding="utf-8")
    (folder / "notes.txt").unlink()
    _, problems = load_records(folder)
    msgs = [str(p) for p in problems.sorted()]
    assert any(
        m.startswith("releases/2026.2.yml:6: effective 2025-10-01 is before the approval")
        for m in msgs
    ), msgs
    assert any(
        m.startswith("releases/2026.2.yml:2: date 2025-12-01 of release 2026.2 is before")
        for m in msgs
    ), msgs
    assert any(m.startswith("releases/2026.2.yml:5: approval date 2025-11-01") for m in msgs), msgs


def test_check_reports_record_problems(repo: Path, tmp_path: Path, capsys) -> None:
    clone = _clone(repo, tmp_path / "check")
    record = clone / "releases" / "2026.2.yml"
    record.write_text(record.read_text(encoding="utf-8") + "signed: true\n", encoding="utf-8")
    assert _script("check").main([str(clone / "docs")]) == 1
    out = capsys.readouterr().out
    assert f"{clone.as_posix()}/releases/2026.2.yml:" in out and "unknown field 'signed'" in out


def test_import_tags_once(tmp_path: Path, capsys) -> None:
    path = init_repo(tmp_path / "tags")
    apply_overlay(FIXTURES / "r1", path / "docs")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "first")
    git(path, "tag", "-a", "-m", "Release 2026.1\n\n[notes]\n首次發布。", "release/2026.1")
    apply_overlay(FIXTURES / "r2", path / "docs")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "second")
    git(path, "tag", "-a", "-m", "Release 2026.2", "release/2026.2")
    assert release_history(path).status == "no-releases"
    release = _script("release")
    assert release.main(["--import-tags", "--repo", str(path)]) == 0
    assert sorted(p.name for p in (path / "releases").iterdir()) == ["2026.1.yml", "2026.2.yml"]
    git(path, "add", "-A")
    git(path, "commit", "-qm", "records")
    assert release.main(["--import-tags", "--repo", str(path)]) == 0
    assert "nothing to import" in capsys.readouterr().err
    records = read_records(GitRepo(path))
    assert records[0].notes["zh-Hant"] == "首次發布。"
    assert records[0].approval.body["en"] == "Board of Directors"
    assert records[0].commit == git(path, "rev-parse", "release/2026.1^{commit}").strip()
    git(path, "tag", "-d", "release/2026.1", "release/2026.2")
    assert [e.version for e in release_history(path).entries] == ["2026.2", "2026.1"]


def test_digests_leave_out_hidden_files_and_follow_every_byte(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "r1" / "docs", docs)
    sources, digests = digests_of(folder_files(docs))
    (docs / "regulations" / "alpha" / ".notes.swp").write_text("x", encoding="utf-8")
    assert digests_of(folder_files(docs)) == (sources, digests)
    backup = docs / "regulations" / "alpha" / "backup.zh-Hant.md"
    backup.write_bytes(backup.read_bytes() + b" ")
    sources2, digests2 = digests_of(folder_files(docs))
    assert sources2 != sources and digests2["alpha"] != digests["alpha"]
    assert digests2["beta"] == digests["beta"]


def test_make_release_passes_the_approval_as_checked_arguments() -> None:
    arguments, refused = cli.arguments, cli.Refused
    env = {
        "VERSION": "2026.3",
        "APPROVED_BY": "董事會",
        "APPROVED_ON": "2026-05-01",
        "RESOLUTION": "第十二屆第五次董事會",
        "EFFECTIVE": "2026-06-01",
    }
    args = arguments("release", env)
    assert args[-2:] == ["--", "2026.3"]
    assert "--approved-on=2026-05-01" in args and "--resolution=第十二屆第五次董事會" in args
    with pytest.raises(refused, match="APPROVED_ON='1 May' is not a valid date"):
        arguments("release", {"APPROVED_ON": "1 May"})
    with pytest.raises(refused, match="APPROVED_BY=.* is not one line"):
        arguments("release", {"APPROVED_BY": "董事會\n總經理"})
