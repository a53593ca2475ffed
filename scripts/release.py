"""Cut a release: check that the tree is valid and clean, tag it, write the release notes.

    python scripts/release.py [VERSION] [--notes TEXT | --notes-file FILE] [--notes-en TEXT]
                              [--notes-out DIR] [--dry-run]

A release is an annotated tag ``release/<year>.<n>`` on HEAD (VERSION defaults to
the next number of the current year). The tag message holds the editor's notes
and the change summary generated from the diff against the previous release
(see compendium/changes/releases.py for its format). Nothing is committed: the tagged
tree is exactly the tree that was checked. Push the tag afterwards with
``git push origin release/<version>``.

The notes file and the notes folder are inside the repository, never in docs/ or
.git/ (``--allow-outside`` allows them elsewhere; see compendium/source/paths.py).

Exit status: 0 when tagged (or, with --dry-run, when it could be), 1 when the
sources have errors or the tree is not clean, 2 on a usage or git error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium.changes.git import GitError, GitRepo
from compendium.changes.releases import ReleaseError, plan_release
from compendium.fsutil import write_atomic
from compendium.source.paths import ALLOW_OUTSIDE, PathRefused, check_input, check_output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "version", nargs="?", help="the version, <year>.<n> (default: the next one this year)"
    )
    parser.add_argument(
        "--notes",
        default="",
        help="release notes written by the editor (Chinese or both languages)",
    )
    parser.add_argument(
        "--notes-file", type=Path, help="read the release notes from this UTF-8 file"
    )
    parser.add_argument(
        "--notes-en", default="", help="the English version of the notes (optional)"
    )
    parser.add_argument(
        "--notes-out",
        type=Path,
        help="also write the notes as <DIR>/<version>.md (for a hosting service's release page)",
    )
    parser.add_argument(
        "--repo", default=".", help="the git working copy (default: the current folder)"
    )
    parser.add_argument(
        "--docs", default="docs", help="the docs folder inside the repository (default: docs)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check and print the notes, but do not tag"
    )
    parser.add_argument(
        ALLOW_OUTSIDE,
        action="store_true",
        dest="allow_outside",
        help="allow --notes-file and --notes-out outside the repository (never docs/ or .git/)",
    )
    args = parser.parse_args(argv)
    try:
        repo = GitRepo(args.repo)
        notes = _notes(args, repo)
        if args.notes_out:
            args.notes_out = check_output(
                "--notes-out", args.notes_out, repo.root, args.docs, args.allow_outside
            )
        return _release(args, repo, notes)
    except (GitError, PathRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _notes(args: argparse.Namespace, repo: GitRepo) -> str:
    """The notes given with --notes, or read from --notes-file (inside the repository)."""
    if not args.notes_file:
        return str(args.notes)
    path = check_input("--notes-file", args.notes_file, repo.root, args.allow_outside)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise PathRefused(
            f"--notes-file '{args.notes_file}': cannot read the notes ({why}; "
            "expected a UTF-8 text file)"
        ) from None


def _release(args: argparse.Namespace, repo: GitRepo, notes: str) -> int:
    try:
        plan = plan_release(repo, args.version, args.docs, notes, args.notes_en)
    except ReleaseError as exc:
        problems_first = exc.details and not str(exc).endswith(":")
        for line in exc.details if problems_first else []:
            print(line, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        for line in [] if problems_first else exc.details:
            print(line, file=sys.stderr)
        return exc.status
    for line in plan.problems:
        print(line, file=sys.stderr)
    print(plan.message)
    if args.notes_out:
        target = args.notes_out / f"{plan.version}.md"
        print(f"wrote {write_atomic(target, plan.message)}", file=sys.stderr)
    if args.dry_run:
        print(f"dry run: would tag {plan.head[:7]} as {plan.tag}", file=sys.stderr)
        return 0
    repo.tag(plan.tag, plan.head, plan.message)
    since = f" (changes since {plan.previous.tag})" if plan.previous else " (first release)"
    print(
        f"tagged {plan.head[:7]} as {plan.tag}{since}; publish it with: git push origin {plan.tag}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
