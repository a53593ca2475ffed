"""Write, and in CI post or update, the pull/merge-request comment with the change summary.

pr_comment.py build/diff                 print the comment body
pr_comment.py build/diff --out FILE      write it to FILE
pr_comment.py build/diff --github        create or update the pull-request comment, using
                                         GITHUB_API_URL, GITHUB_REPOSITORY, PR_NUMBER (or the
                                         event file) and the token in GITHUB_TOKEN
pr_comment.py build/diff --gitlab        create or update the merge-request note, using
                                         CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
                                         and the token in COMPENDIUM_BOT_TOKEN
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from compendium.changes.prcomment import CommentError, comment_body, post
from compendium.fsutil import write_atomic
from compendium.source.paths import ALLOW_OUTSIDE, PathRefused, check_output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("diff_dir", type=Path, help="the folder make diff wrote (build/diff)")
    parser.add_argument("--out", type=Path, help="write the body to this file")
    parser.add_argument(
        ALLOW_OUTSIDE,
        action="store_true",
        dest="allow_outside",
        help="allow --out outside the repository (never into docs/ or .git/)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--github",
        action="store_const",
        const="github",
        dest="platform",
        help="post it as the pull-request comment",
    )
    where.add_argument(
        "--gitlab",
        action="store_const",
        const="gitlab",
        dest="platform",
        help="post it as the merge-request note",
    )
    args = parser.parse_args(argv)
    try:
        body = comment_body(args.diff_dir)
        if args.out:
            out = check_output("--out", args.out, Path.cwd(), allow_outside=args.allow_outside)
            write_atomic(out, body)
        if args.platform:
            result = post(args.platform, body, os.environ)
            print(f"{'pull' if args.platform == 'github' else 'merge'}-request comment {result}")
        elif not args.out:
            sys.stdout.write(body)
    except (CommentError, PathRefused, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
