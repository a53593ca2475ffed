"""Build the printable compendium and the onboarding packs as PDF files.

Writes, into the output folder (default site/pdf/), compendium-<lang>.pdf and
pack-<pack-id>-<lang>.pdf for every pack in docs/packs.yml. Each PDF is written
to a temporary name and renamed when complete. Exit status: 0 on success, 1 when
the sources have errors (listed as path:line: message) or a document named a
resource the build refused to read, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from compendium import LANGUAGES
from compendium.printing.assembly import BuildInfo
from compendium.printing.packs import load_packs
from compendium.source.checks import validate
from compendium.source.tree import DirTree, missing_docs


def git(args: list[str], cwd: Path) -> str | None:
    """The output of a git command, or None without git or outside a repository."""
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


def git_stamp(docs: Path) -> tuple[str | None, str | None, bool]:
    """``(release version, short commit, docs modified)`` of the working copy.

    Uses the release module (tags ``release/<version>``) when it is there, else
    ``git describe --tags --exact-match`` and ``git rev-parse --short HEAD``;
    outside git all three are empty.
    """
    where = docs.resolve().parent
    try:
        from compendium.changes.history import build_stamp
    except ImportError:  # pragma: no cover - the release module is part of the repo
        build_stamp = None
    if build_stamp is not None:
        stamp = build_stamp(where, docs.resolve())
        if stamp is None:
            return None, None, False
        return stamp.release, stamp.commit, stamp.modified
    tag = git(["describe", "--tags", "--exact-match"], where)
    release = tag.removeprefix("release/") if tag else None
    modified = bool(git(["status", "--porcelain", "--", str(docs.resolve())], where))
    return (None if modified else release), git(["rev-parse", "--short", "HEAD"], where), modified


def _commit_epoch(docs: Path) -> str | None:
    from compendium.site.sitebuild import source_date_epoch

    return source_date_epoch(docs.resolve().parent, environ={})


def build_info(docs: Path, release: str | None, commit: str | None, date: str | None) -> BuildInfo:
    """Release and commit from the arguments, else from git; the build date from the
    arguments, else SOURCE_DATE_EPOCH (reproducible builds), else the commit's date,
    else today."""
    modified = False
    if release is None and commit is None:
        release, commit, modified = git_stamp(docs)
    if date:
        built = dt.date.fromisoformat(date)
    elif os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        built = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC).date()
    elif (epoch := _commit_epoch(docs)) is not None:  # the commit's date, not today's
        built = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    else:
        built = dt.date.today()
    return BuildInfo(release=release or None, commit=commit, built=built, modified=modified)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--out", default="site/pdf", help="output folder (default: site/pdf)")
    parser.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGES,
        help="build only this language (repeatable; default: all)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="build only 'compendium', 'packs' or the pack with this id (repeatable)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="PDFs rendered in parallel (default: 2, or 1 on a single core)",
    )
    parser.add_argument(
        "--release", help="release name for cover and footer (default: the git tag of HEAD)"
    )
    parser.add_argument(
        "--commit", help="commit shown for a draft (default: git rev-parse --short HEAD)"
    )
    parser.add_argument(
        "--date", help="build date YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)"
    )
    parser.add_argument(
        "--final-out",
        metavar="DIR",
        help="the folder the PDFs are moved to afterwards, named in the progress lines "
        "(default: --out)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = parser.parse_args(argv)

    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    docs = Path(args.docs)
    try:
        info = build_info(docs, args.release, args.commit, args.date)
    except ValueError:
        print(f"--date {args.date}: expected a date YYYY-MM-DD", file=sys.stderr)
        return 2

    tree = DirTree(docs, display_root=args.docs.rstrip("/"))
    comp, problems = validate(tree)
    packs, pack_problems = load_packs(tree, comp)
    errors = problems.errors
    for p in sorted(errors) + sorted(pack_problems.warnings):
        print(p, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s) in the sources; no PDF written", file=sys.stderr)
        return 1

    wanted = set(args.only or ["compendium", "packs"])
    pack_ids = {p.id for p in packs}
    unknown = wanted - {"compendium", "packs"} - pack_ids
    if unknown:
        print(
            f"--only {', '.join(sorted(unknown))}: no such pack "
            f"(expected compendium, packs or one of: {', '.join(sorted(pack_ids)) or 'none'})",
            file=sys.stderr,
        )
        return 2
    chosen = [p for p in packs if "packs" in wanted or p.id in wanted]

    # Imports WeasyPrint (about half a second): only when building.
    from compendium.printing.pdf import build, plan, system_warnings

    for warning in system_warnings():
        print(f"warning: {warning}", file=sys.stderr)

    jobs = plan(chosen, args.lang or LANGUAGES, compendium="compendium" in wanted)
    out = Path(args.out)
    start = time.perf_counter()
    results = build(comp, jobs, info, docs, out, workers=max(1, args.jobs))
    refused = 0
    for r in results:
        for line in r.messages():
            print(line, file=sys.stderr)
            refused += 1
        for warning in dict.fromkeys(r.warnings):
            print(f"warning: {r.path.name}: {warning}", file=sys.stderr)
        if not args.quiet:
            shown = Path(args.final_out) / r.path.name if args.final_out else r.path
            print(f"{shown}: {r.pages} pages, {r.seconds:.1f} s")
    if not args.quiet:
        pages = sum(r.pages for r in results)
        print(
            f"{len(results)} PDF(s), {pages} pages in {time.perf_counter() - start:.1f} s "
            f"({info.release_text('en')})"
        )
    if refused:
        print(f"{refused} refused resource(s): fix the source files named above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
