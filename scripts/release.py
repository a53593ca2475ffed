"""Cut a release: check that the tree is valid and clean, tag it, write the release notes.

    python scripts/release.py [VERSION] [--notes TEXT | --notes-file FILE] [--notes-en TEXT]
                              [--notes-out DIR] [--dry-run]

A release is an annotated tag ``release/<year>.<n>`` on HEAD (VERSION defaults to
the next number of the current year). The tag message holds the editor's notes
and the change summary generated from the diff against the previous release
(see compendium/changes/releases.py for its format). Nothing is committed: the tagged
tree is exactly the tree that was checked. Push the tag afterwards with
``git push origin release/<version>``.

Exit status: 0 when tagged (or, with --dry-run, when it could be), 1 when the
sources have errors or the tree is not clean, 2 on a usage or git error.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from compendium.changes.git import GitError, GitRepo, release_tag
from compendium.changes.releases import (
    check_version,
    diff_refs,
    next_version,
    previous_release,
    roles_of,
    tag_message,
)
from compendium.source.edits import write_atomic


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
    args = parser.parse_args(argv)
    notes = args.notes
    if args.notes_file:
        try:
            notes = args.notes_file.read_text(encoding="utf-8")
        except OSError as exc:
            print(
                f"error: {args.notes_file}: cannot read the notes ({exc.strerror})", file=sys.stderr
            )
            return 2
    try:
        return _release(args, notes)
    except GitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _release(args: argparse.Namespace, notes: str) -> int:
    repo = GitRepo(args.repo)
    if not repo.has_commits():
        print(
            "error: the repository has no commits yet (expected a commit to tag)", file=sys.stderr
        )
        return 2
    if repo.is_shallow():
        print(
            "error: this is a shallow clone, so the previous release cannot be found "
            "(run: git fetch --unshallow --tags)",
            file=sys.stderr,
        )
        return 2
    dirty = repo.status()
    if dirty:
        print(
            "error: the working tree is not clean; commit or remove these changes first "
            "(a release tags exactly what is committed):",
            file=sys.stderr,
        )
        for line in dirty[:20]:
            print(f"  {line}", file=sys.stderr)
        if len(dirty) > 20:
            print(f"  … and {len(dirty) - 20} more", file=sys.stderr)
        return 1
    head = repo.resolve("HEAD")
    tagged = [r for r in repo.releases() if r.commit == head]
    if tagged:
        print(
            f"error: HEAD ({head[:7]}) is already release {tagged[-1].version} "
            "(expected new commits since the last release)",
            file=sys.stderr,
        )
        return 1
    version = args.version or next_version(repo)
    problem = check_version(repo, version)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    previous = previous_release(repo, "HEAD")
    diff, old, new = diff_refs(repo, previous.tag if previous else None, "HEAD", args.docs)
    for p in new.problems.sorted():
        print(p, file=sys.stderr)
    if new.problems.errors:
        print(
            f"{len(new.problems.errors)} error(s) in the sources at HEAD (listed above); "
            "fix them before releasing",
            file=sys.stderr,
        )
        return 1
    if previous is not None and diff.empty:
        print(
            f"error: nothing changed in {args.docs}/ since release {previous.version} "
            "(expected at least one change to release)",
            file=sys.stderr,
        )
        return 1
    tag = release_tag(version)
    diff.new = replace(diff.new, label=tag, release=version)
    message = tag_message(version, diff, previous, notes, args.notes_en, roles_of(old, new))
    print(message)
    if args.notes_out:
        args.notes_out.mkdir(parents=True, exist_ok=True)
        print(f"wrote {write_atomic(args.notes_out / f'{version}.md', message)}", file=sys.stderr)
    if args.dry_run:
        print(f"dry run: would tag {head[:7]} as {tag}", file=sys.stderr)
        return 0
    repo.tag(tag, head, message)
    since = f" (changes since {previous.tag})" if previous else " (first release)"
    print(
        f"tagged {head[:7]} as {tag}{since}; publish it with: git push origin {tag}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
