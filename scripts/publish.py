"""Publish a release (or the draft) of the site to the pages branch with mike.

    make publish VERSION=2026.2        build release 2026.2 (releases/2026.2.yml) into 2026.2/
    make publish DRAFT=1               build HEAD into draft/ (never a release folder)

make's variables are its options (scripts/cli.py): VERSION, DRAFT=1, BRANCH
(default gh-pages), NO_PDF=1, ALIAS_TYPE (symlink, copy or redirect;
GitLab Pages needs copy). Nothing is pushed; push the branch afterwards
(`git push origin gh-pages`), as the CI templates do.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from compendium.changes.git import GitError
from compendium.site.publish import PublishError, publish

BRANCH_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._/-]*\Z")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="the release to publish, <year>.<n>")
    parser.add_argument("--draft", action="store_true", help="publish HEAD as draft")
    parser.add_argument("--branch", default="gh-pages")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument(
        "--alias-type",
        default="symlink",
        help="how 'latest' points at the release: symlink, copy or redirect",
    )
    parser.add_argument("--root", type=Path, default=Path("."))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not BRANCH_RE.fullmatch(args.branch) or ".." in args.branch:
        print(f"BRANCH='{args.branch}' is not a branch name", file=sys.stderr)
        return 2
    if args.draft and args.version:
        print("give VERSION or DRAFT=1, not both", file=sys.stderr)
        return 2
    try:
        publish(
            args.root.resolve(),
            args.version,
            draft=args.draft,
            branch=args.branch,
            pdf=not args.no_pdf,
            alias_type=args.alias_type,
        )
    except (PublishError, GitError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
