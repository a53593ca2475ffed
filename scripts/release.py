"""Cut a release: check that the tree is valid and clean, record it, commit the record, tag it.

    python scripts/release.py [VERSION] [--notes TEXT | --notes-file FILE] [--notes-en TEXT]
                              [--approved-by BODY [--approved-by-en BODY]] [--approved-on DATE]
                              [--resolution REF [--resolution-en REF]] [--effective DATE]
                              [--date DATE] [--notes-out DIR] [--dry-run]
    python scripts/release.py --import-tags [--approved-by …] [--dry-run]

A release is a record ``releases/<year>.<n>.yml`` (VERSION defaults to the next
number of the current year): version, date, approval, effective date, notes, the
content digest of every regulation and the commit it was cut from (HEAD). The record
is committed on its own, and that commit is tagged ``release/<version>`` as a
convenience; the tag message holds the notes and the change summary against the
previous release. Push both afterwards: ``git push origin HEAD release/<version>``.
``--import-tags`` writes a record for every ``release/*`` tag that has none (run once
after upgrading; review and commit the records it writes).

The notes file and the notes folder are inside the repository, never in docs/ or
.git/ (``--allow-outside`` allows them elsewhere; see compendium/source/paths.py).

Exit status: 0 when tagged (or, with --dry-run, when it could be), 1 when the
sources have errors or the tree is not clean, 2 on a usage or git error.
"""

from __future__ import annotations

import argparse
import sys

from compendium import argtypes
from compendium.changes.git import GitError, GitRepo
from compendium.changes.releases import ReleaseError, ReleaseRequest, import_tags, plan_release
from compendium.fsutil import write_atomic
from compendium.source.paths import ALLOW_OUTSIDE, PathRefused, check_input, check_output


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "version",
        nargs="?",
        type=argtypes.version,
        help="the version, <year>.<n> (default: the next one this year)",
    )
    parser.add_argument(
        "--notes",
        default="",
        type=argtypes.text,
        help="release notes written by the editor (Chinese or both languages)",
    )
    parser.add_argument(
        "--notes-file", type=argtypes.path, help="read the release notes from this UTF-8 file"
    )
    parser.add_argument(
        "--notes-en",
        default="",
        type=argtypes.text,
        help="the English version of the notes (optional)",
    )
    _approval_options(parser)
    parser.add_argument(
        "--import-tags",
        action="store_true",
        help="write a record for every release/* tag without one (review, then commit them)",
    )
    parser.add_argument(
        "--notes-out",
        type=argtypes.path,
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        repo = GitRepo(args.repo)
        notes = _notes(args, repo)
        if args.notes_out:
            args.notes_out = check_output(
                "--notes-out", args.notes_out, repo.root, args.docs, args.allow_outside
            )
        if args.import_tags:
            return _import(args, repo)
        return _release(args, repo, notes)
    except (GitError, PathRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _approval_options(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add(
        "--approved-by", default="", type=argtypes.line, help="the approving body (default: 董事會)"
    )
    add(
        "--approved-by-en",
        default="",
        type=argtypes.line,
        help="its English name (default: Board of Directors)",
    )
    add(
        "--approved-on", type=argtypes.date, help="the date of approval (default: the release date)"
    )
    add(
        "--resolution",
        default="",
        type=argtypes.line,
        help="the resolution or meeting reference (optional)",
    )
    add("--resolution-en", default="", type=argtypes.line, help="the same in English (optional)")
    add("--effective", type=argtypes.date, help="the date it takes effect (default: approval date)")
    add("--date", type=argtypes.date, help="the release date (default: today)")


def _request(args: argparse.Namespace, notes: str) -> ReleaseRequest:
    return ReleaseRequest(
        args.version,
        notes,
        args.notes_en,
        args.approved_by.strip(),
        args.approved_by_en.strip(),
        args.approved_on,
        args.resolution.strip(),
        args.resolution_en.strip(),
        args.effective,
        args.date,
    )


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


def _refused(exc: ReleaseError) -> int:
    problems_first = exc.details and not str(exc).endswith(":")
    for line in exc.details if problems_first else []:
        print(line, file=sys.stderr)
    print(f"error: {exc}", file=sys.stderr)
    for line in [] if problems_first else exc.details:
        print(line, file=sys.stderr)
    return exc.status


def _release(args: argparse.Namespace, repo: GitRepo, notes: str) -> int:
    request = _request(args, notes)
    try:
        plan = plan_release(repo, request, args.docs)
    except ReleaseError as exc:
        return _refused(exc)
    for line in plan.problems:
        print(line, file=sys.stderr)
    print(plan.message)
    if defaulted := request.defaulted():
        print(
            f"note: {', '.join(defaulted)} not given; the record says approved by "
            f"{plan.record.approval.body['zh-Hant']} on {plan.record.approval.date}, "
            f"in force on {plan.record.effective} (edit {plan.record_path} before pushing "
            "if that is not what was approved)",
            file=sys.stderr,
        )
    if args.notes_out:
        target = args.notes_out / f"{plan.version}.md"
        print(f"wrote {write_atomic(target, plan.message)}", file=sys.stderr)
    if args.dry_run:
        print(plan.record_text, file=sys.stderr)
        print(f"dry run: would record {plan.head[:7]} as {plan.record_path}", file=sys.stderr)
        return 0
    write_atomic(repo.root / plan.record_path, plan.record_text)
    commit = repo.commit_file(plan.record_path, f"Release {plan.version}\n")
    repo.tag(plan.tag, commit, plan.message)
    since = f" (changes since {plan.previous.version})" if plan.previous else " (first release)"
    print(
        f"recorded {plan.head[:7]} as release {plan.version}{since} in {plan.record_path}, "
        f"committed as {commit[:7]} and tagged {plan.tag}; publish them with: "
        f"git push origin HEAD {plan.tag}",
        file=sys.stderr,
    )
    return 0


def _import(args: argparse.Namespace, repo: GitRepo) -> int:
    try:
        found = import_tags(repo, _request(args, ""), args.docs)
    except ReleaseError as exc:
        return _refused(exc)
    if not found:
        print("every release/* tag already has a record: nothing to import", file=sys.stderr)
        return 0
    for item in found:
        if args.dry_run:
            print(item.text)
            continue
        print(f"wrote {write_atomic(repo.root / item.record_path, item.text)}", file=sys.stderr)
    if not args.dry_run:
        print(
            "review the approval in each record (tags hold none), then commit them: "
            "git add releases && git commit -m 'Release records imported from tags'",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
