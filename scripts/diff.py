"""Compare the compendium at two git refs and write the redline, the comparison table,
a Markdown summary and JSON.

    python scripts/diff.py OLD_REF NEW_REF --out DIR
                           [--format html,table,md,json] [--lang zh-Hant,en]

Refs are read through git (``git ls-tree``/``git cat-file``); the working tree is
never touched. A release may be named by its version (``2026.1`` for
``release/2026.1``); ``WORKTREE`` as NEW_REF compares with the uncommitted docs/
folder. Problems in the sources are listed (as ``ref:path:line: message``) and
the reports written anyway, since an older release may fail validation rules
added later; ``--strict`` refuses instead. A ref with no compendium at all (no
``docs/`` folder) is refused. The reports go into a folder inside the repository,
never into docs/ or .git/ (``--allow-outside`` allows a folder outside it; see
compendium/source/paths.py). Exit status: 0 on success, 1 with ``--strict`` when a
ref's sources have errors, 2 on a usage or git error or a ref without a compendium.
"""

from __future__ import annotations

import argparse
import sys

from compendium import LANGUAGES, argtypes
from compendium.changes.git import GitError, GitRepo
from compendium.changes.releases import Loaded, diff_refs, roles_of
from compendium.changes.report import FORMATS, MD_LIMIT, write_reports
from compendium.source.layout import ROLES_FILE, manifest_path
from compendium.source.paths import ALLOW_OUTSIDE, PathRefused, check_input, check_output


def _csv(allowed: tuple[str, ...], what: str):
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(x.strip() for x in text.split(",") if x.strip())
        bad = [x for x in items if x not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(
                f"unknown {what} '{','.join(bad) or text}' "
                f"(expected a comma-separated list of: {', '.join(allowed)})"
            )
        return items

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "old_ref",
        type=argtypes.revision,
        help="the older ref: a release (2026.1 or release/2026.1), tag, branch or commit",
    )
    parser.add_argument(
        "new_ref",
        type=argtypes.revision,
        help="the newer ref, or WORKTREE for the docs folder on disk",
    )
    parser.add_argument(
        "--out", required=True, type=argtypes.path, help="folder to write the reports into"
    )
    parser.add_argument(
        "--format",
        type=_csv(FORMATS, "format"),
        default=FORMATS,
        help=f"outputs to write (default: {','.join(FORMATS)})",
    )
    parser.add_argument(
        "--lang",
        type=_csv(LANGUAGES, "language"),
        default=LANGUAGES,
        help=f"languages of the HTML and Markdown outputs (default: {','.join(LANGUAGES)})",
    )
    parser.add_argument(
        "--repo", default=".", help="the git working copy (default: the current folder)"
    )
    parser.add_argument(
        "--docs", default="docs", help="the docs folder inside the repository (default: docs)"
    )
    parser.add_argument(
        "--md-limit",
        type=int,
        default=MD_LIMIT,
        help=f"maximum length of the Markdown summary in characters (default: {MD_LIMIT})",
    )
    parser.add_argument(
        ALLOW_OUTSIDE,
        action="store_true",
        dest="allow_outside",
        help="allow --out outside the repository (never into docs/ or .git/)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="write nothing (exit 1) when a ref's sources have errors",
    )
    return parser


def _no_compendium(args: argparse.Namespace, old: Loaded | None, new: Loaded | None) -> bool:
    """Print an error and return True when a ref has no compendium in its docs folder."""
    for ref, loaded in ((args.old_ref, old), (args.new_ref, new)):
        if loaded is not None and not loaded.comp.regulations and not loaded.comp.roles:
            print(
                f"error: {ref}: no compendium in its '{args.docs}' folder "
                f"(expected {args.docs}/{ROLES_FILE} and "
                f"{args.docs}/{manifest_path('<id>')})",
                file=sys.stderr,
            )
            return True
    return False


def _print_errors(old: Loaded | None, new: Loaded | None) -> int:
    """Print the error-severity problems of both refs; returns how many."""
    errors = 0
    for loaded in (old, new):
        if loaded is None:
            continue
        for p in loaded.problems.sorted():
            if p.severity == "error":
                print(p, file=sys.stderr)
                errors += 1
    return errors


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        repo = GitRepo(args.repo)
        check_input("--docs", args.docs, repo.root, base=repo.root, folder=True)
        out = check_output("--out", args.out, repo.root, args.docs, args.allow_outside)
        diff, old, new = diff_refs(repo, args.old_ref, args.new_ref, args.docs)
    except (GitError, PathRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if _no_compendium(args, old, new):
        return 2
    errors = _print_errors(old, new)
    if errors and args.strict:
        print(
            f"{errors} error(s) in the sources (listed above); no report written", file=sys.stderr
        )
        return 1
    if errors:  # an older release may fail rules added since; a broken file is what matters
        print(
            f"warning: {errors} error(s) in the sources (listed above); changes to the files "
            "named there may be reported wrongly (an article that failed to load looks removed)",
            file=sys.stderr,
        )
    written = write_reports(
        diff,
        out,
        args.format,
        args.lang,
        role_names=roles_of(old, new),
        md_limit=args.md_limit,
    )
    counts = ", ".join(f"{k} {n}" for k, n in diff.counts().items()) or "no changes"
    print(f"{diff.old.label} → {diff.new.label}: {len(diff.changes)} change(s) ({counts})")
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
