"""Cutting releases, and reading any ref or recorded release of the compendium.

A release is recorded in ``releases/<version>.yml`` (:mod:`compendium.source.ledger`,
``decisions/0014-release-records.md``); ``make release`` writes and commits the record
and also tags the commit ``release/<version>`` for convenience. The tag message keeps
the notes and the change summary for hosting services' release pages. Its format,
written by :func:`tag_message` from
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

See ``decisions/0005-releases.md``; tags made before records existed are read into
records once by ``python scripts/release.py --import-tags``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.changes.diff import Diff, Edition, compare, empty_compendium
from compendium.changes.git import (
    RELEASE_PREFIX,
    VERSION_RE,
    WORKTREE,
    GitError,
    GitRepo,
    GitTree,
    Release,
    open_tree,
    release_tag,
    version_key,
)
from compendium.changes.recorded import (
    UNSHALLOW,
    MissingRelease,
    RecordsInvalid,
    docs_files_at,
    find_commit,
    read_records,
    recorded_releases,
)
from compendium.changes.report import Reporter, role_names_of
from compendium.source.ledger import (
    DEFAULT_BODY,
    RECORDS_DIR,
    Approval,
    ReleaseRecord,
    check_sequence,
    digests_of,
    parse_record,
    record_text,
)
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.packs import Pack, load_packs
from compendium.source.problems import Problems
from compendium.templating import environment

SECTION_RE = re.compile(r"^\[(notes|notes\.en|changes\.zh-Hant|changes\.en)\][ \t]*$")
MESSAGE_SUMMARY_LIMIT = 20_000


@dataclass
class Loaded:
    comp: Compendium
    problems: Problems
    edition: Edition
    packs: list[Pack] = field(default_factory=list)  # docs/packs.yml, when there is one


def resolve_ref(repo: GitRepo, ref: str, docs: str = "docs") -> str:
    """The commit of ``ref``: a recorded release (``2026.1`` or ``release/2026.1``) is
    found by its record (:func:`compendium.changes.recorded.find_commit`), never by its
    tag; anything else is a git ref."""
    version = ref.removeprefix(RELEASE_PREFIX)
    if VERSION_RE.fullmatch(version):
        records = {r.version: r for r in read_records(repo, docs)}
        if version in records:
            return find_commit(repo, records[version], docs)
    try:
        return repo.resolve(ref)
    except GitError as exc:
        try:
            known = [r.version for r in read_records(repo, docs)]
        except RecordsInvalid:
            known = []
        hint = (
            f"recorded releases: {', '.join(known[-5:])}"
            if known
            else "no valid release record in releases/"
        )
        raise GitError(f"{exc}; {hint}") from None


def edition_for(repo: GitRepo, ref: str, docs: str = "docs") -> Edition:
    """How outputs name ``ref``: its name, commit, release version and date."""
    if ref == WORKTREE:
        head = repo.resolve("HEAD") if repo.has_commits() else None
        return Edition("working copy", head[:7] if head else None, None, dt.date.today())
    commit = resolve_ref(repo, ref, docs)
    version = ref.removeprefix(RELEASE_PREFIX)
    for r in read_records(repo, docs):
        if r.version == version:
            return Edition(r.tag, commit[:7], r.version, r.date)
    return Edition(ref, commit[:7], None, repo.commit_date(commit).date())


def load_ref(repo: GitRepo, ref: str, docs: str = "docs") -> Loaded:
    """Load the compendium at ``ref`` (through git; ``WORKTREE`` reads the folder on disk)."""
    if ref == WORKTREE:
        tree = open_tree(repo, ref, docs)
    else:
        tree = GitTree(repo, resolve_ref(repo, ref, docs), docs, display_root=f"{ref}:{docs}")
    comp, problems = load(tree)
    packs, pack_problems = load_packs(tree, comp)
    problems.items.extend(pack_problems.items)
    return Loaded(comp, problems, edition_for(repo, ref, docs), packs)


def previous_release(repo: GitRepo, docs: str = "docs") -> Release | None:
    """The latest recorded release, with the commit that has its content."""
    found = recorded_releases(repo, docs)
    return found[-1] if found else None


def next_version(records: list[ReleaseRecord], today: dt.date | None = None) -> str:
    """The next version: ``<this year>.<n+1>`` after the year's last release, else ``<year>.1``."""
    year = (today or dt.date.today()).year
    ns = [version_key(r.version)[1] for r in records if version_key(r.version)[0] == year]
    return f"{year}.{max(ns, default=0) + 1}"


