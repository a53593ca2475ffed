"""Releases: annotated git tags ``release/<year>.<n>`` carrying the release notes.

The tag message is the canonical store of a release's notes (nothing is
committed when cutting a release, so the tagged tree is exactly the checked
tree). Its format, written by :func:`tag_message` from
``templates/diff/release_message.txt`` and read back by :func:`parse_message`::

    Release 2026.2

    [notes]
    free text by the editor (shown in both languages unless [notes.en] exists)

    [notes.en]
    the English version of the notes (optional)

    [changes.zh-Hant]
    the generated change summary (Markdown)

    [changes.en]
    the generated change summary (Markdown)

See ``decisions/0005-releases.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.changes.diff import Diff, Edition, compare, empty_compendium
from compendium.changes.git import (
    RELEASE_RE,
    VERSION_RE,
    WORKTREE,
    GitError,
    GitRepo,
    Release,
    open_tree,
    release_tag,
    version_key,
)
from compendium.changes.report import Reporter, role_names_of
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.problems import Problems
from compendium.templating import environment

SECTION_RE = re.compile(r"^\[(notes|notes\.en|changes\.zh-Hant|changes\.en)\][ \t]*$")
MESSAGE_SUMMARY_LIMIT = 20_000


@dataclass
class Loaded:
    comp: Compendium
    problems: Problems
    edition: Edition


def edition_for(repo: GitRepo, ref: str) -> Edition:
    """How outputs name ``ref``: its name, commit, release version and date."""
    if ref == WORKTREE:
        head = repo.resolve("HEAD") if repo.has_commits() else None
        return Edition("working copy", head[:7] if head else None, None, dt.date.today())
    commit = repo.resolve(ref)
    release = None
    tag = release_tag(ref)
    if RELEASE_RE.fullmatch(tag):
        for r in repo.releases():
            if r.tag == tag and r.commit == commit:
                release = r.version
                return Edition(r.tag, commit[:7], release, r.date.date())
    return Edition(ref, commit[:7], release, repo.commit_date(commit).date())


def load_ref(repo: GitRepo, ref: str, docs: str = "docs") -> Loaded:
    """Load the compendium at ``ref`` (through git; ``WORKTREE`` reads the folder on disk)."""
    tree = open_tree(repo, ref, docs)
    comp, problems = load(tree)
    return Loaded(comp, problems, edition_for(repo, ref))


def previous_release(
    repo: GitRepo, ref: str = "HEAD", exclude_commit: str | None = None
) -> Release | None:
    """The newest release reachable from ``ref`` (not counting one at ``exclude_commit``)."""
    found = [r for r in repo.releases(merged_into=ref) if r.commit != exclude_commit]
    return found[-1] if found else None


def next_version(repo: GitRepo, today: dt.date | None = None) -> str:
    """The next version: ``<this year>.<n+1>`` after the year's last release, else ``<year>.1``."""
    year = (today or dt.date.today()).year
    ns = [version_key(r.version)[1] for r in repo.releases() if version_key(r.version)[0] == year]
    return f"{year}.{max(ns, default=0) + 1}"


def check_version(repo: GitRepo, version: str) -> str | None:
    """A message when ``version`` cannot be released, else None."""
    if not VERSION_RE.fullmatch(version):
        return (
            f"invalid release version '{version}' (expected <year>.<n> such as 2026.1: "
            "a four-digit year, a dot, and a number from 1 up)"
        )
    existing = {r.version: r for r in repo.releases()}
    if version in existing:
        tag = release_tag(version)
        return f"release {version} already exists (tag {tag} at {existing[version].short})"
    newer = [v for v in existing if version_key(v) > version_key(version)]
    if newer:
        return (
            f"release {version} would come before the existing release "
            f"{max(newer, key=version_key)} "
            "(expected a version after every existing release)"
        )
    return None


def tag_message(
    version: str,
    diff: Diff,
    previous: Release | None,
    notes: str = "",
    notes_en: str = "",
    role_names: dict[str, dict[str, str]] | None = None,
    templates: Path = TEMPLATES,
) -> str:
    """The annotated tag message: title, editor's notes, generated summaries per language."""
    summaries = {}
    for lang in LANGUAGES:
        rep = Reporter(diff, lang, templates, role_names)
        summaries[lang] = rep.summary_markdown(MESSAGE_SUMMARY_LIMIT, redlines=False).strip()
    text = (
        environment(templates, "diff")
        .get_template("release_message.txt")
        .render(
            version=version,
            previous=previous.tag if previous else None,
            notes=notes.strip(),
            notes_en=notes_en.strip(),
            summaries=summaries,
        )
    )
    return text.strip() + "\n"


@dataclass
class ReleaseNotes:
    title: str
    notes: dict[str, str] = field(
        default_factory=dict
    )  # per language (the same text when not translated)
    changes: dict[str, str] = field(default_factory=dict)


