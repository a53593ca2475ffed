"""Write (and in GitLab CI, post) the pull/merge-request comment with the change summary.

pr_comment.py build/diff                 print the comment body
pr_comment.py build/diff --out FILE      write it to FILE (GitHub: posted by the workflow)
pr_comment.py build/diff --gitlab        create or update the merge-request note, using
                                         CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
                                         and the token in COMPENDIUM_BOT_TOKEN
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from compendium.changes.prcomment import (
    CommentError,
    comment_body,
    http_request,
    upsert_gitlab_note,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("diff_dir", type=Path, help="the folder make diff wrote (build/diff)")
    parser.add_argument("--out", type=Path, help="write the body to this file")
    parser.add_argument("--gitlab", action="store_true", help="post it as a merge-request note")
    args = parser.parse_args(argv)
    try:
        body = comment_body(args.diff_dir)
        if args.out:
            args.out.write_text(body, encoding="utf-8")
        if args.gitlab:
            env = {
                k: os.environ.get(k, "")
                for k in (
                    "CI_API_V4_URL",
                    "CI_PROJECT_ID",
                    "CI_MERGE_REQUEST_IID",
                    "COMPENDIUM_BOT_TOKEN",
                )
            }
            missing = [k for k, v in env.items() if not v]
            if missing:
                raise CommentError(f"missing CI variables: {', '.join(missing)}")
            if not re.fullmatch(r"\d+", env["CI_MERGE_REQUEST_IID"]):
                raise CommentError("CI_MERGE_REQUEST_IID must be a number")
            result = upsert_gitlab_note(
                env["CI_API_V4_URL"],
                env["CI_PROJECT_ID"],
                env["CI_MERGE_REQUEST_IID"],
                body,
                http_request(env["COMPENDIUM_BOT_TOKEN"]),
            )
            print(f"merge-request note {result}")
        elif not args.out:
            sys.stdout.write(body)
    except (CommentError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
