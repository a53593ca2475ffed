"""Release history for the site, as data: the releases and their changes, per-article
amendment history and "changed in the latest release" markers. The pages and the release reports are
rendered and written by :mod:`compendium.site.historypages`; translation drift is
:mod:`compendium.changes.drift`.

Everything is computed at build time from git (through :mod:`compendium.changes.git`,
never touching the working tree). Releases
come from their records (``releases/<version>.yml``, not from tags). When there is
no git repository, no release is recorded, or a release's commit is not in the clone
(a shallow clone),
:func:`release_history` returns a :class:`History` whose ``status`` says so and
the page shows a notice instead of failing the build.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from compendium.changes.diff import Diff, Edition, compare, empty_compendium
from compendium.changes.git import GitError, GitRepo, GitTree, Release, Stamp
from compendium.changes.outputs import report_name
from compendium.changes.recorded import MissingRelease, read_records, recorded_releases
from compendium.changes.recorded import build_stamp as recorded_stamp
from compendium.changes.report import role_names_of
from compendium.labels import section
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.packs import Pack, load_packs
from compendium.source.tree import DirTree

# Kinds that make an article "changed in the latest release" (a renumbering or an
# English-only revision does not change what the article says).
MARKED_KINDS = ("added", "amended", "caption-changed", "moved", "roles-changed")
UNRELEASED = "unreleased"

RedlineUrl = Callable[[str, str], str]  # (folder under releases/, file name) -> link from the page


@dataclass
class ReleaseEntry:
    """One release and what it changed since the release before it."""

    release: Release
    previous: Release | None
    diff: Diff
    notes: dict[str, str]  # editor's notes per language

    @property
    def version(self) -> str:
        return self.release.version

    @property
    def folder(self) -> str:
        return self.release.version


@dataclass
class History:
    """Every release reachable from HEAD, newest first, or why there is none."""

    status: str  # "ok", "no-git", "shallow", "missing", "no-releases", "error"
    entries: list[ReleaseEntry] = field(default_factory=list)
    unreleased: Diff | None = None  # the built tree against the latest release, when it differs
    stamp: Stamp | None = None
    error: str = ""
    role_names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def latest(self) -> ReleaseEntry | None:
        return self.entries[0] if self.entries else None

    def notice(self, lang: str) -> str | None:
        """The notice the revision-history page shows instead of releases, if any."""
        t = section(lang, "changes")
        if self.status == "no-git":
            return t["notice_no_git"]
        if self.status == "shallow":
            return t["notice_shallow"].format(error=self.error)
        if self.status == "missing":
            return t["notice_missing"].format(error=self.error)
        if self.status == "no-releases":
            return t["notice_no_releases"]
        if self.status == "error":
            return t["notice_error"].format(error=self.error)
        return None


def release_history(
    repo_path: str | os.PathLike[str], docs: str = "docs", current: Compendium | None = None
) -> History:
    """Read the releases from their records, each from the commit that has its content,
    and diff each against the one before.

    ``current`` is the compendium being built (the working tree): when it differs
    from the latest release, ``History.unreleased`` holds that diff.
    """
    try:
        repo = GitRepo(repo_path)
        docs = repo.relative(docs, repo_path)
    except GitError:
        return History("no-git", stamp=_stamp(Path(repo_path) / docs, None))
    try:
        stamp = _stamp(repo.root / docs, repo)
        if not read_records(repo, docs):
            return History("no-releases", stamp=stamp)
        try:
            releases = recorded_releases(repo, docs)
        except MissingRelease as exc:
            return History(
                "shallow" if repo.is_shallow() else "missing", stamp=stamp, error=str(exc)
            )
        comps: list[Compendium] = []
        packs: list[list[Pack]] = []
        for rel in releases:
            tree = GitTree(repo, rel.commit, docs, display_root=f"{rel.tag}:{docs}")
            comp, _problems = load(tree)
            comps.append(comp)
            packs.append(load_packs(tree, comp)[0])
        entries: list[ReleaseEntry] = []
        for i, rel in enumerate(releases):
            prev = releases[i - 1] if i else None
            old = comps[i - 1] if i else empty_compendium()
            diff = compare(
                old,
                comps[i],
                _edition(prev) if prev else Edition("—"),
                _edition(rel),
                (packs[i - 1] if i else [], packs[i]),
            )
            entries.append(ReleaseEntry(rel, prev, diff, dict(rel.record.notes)))
        entries.reverse()
        unreleased = None
        if current is not None:
            diff = compare(
                comps[-1],
                current,
                _edition(releases[-1]),
                Edition(
                    section("en", "changes")["unreleased_changes"],
                    stamp.commit if stamp else None,
                    None,
                    stamp.date.date() if stamp and stamp.date else None,
                ),
                (packs[-1], load_packs(DirTree(repo.root / docs), current)[0]),
            )
            unreleased = None if diff.empty else diff
        names = role_names_of(*comps, *([current] if current is not None else []))
        return History("ok", entries, unreleased, stamp, role_names=names)
    except GitError as exc:
        return History("error", error=str(exc))


def _stamp(docs: Path, repo: GitRepo | None) -> Stamp | None:
    try:
        return recorded_stamp(docs, repo)
    except (GitError, OSError):
        return None


def _edition(rel: Release) -> Edition:
    return Edition(rel.tag, rel.short, rel.version, rel.date.date())


# -- release stamp (footer, regulation pages, PDFs) -------------------------------


def stamp_label(stamp: Stamp | None, lang: str, short: bool = False) -> str:
    """``Release 2026.1`` / ``Draft (commit abc1234)`` / ``Draft`` outside git.
    ``short``: a release is only its version (``2026.1``), for a field already labelled."""
    t = section(lang, "changes")
    if stamp is not None and stamp.release:
        return stamp.release if short else t["release_stamp"].format(version=stamp.release)
    if stamp is None or stamp.commit is None:
        return t["draft"]
    return t["draft_modified" if stamp.modified else "draft_at"].format(commit=stamp.commit)


def build_stamp(repo_path: str | os.PathLike[str], docs: str = "docs") -> Stamp | None:
    """What the build is made from: the latest release when the docs folder is exactly
    its recorded content, else a draft (at HEAD's commit, in git); None when unreadable."""
    folder = Path(repo_path) / docs
    try:
        repo: GitRepo | None = GitRepo(repo_path)
    except GitError:
        repo = None
    return _stamp(folder, repo)


# -- the reports of each release --------------------------------------------------


def report_folder(entry: ReleaseEntry | None) -> str:
    """The folder of a release's reports under ``releases/`` (None: the unreleased changes)."""
    return entry.folder if entry is not None else UNRELEASED


# -- per-article history and markers ----------------------------------------------


@dataclass
class ArticleRevision:
    date: dt.date | None
    release: str | None
    kinds: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    anchor: str | None = None  # the change's anchor in that release's redline


@dataclass
class ArticleRevisions:
    """The amendment history of one article, oldest first, and its latest-release marker."""

    entries: list[ArticleRevision]
    latest_release: str | None = None
    latest_kinds: tuple[str, ...] = ()
    latest_anchor: str | None = None  # the change's anchor in the latest release's redline

    @property
    def changed_in_latest(self) -> bool:
        return any(k in MARKED_KINDS for k in self.latest_kinds)

    @property
    def status(self) -> str | None:
        """``added`` or ``amended`` when the latest release changed the article, else None."""
        if not self.changed_in_latest:
            return None
        return "added" if "added" in self.latest_kinds else "amended"


def article_revisions(
    history: History, comp: Compendium
) -> dict[tuple[str, str], ArticleRevisions]:
    """``{(regulation id, article id): ArticleRevisions}`` for every article of ``comp``,
    from the front-matter ``history`` and the releases that changed it."""
    by_key: dict[tuple[str, str], list[ArticleRevision]] = {}
    latest_kinds: dict[tuple[str, str], tuple[str, ...]] = {}
    latest_anchor: dict[tuple[str, str], str | None] = {}
    for entry in reversed(history.entries):  # oldest first, so moves carry history along
        if entry.previous is None:
            # The first release compares with nothing: every article in it would read
            # "Added". A reader expects an amendment history to list amendments only.
            continue
        for c in entry.diff.changes:
            if c.scope == "regulation" and c.has("added"):
                for aid in c.articles:  # articles that came with their regulation
                    by_key.setdefault((c.regulation, aid), []).append(
                        ArticleRevision(entry.release.date.date(), entry.version, ("added",))
                    )
                    if entry is history.latest:
                        latest_kinds[(c.regulation, aid)] = ("added",)
            if c.scope != "article":
                continue
            key = (c.regulation, c.id)
            if c.old_regulation:
                by_key[key] = by_key.pop((c.old_regulation, c.id), []) + by_key.get(key, [])
            if c.has("removed"):
                by_key.pop(key, None)
                continue
            by_key.setdefault(key, []).append(
                ArticleRevision(
                    entry.release.date.date(),
                    entry.version,
                    c.kinds,
                    list(c.notes),
                    c.anchor if entry.previous is not None else None,
                )
            )
            if entry is history.latest:
                latest_kinds[key] = c.kinds
                latest_anchor[key] = c.anchor
    out: dict[tuple[str, str], ArticleRevisions] = {}
    latest = history.latest.version if history.latest else None
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            key = (reg.id, art.id)
            revs = list(by_key.get(key, []))
            released = {r.release for r in revs}
            for (
                h
            ) in art.history:  # front-matter entries: merged into their release, or on their own
                match = next(
                    (r for r in revs if h.release is not None and r.release == h.release), None
                )
                if match is not None:
                    if h.note not in match.notes:
                        match.notes.append(h.note)
                    continue
                if h.release in released:
                    continue
                revs.append(ArticleRevision(h.date, h.release, (), [h.note]))
            revs.sort(key=lambda r: (r.date or dt.date.min, r.release or ""))
            out[key] = ArticleRevisions(
                revs, latest, latest_kinds.get(key, ()), latest_anchor.get(key)
            )
    return out


def status_badge(
    info: ArticleRevisions | None, lang: str, redline_url: RedlineUrl | None = None
) -> dict[str, str | None] | None:
    """``{kind, text, title, href}`` of the article's latest-release badge, or None.

    ``href`` links to the change in that release's redline (None without ``redline_url``).
    """
    if info is None or info.status is None or info.latest_release is None:
        return None
    labels = section(lang, "revision_status")
    href = None
    if redline_url is not None:
        href = redline_url(info.latest_release, report_name("html", lang))
        if info.latest_anchor:
            href += f"#{info.latest_anchor}"
    text = labels[info.status]
    return {
        "kind": info.status,
        "text": text,
        "title": labels["title"].format(version=info.latest_release, kind=text),
        "href": href,
    }