def parse_message(message: str) -> ReleaseNotes:
    """Read a tag message written by :func:`tag_message`. A message in any other
    form (a hand-made tag) is taken as notes in full."""
    lines = message.strip().splitlines()
    if not lines:
        return ReleaseNotes("", {})
    title, body = lines[0].strip(), lines[1:]
    sections: dict[str, list[str]] = {}
    current: str | None = None
    loose: list[str] = []
    for line in body:
        m = SECTION_RE.match(line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif current is None:
            loose.append(line)
        else:
            sections[current].append(line)
    text = {k: "\n".join(v).strip() for k, v in sections.items()}
    notes_zh = text.get("notes") or "\n".join(loose).strip()
    notes = {lang: notes_zh for lang in LANGUAGES} if notes_zh else {}
    if text.get("notes.en"):
        notes["en"] = text["notes.en"]
        notes.setdefault(DEFAULT_LANGUAGE, text["notes.en"])
    changes = {lang: text[f"changes.{lang}"] for lang in LANGUAGES if text.get(f"changes.{lang}")}
    return ReleaseNotes(title, notes, changes)


def diff_refs(
    repo: GitRepo, old_ref: str | None, new_ref: str, docs: str = "docs"
) -> tuple[Diff, Loaded | None, Loaded]:
    """Compare two refs (``old_ref`` None: the empty compendium before the first release)."""
    new = load_ref(repo, new_ref, docs)
    old = load_ref(repo, old_ref, docs) if old_ref is not None else None
    old_comp = old.comp if old else empty_compendium()
    old_ed = old.edition if old else Edition("—")
    return compare(old_comp, new.comp, old_ed, new.edition), old, new


def roles_of(*loaded: Loaded | None) -> dict[str, dict[str, str]]:
    return role_names_of(*[x.comp for x in loaded if x is not None])


__all__ = [
    "GitError",
    "Loaded",
    "ReleaseNotes",
    "check_version",
    "diff_refs",
    "edition_for",
    "load_ref",
    "next_version",
    "parse_message",
    "previous_release",
    "roles_of",
    "tag_message",
]


class ReleaseError(Exception):
    """Why a release cannot be cut; ``status`` is the exit status of ``make release``
    (2: the repository or the version is unusable, 1: the tree is not releasable)."""

    def __init__(self, message: str, status: int = 1, details: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.details = details or []  # lines shown under the message (files, problems)


@dataclass
class ReleasePlan:
    version: str
    tag: str  # release/<version>
    head: str  # the commit to tag
    previous: Release | None
    message: str  # the tag message: notes and change summary
    problems: list[str]  # warnings of the sources at HEAD, as path:line: message


def plan_release(
    repo: GitRepo, version: str | None, docs: str = "docs", notes: str = "", notes_en: str = ""
) -> ReleasePlan:
    """Check that HEAD can be released as ``version`` (the next one this year when None)
    and compose its tag message. A release tags exactly what is committed: a clean,
    valid tree with changes since the previous release, on a commit not tagged yet."""
    if not repo.has_commits():
        raise ReleaseError("the repository has no commits yet (expected a commit to tag)", 2)
    if repo.is_shallow():
        raise ReleaseError(
            "this is a shallow clone, so the previous release cannot be found "
            "(run: git fetch --unshallow --tags)",
            2,
        )
    dirty = repo.status()
    if dirty:
        shown = [f"  {line}" for line in dirty[:20]]
        if len(dirty) > 20:
            shown.append(f"  … and {len(dirty) - 20} more")
        raise ReleaseError(
            "the working tree is not clean; commit or remove these changes first "
            "(a release tags exactly what is committed):",
            1,
            shown,
        )
    head = repo.resolve("HEAD")
    tagged = [r for r in repo.releases() if r.commit == head]
    if tagged:
        raise ReleaseError(
            f"HEAD ({head[:7]}) is already release {tagged[-1].version} "
            "(expected new commits since the last release)"
        )
    version = version or next_version(repo)
    if problem := check_version(repo, version):
        raise ReleaseError(problem, 2)
    previous = previous_release(repo, "HEAD")
    diff, old, new = diff_refs(repo, previous.tag if previous else None, "HEAD", docs)
    shown = [str(p) for p in new.problems.sorted()]
    if new.problems.errors:
        raise ReleaseError(
            f"{len(new.problems.errors)} error(s) in the sources at HEAD (listed above); "
            "fix them before releasing",
            1,
            shown,
        )
    if previous is not None and diff.empty:
        raise ReleaseError(
            f"nothing changed in {docs}/ since release {previous.version} "
            "(expected at least one change to release)"
        )
    tag = release_tag(version)
    diff.new = replace(diff.new, label=tag, release=version)
    message = tag_message(version, diff, previous, notes, notes_en, roles_of(old, new))
    return ReleasePlan(version, tag, head, previous, message, shown)
