"""Read the compendium at any git ref, through git, never touching the working tree.

``GitRepo`` wraps the few git plumbing commands the release tools need
(``rev-parse``, ``ls-tree``, ``cat-file --batch``, ``for-each-ref``);
``GitTree`` is a :class:`compendium.source.tree.Tree` over the ``docs/`` folder of one
commit, so ``compendium.source.loader.load(GitTree(...))`` loads a past release.

Releases are recorded in ``releases/<version>.yml`` (``decisions/0014-release-records.md``,
:mod:`compendium.changes.recorded` finds their commits); the tags ``release/<year>.<n>``
are a convenience, listed here for the one-time import of tags into records. Every failure is a :class:`GitError` whose message
says what was expected, including for shallow clones and unknown refs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compendium.source.encoding import read_utf8
from compendium.source.tree import EXPECTED, DirTree, submodule_message, symlink_message

if TYPE_CHECKING:
    from compendium.source.tree import Tree

RELEASE_PREFIX = "release/"
# Before every revision or name taken from a user (git >= 2.24): a value such as
# --output=/tmp/x is then a revision git does not know, never an option.
END_OF_OPTIONS = "--end-of-options"
# A release version is <year>.<n> (2026.1, 2026.12); its tag is release/<version>.
# The one definition of the scheme: releases, publishing and make variables use these.
VERSION_PATTERN = r"(?P<year>[0-9]{4})\.(?P<n>[1-9][0-9]*)"
# Whole values, ASCII digits: \Z, not $ (which also matches before a final newline), and
# [0-9], not \d (which also matches other scripts' digits, such as ２０２６).
VERSION_RE = re.compile(rf"\A{VERSION_PATTERN}\Z")
RELEASE_RE = re.compile(rf"\Arelease/{VERSION_PATTERN}\Z")
TEXT_SUFFIXES = (".md", ".yml", ".yaml")
WORKTREE = "WORKTREE"  # pseudo-ref: the docs folder on disk, uncommitted edits included


class GitError(Exception):
    """A git command failed or a ref is unknown; the message says what was expected."""


def release_tag(version: str) -> str:
    """``2026.1`` -> ``release/2026.1``."""
    return version if version.startswith(RELEASE_PREFIX) else RELEASE_PREFIX + version


def release_version(tag: str) -> str | None:
    """``release/2026.1`` -> ``2026.1``; None for a tag outside the release scheme."""
    return tag[len(RELEASE_PREFIX) :] if RELEASE_RE.fullmatch(tag) else None


def version_key(version: str) -> tuple[int, int]:
    """Sort key of a version ``YYYY.N`` (numeric, so 2026.10 comes after 2026.9)."""
    year, _, n = version.partition(".")
    return int(year), int(n)


@dataclass(frozen=True)
class Release:
    """One release: from its record (``record`` set) or, when importing, from a tag."""

    version: str  # 2026.1
    tag: str  # release/2026.1
    commit: str  # full hash of the commit with the release's content
    date: dt.datetime  # the record's date; for a tag its tagger date (or commit date)
    message: str  # the tag message ('' for a lightweight tag or a record)
    record: Any = None  # the ReleaseRecord (compendium.source.ledger)

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class Stamp:
    """What a build is made from: a release, or a draft at a commit."""

    release: str | None  # version, when the docs built are exactly the latest release's content
    commit: str | None  # short hash; None outside git
    date: dt.datetime | None
    modified: bool = False  # docs/ has uncommitted changes


class GitRepo:
    """A git working copy (or bare repository) at ``path``."""

    def __init__(self, path: str | os.PathLike[str] = "."):
        self.path = Path(path)
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            bare = self._git("rev-parse", "--is-bare-repository", check=False)
            if bare.returncode == 0 and bare.stdout.strip() == "true":
                self.root = self.path.resolve()
                return
            raise GitError(
                f"{self.path}: not a git repository "
                "(expected a clone of the compendium repository; run the command inside it)"
            )
        self.root = Path(top.stdout.strip())

    # -- running git -------------------------------------------------------------

    def _git(
        self, *args: str, check: bool = True, input: bytes | None = None, text: bool = True
    ) -> subprocess.CompletedProcess[Any]:
        env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
        env.pop("GIT_DIR", None)
        env.pop("GIT_WORK_TREE", None)
        cwd = getattr(self, "root", None) or self.path
        try:
            proc = subprocess.run(
                ["git", *args],
                cwd=cwd,
                env=env,
                input=input,
                capture_output=True,
                text=text if input is None else False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (expected the 'git' command on PATH)") from None
        except NotADirectoryError:
            raise GitError(f"{cwd}: no such folder (expected a git working copy)") from None
        if check and proc.returncode != 0:
            err = (
                proc.stderr
                if isinstance(proc.stderr, str)
                else proc.stderr.decode("utf-8", "replace")
            )
            raise GitError(
                f"git {' '.join(args[:2])} failed: {err.strip() or 'exit ' + str(proc.returncode)}"
            )
        return proc

    def git(self, *args: str) -> str:
        """Run git and return its standard output (raises GitError on failure)."""
        out: str = self._git(*args).stdout
        return out

    # -- state -------------------------------------------------------------------

    def relative(
        self, path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
    ) -> str:
        """``path`` (absolute, or relative to ``base``, default the repository root) as a
        POSIX path relative to the repository root; GitError when it is outside."""
        full = Path(base or self.root) / path
        try:
            rel = full.resolve().relative_to(self.root.resolve())
        except ValueError:
            raise GitError(f"{full}: not inside the git repository at {self.root}") from None
        return rel.as_posix()

    def is_shallow(self) -> bool:
        out: str = self._git("rev-parse", "--is-shallow-repository").stdout
        return out.strip() == "true"

    def has_commits(self) -> bool:
        return (
            self._git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).returncode
            == 0
        )

    def status(self, *paths: str) -> list[str]:
        """``git status --porcelain`` lines (untracked files included)."""
        out = self.git("status", "--porcelain", "--untracked-files=normal", "--", *paths)
        return [line for line in out.splitlines() if line.strip()]

    # -- refs --------------------------------------------------------------------

    def resolve(self, ref: str) -> str:
        """The full commit hash of ``ref``; ``2026.1`` is short for ``release/2026.1``.

        Raises GitError naming the known releases when the ref is unknown.
        """
        candidates = [ref]
        if RELEASE_RE.fullmatch(RELEASE_PREFIX + ref):
            candidates.insert(0, RELEASE_PREFIX + ref)
        for cand in candidates:
            proc = self._git(
                "rev-parse",
                "--verify",
                "--quiet",
                END_OF_OPTIONS,
                f"{cand}^{{commit}}",
                check=False,
            )
            if proc.returncode == 0:
                found: str = proc.stdout
                return found.strip()
        hint = ""
        if self.is_shallow():
            hint = (
                "; this is a shallow clone, so older commits may be missing "
                "(run: git fetch --unshallow)"
            )
        raise GitError(
            f"unknown git ref '{ref}' (expected a recorded release such as 2026.1, "
            f"a branch, a tag or a commit{hint})"
        )

    def commit_date(self, ref: str) -> dt.datetime:
        out = self.git("show", "-s", "--format=%cI", END_OF_OPTIONS, self.resolve(ref))
        return dt.datetime.fromisoformat(out.strip())

    def releases(self, merged_into: str | None = None) -> list[Release]:
        """Release tags, oldest first (by version); only those reachable from
        ``merged_into`` when given. Tags outside the ``release/YYYY.N`` scheme are ignored."""
        fmt = (
            "%(refname:short)%00%(objectname)%00%(*objectname)%00%(taggerdate:iso-strict)%00"
            "%(committerdate:iso-strict)%00%(*committerdate:iso-strict)%00%(contents)%01"
        )
        args = ["for-each-ref", f"--format={fmt}", "refs/tags/release/"]
        if merged_into is not None:
            args.insert(1, f"--merged={self.resolve(merged_into)}")
        proc = self._git(*args, check=False)
        if proc.returncode != 0:
            return []
        out: list[Release] = []
        for rec in proc.stdout.split("\x01"):
            rec = rec.lstrip("\n")
            if not rec:
                continue
            name, obj, peeled, tagger_date, commit_date, peeled_date, contents = (
                rec.split("\x00") + [""] * 7
            )[:7]
            version = release_version(name)
            if version is None:
                continue
            annotated = bool(peeled)
            commit = peeled if annotated else obj
            date_s = tagger_date or peeled_date or commit_date
            try:
                date = dt.datetime.fromisoformat(date_s)
            except ValueError:
                date = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            out.append(Release(version, name, commit, date, contents.strip() if annotated else ""))
        out.sort(key=lambda r: version_key(r.version))
        return out

    def tag(self, name: str, commit: str, message: str) -> None:
        """Create the annotated tag ``name`` on ``commit``; the message is kept verbatim
        (git's default clean-up would drop Markdown headings as comments)."""
        self._git(
            "tag",
            "--annotate",
            "--cleanup=verbatim",
            "--file=-",
            END_OF_OPTIONS,
            name,
            commit,
            input=message.encode("utf-8"),
        )

    def commit_file(self, path: str, message: str) -> str:
        """Commit the one file ``path`` (relative to the root) with ``message``, whatever
        else is staged; returns the new commit's hash."""
        self._git("add", "--", path)
        self._git("commit", "--quiet", "--file=-", "--", path, input=message.encode("utf-8"))
        return self.resolve("HEAD")

    def is_ancestor(self, older: str, newer: str) -> bool:
        return (
            self._git(
                "merge-base", "--is-ancestor", END_OF_OPTIONS, older, newer, check=False
            ).returncode
            == 0
        )

    # -- files -------------------------------------------------------------------

    def ls_tree(self, commit: str, path: str) -> list[tuple[str, str, str]]:
        """``(mode, object hash, path)`` of every entry under ``path`` at ``commit``: files
        (mode 100644, 100755), symbolic links (120000) and submodules (160000)."""
        out = self._git(
            "ls-tree", "-r", "-z", "--full-tree", END_OF_OPTIONS, commit, "--", path, text=False
        ).stdout
        rows = []
        for entry in out.split(b"\x00"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, _kind, obj = meta.decode().split(" ")
            rows.append((mode, obj, name.decode("utf-8", "surrogateescape")))
        return rows

    def read_blobs(self, specs: list[str]) -> dict[str, bytes | None]:
        """Contents of many objects (``<hash>`` or ``<commit>:<path>``) through one
        ``git cat-file --batch``; None for a missing object."""
        if not specs:
            return {}
        data = ("\n".join(specs) + "\n").encode("utf-8", "surrogateescape")
        out = self._git("cat-file", "--batch", input=data).stdout
        result: dict[str, bytes | None] = {}
        pos = 0
        for spec in specs:
            nl = out.index(b"\n", pos)
            header = out[pos:nl].decode("utf-8", "surrogateescape")
            pos = nl + 1
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                result[spec] = None
                continue
            size = int(header.rsplit(" ", 1)[1])
            result[spec] = out[pos : pos + size]
            pos += size + 1  # content is followed by a newline
        return result

    def file_log(self, path: str, ref: str = "HEAD") -> list[tuple[str, dt.datetime]]:
        """Commits (newest first) that changed ``path``, with their commit dates."""
        out = self.git("log", "--format=%H %cI", END_OF_OPTIONS, self.resolve(ref), "--", path)
        rows = []
        for line in out.splitlines():
            sha, _, date = line.partition(" ")
            rows.append((sha, dt.datetime.fromisoformat(date)))
        return rows


class GitTree:
    """The ``docs/`` folder of one commit, read through git (a ``Tree``).

    ``display_root`` is ``<ref>:docs`` so that problems name the release they were
    found in. Text files are fetched in one ``cat-file --batch`` on first use.
    """

    def __init__(
        self, repo: GitRepo, ref: str, docs: str = "docs", display_root: str | None = None
    ):
        self.repo = repo
        self.ref = ref
        self.commit = repo.resolve(ref)
        self.docs = docs.strip("/")
        self.display_root = display_root if display_root is not None else f"{ref}:{self.docs}"
        self._blobs: dict[str, str] = {}
        self._refused: list[tuple[str, str]] = []
        self._read_entries(repo.ls_tree(self.commit, self.docs))
        self._text: dict[str, bytes] | None = None

    def _read_entries(self, entries: list[tuple[str, str, str]]) -> None:
        """Regular files (modes 100644 and 100755) are sources; a symbolic link or a
        submodule is refused, as on disk (``compendium.source.tree``)."""
        prefix = self.docs + "/"
        links: dict[str, str] = {}
        for mode, obj, name in entries:
            if name != self.docs and not name.startswith(prefix):
                continue
            rel = name[len(prefix) :]
            if mode == "120000":
                links[rel] = obj
            elif mode == "160000":
                self._refused.append((rel, submodule_message(obj)))
            elif mode not in ("100644", "100755"):
                self._refused.append((rel, f"unknown git file mode {mode} ({EXPECTED})"))
            elif not any(part.startswith(".") for part in rel.split("/")):
                self._blobs[rel] = obj  # like DirTree: hidden files are not sources
        targets = self.repo.read_blobs(sorted(set(links.values()))) if links else {}
        for rel, obj in links.items():
            target = (targets.get(obj) or b"?").decode("utf-8", "replace")
            self._refused.append((rel, symlink_message(target)))
        self._refused.sort()

    def refused(self) -> list[tuple[str, str]]:
        return list(self._refused)

    def files(self) -> list[str]:
        return sorted(self._blobs)

    def _fetch(self) -> dict[str, bytes]:
        if self._text is None:
            wanted = {rel: obj for rel, obj in self._blobs.items() if rel.endswith(TEXT_SUFFIXES)}
            blobs = self.repo.read_blobs(sorted(set(wanted.values())))
            self._text = {rel: blobs[obj] or b"" for rel, obj in wanted.items()}
        return self._text

    def read(self, rel: str) -> str:
        if rel not in self._blobs:
            raise KeyError(f"{self.display_root}/{rel}: no such file at {self.ref}")
        data = self._fetch().get(rel)
        if data is None:
            data = self.repo.read_blobs([self._blobs[rel]])[self._blobs[rel]] or b""
        return read_utf8(data)  # its UnicodeDecodeError is reported by the loader


def open_tree(repo: GitRepo, ref: str, docs: str = "docs") -> Tree:
    """A Tree for ``ref``; the pseudo-ref ``WORKTREE`` is the docs folder on disk."""
    if ref == WORKTREE:
        return DirTree(repo.root / docs, display_root=docs)
    return GitTree(repo, ref, docs)