def check_version(repo: GitRepo, version: str, records: list[ReleaseRecord]) -> str | None:
    """A message when ``version`` cannot be released, else None."""
    if not VERSION_RE.fullmatch(version):
        return (
            f"invalid release version '{version}' (expected <year>.<n> such as 2026.1: "
            "a four-digit year, a dot, and a number from 1 up)"
        )
    existing = {r.version: r for r in records}
    if version in existing:
        return f"release {version} already exists ({existing[version].path})"
    if any(t.version == version for t in repo.releases()):
        return (
            f"the tag {release_tag(version)} already exists without a record "
            "(import it with: python scripts/release.py --import-tags)"
        )
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
    packs = (old.packs if old else [], new.packs)
    return compare(old_comp, new.comp, old_ed, new.edition, packs), old, new


def roles_of(*loaded: Loaded | None) -> dict[str, dict[str, str]]:
    return role_names_of(*[x.comp for x in loaded if x is not None])


__all__ = [
    "GitError",
    "Loaded",
    "ReleaseNotes",
    "ReleaseRequest",
    "check_version",
    "diff_refs",
    "edition_for",
    "load_ref",
    "next_version",
    "parse_message",
    "previous_release",
    "resolve_ref",
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


@dataclass(frozen=True)
class ReleaseRequest:
    """What the editor gives ``make release``; empty fields take their defaults."""

    version: str | None = None
    notes: str = ""
    notes_en: str = ""
    approved_by: str = ""  # the approving body (default: ledger.DEFAULT_BODY)
    approved_by_en: str = ""
    approved_on: dt.date | None = None  # default: the release date
    resolution: str = ""
    resolution_en: str = ""
    effective: dt.date | None = None  # default: the approval date
    date: dt.date | None = None  # the release date (default: today)

    def approval(self, today: dt.date) -> Approval:
        body = dict(DEFAULT_BODY)
        if self.approved_by:
            body = {
                DEFAULT_LANGUAGE: self.approved_by,
                "en": self.approved_by_en or self.approved_by,
            }
        resolution = {}
        if self.resolution:
            resolution = {
                DEFAULT_LANGUAGE: self.resolution,
                "en": self.resolution_en or self.resolution,
            }
        return Approval(body, self.approved_on or today, resolution)

    def defaulted(self) -> list[str]:
        """The approval fields left to their defaults (make release says so)."""
        names = [("APPROVED_BY", self.approved_by), ("APPROVED_ON", self.approved_on)]
        names.append(("EFFECTIVE", self.effective))
        return [name for name, value in names if not value]


@dataclass
class ReleasePlan:
    version: str
    tag: str  # release/<version>
    head: str  # the commit the release is cut from
    previous: Release | None
    message: str  # the tag message: notes and change summary
    problems: list[str]  # warnings of the sources at HEAD, as path:line: message
    record: ReleaseRecord
    record_path: str  # relative to the repository root, e.g. releases/2026.1.yml
    record_text: str


def _refuse_unready(repo: GitRepo) -> None:
    if not repo.has_commits():
        raise ReleaseError("the repository has no commits yet (expected a commit to release)", 2)
    if repo.is_shallow():
        raise ReleaseError(
            f"this is a shallow clone, so the previous release cannot be found (run: {UNSHALLOW})",
            2,
        )
    dirty = repo.status()
    if dirty:
        shown = [f"  {line}" for line in dirty[:20]]
        if len(dirty) > 20:
            shown.append(f"  … and {len(dirty) - 20} more")
        raise ReleaseError(
            "the working tree is not clean; commit or remove these changes first "
            "(a release records exactly what is committed):",
            1,
            shown,
        )


def _records(repo: GitRepo, docs: str) -> list[ReleaseRecord]:
    try:
        return read_records(repo, docs)
    except RecordsInvalid as exc:
        raise ReleaseError(
            "the release records have errors (listed below); fix them before releasing:",
            1,
            [f"  {p}" for p in exc.problems.sorted()],
        ) from None


def plan_release(repo: GitRepo, request: ReleaseRequest, docs: str = "docs") -> ReleasePlan:
    """Check that HEAD can be released (as ``request.version``, else the next one this
    year) and compose its record and tag message. A release records exactly what is
    committed: a clean, valid tree with changes since the previous release."""
    _refuse_unready(repo)
    records = _records(repo, docs)
    head = repo.resolve("HEAD")
    today = request.date or dt.date.today()
    version = request.version or next_version(records, today)
    if problem := check_version(repo, version, records):
        raise ReleaseError(problem, 2)
    try:
        previous = previous_release(repo, docs)
    except MissingRelease as exc:
        raise ReleaseError(str(exc), 2) from None
    diff, old, new = diff_refs(repo, previous.tag if previous else None, "HEAD", docs)
    shown = [str(p) for p in new.problems.sorted()]
    if new.problems.errors:
        raise ReleaseError(
            f"{len(new.problems.errors)} error(s) in the sources at HEAD (listed above); "
            "fix them before releasing",
            1,
            shown,
        )
    sources, digests = digests_of(docs_files_at(repo, head, docs))
    if previous is not None and (diff.empty or previous.record.sources == sources):
        raise ReleaseError(
            f"nothing changed in {docs}/ since release {previous.version} "
            "(expected at least one change to release)"
        )
    approval = request.approval(today)
    notes = {
        DEFAULT_LANGUAGE: request.notes.strip(),
        "en": (request.notes_en or request.notes).strip(),
    }
    record_path = (Path(docs).parent / RECORDS_DIR / f"{version}.yml").as_posix()
    record = ReleaseRecord(
        version,
        today,
        approval,
        request.effective or approval.date,
        notes,
        sources,
        digests,
        head,
        record_path,
    )
    text = record_text(record)
    problems = Problems()
    checked = parse_record(text, record_path, problems)
    check_sequence([*records, *([checked] if checked else [])], problems)
    if problems.errors:
        raise ReleaseError(
            "the release record would be invalid:", 2, [f"  {p}" for p in problems.sorted()]
        )
    tag = release_tag(version)
    diff.new = replace(diff.new, label=tag, release=version)
    message = tag_message(
        version, diff, previous, request.notes, request.notes_en, roles_of(old, new)
    )
    return ReleasePlan(version, tag, head, previous, message, shown, record, record_path, text)


@dataclass
class Imported:
    record: ReleaseRecord
    record_path: str
    text: str


def import_tags(repo: GitRepo, request: ReleaseRequest, docs: str = "docs") -> list[Imported]:
    """Records for the ``release/*`` tags that have none yet (so running it twice adds
    nothing). The notes come from the tag message; the approval, which tags never held,
    from ``request`` (default: the default body, approved and in force on the tag's date)."""
    records = _records(repo, docs)
    known = {r.version for r in records}
    out: list[Imported] = []
    for tag in repo.releases():
        if tag.version in known:
            continue
        day = tag.date.date()
        approval = request.approval(day)
        notes = parse_message(tag.message).notes
        sources, digests = digests_of(docs_files_at(repo, tag.commit, docs))
        path = (Path(docs).parent / RECORDS_DIR / f"{tag.version}.yml").as_posix()
        record = ReleaseRecord(
            tag.version,
            day,
            approval,
            request.effective or approval.date,
            {lang: notes.get(lang, "") for lang in LANGUAGES},
            sources,
            digests,
            tag.commit,
            path,
        )
        out.append(Imported(record, path, record_text(record)))
    problems = Problems()
    checked = [
        r for r in (parse_record(i.text, i.record_path, problems) for i in out) if r is not None
    ]
    check_sequence(sorted([*records, *checked], key=lambda r: version_key(r.version)), problems)
    if problems.errors:
        raise ReleaseError(
            "the imported records would be invalid:", 2, [f"  {p}" for p in problems.sorted()]
        )
    return out
