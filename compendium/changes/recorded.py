"""Releases as the records say, each found in git by its content.

The records (:mod:`compendium.source.ledger`) say what each release contained; this
module finds a commit whose ``docs/`` has exactly that content: the record's
``commit``, else the tag ``release/<version>``, else the commit that added the record
(a squash merge or a rebase changes hashes, not content). Tags are never needed, so
a clone without tags has the same history. When no commit is found the
:class:`MissingRelease` error says which release, which commit and why (a shallow
clone, a commit that is not in this clone, content that differs from the record).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compendium.changes.git import END_OF_OPTIONS, GitError, GitRepo, Release, Stamp
from compendium.source.ledger import (
    RECORDS_DIR,
    ReleaseRecord,
    digests_of,
    folder_files,
    load_records,
    records_dir,
)
from compendium.source.problems import Problems

UNSHALLOW = "git fetch --unshallow"


class MissingRelease(GitError):
    """A recorded release whose content no commit of this clone has."""


class RecordsInvalid(GitError):
    """The release records have errors; ``problems`` lists them."""

    def __init__(self, message: str, problems: Problems):
        super().__init__(message)
        self.problems = problems


def read_records(repo: GitRepo, docs: str = "docs") -> list[ReleaseRecord]:
    """The records beside ``docs`` in the working copy; RecordsInvalid on errors."""
    folder = records_dir(repo.root / docs)
    shown = Path(docs).parent / RECORDS_DIR
    records, problems = load_records(folder, shown.as_posix())
    if problems.errors:
        raise RecordsInvalid(
            f"{len(problems.errors)} error(s) in the release records: "
            + "; ".join(str(p) for p in problems.sorted()[:3]),
            problems,
        )
    return records


def docs_files_at(repo: GitRepo, commit: str, docs: str = "docs") -> dict[str, bytes]:
    """The regular files of ``docs`` at ``commit`` (paths relative to ``docs``)."""
    prefix = docs.strip("/") + "/"
    rows = [
        (obj, name[len(prefix) :])
        for mode, obj, name in repo.ls_tree(commit, docs)
        if mode in ("100644", "100755") and name.startswith(prefix)
    ]
    blobs = repo.read_blobs(sorted({obj for obj, _ in rows}))
    return {rel: blobs.get(obj) or b"" for obj, rel in rows}


def _has_commit(repo: GitRepo, ref: str) -> str | None:
    proc = repo._git(
        "rev-parse", "--verify", "--quiet", END_OF_OPTIONS, f"{ref}^{{commit}}", check=False
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def _record_commit(repo: GitRepo, record: ReleaseRecord, docs: str) -> str | None:
    """The commit that added the record file, in HEAD's history."""
    path = (Path(docs).parent / RECORDS_DIR / f"{record.version}.yml").as_posix()
    proc = repo._git("log", "--diff-filter=A", "--format=%H", "HEAD", "--", path, check=False)
    found = proc.stdout.split() if proc.returncode == 0 else []
    return found[-1] if found else None


def find_commit(repo: GitRepo, record: ReleaseRecord, docs: str = "docs") -> str:
    """A commit whose ``docs`` has the record's content; MissingRelease when none has."""
    tried: list[str] = []
    candidates = [
        ("commit", record.commit and _has_commit(repo, record.commit)),
        ("tag", _has_commit(repo, f"refs/tags/{record.tag}")),
        ("record", _record_commit(repo, record, docs)),
    ]
    for how, commit in candidates:
        if not commit:
            continue
        sources, _ = digests_of(docs_files_at(repo, commit, docs))
        if sources == record.sources:
            return commit
        tried.append(f"{how} {commit[:7]} has other content")
    raise MissingRelease(_missing_message(repo, record, tried))


def _missing_message(repo: GitRepo, record: ReleaseRecord, tried: list[str]) -> str:
    what = f"release {record.version} ({record.path})"
    if record.commit and not _has_commit(repo, record.commit):
        why = f"its commit {record.commit[:7]} is not in this clone"
    elif record.commit:
        why = f"its commit {record.commit[:7]} does not have the recorded content"
    else:
        why = "the record names no commit and no commit has the recorded content"
    if tried:
        why += " (" + "; ".join(tried) + ")"
    if repo.is_shallow():
        fix = f"this is a shallow clone: fetch the history with {UNSHALLOW}"
    else:
        fix = (
            "fetch the branch the release was cut on (git fetch origin), or correct the "
            "record's commit"
        )
    return f"{what}: {why}; {fix}"


def recorded_releases(repo: GitRepo, docs: str = "docs") -> list[Release]:
    """Every recorded release, oldest first, each with the commit that has its content."""
    out = []
    for record in read_records(repo, docs):
        commit = find_commit(repo, record, docs)
        when = dt.datetime.combine(record.date, dt.time(), dt.UTC)
        out.append(Release(record.version, record.tag, commit, when, "", record))
    return out


def release_of(records: list[ReleaseRecord], files: dict[str, bytes]) -> str | None:
    """The version of the latest record when ``files`` (a docs folder) are exactly its
    content, else None: anything else is a draft."""
    if not records:
        return None
    sources, _ = digests_of(files)
    return records[-1].version if records[-1].sources == sources else None


def build_stamp(docs: Path, repo: GitRepo | None) -> Stamp:
    """What a build of the folder ``docs`` is: the latest release when its content is
    that release's (committed or not, in git or not), else a draft at HEAD's commit."""
    records, problems = load_records(records_dir(docs))
    release = None if problems.errors else release_of(records, folder_files(docs))
    if repo is None or not repo.has_commits():
        return Stamp(release, None, None, False)
    head = repo.resolve("HEAD")
    rel = repo.relative(docs)
    return Stamp(release, head[:7], repo.commit_date(head), bool(repo.status(rel)))
