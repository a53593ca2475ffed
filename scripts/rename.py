"""Rename an id everywhere it is named, or move an article (make rename / make move).

    make rename OLD=reg/old-article NEW=reg/new-article   (also reg/chapter, reg, role:id)
    make move OLD=reg/article TO=[other-reg/]chapter-or-section [AFTER=article-id]

Each make variable is the option of its name (OLD is --old, see scripts/cli.py);
every value is checked here.
Nothing is written when the target exists or the result would not validate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium.editing.manifestedit import EditError
from compendium.editing.rename import RenameError, move, rename
from compendium.editing.scaffold import ScaffoldError
from compendium.source.loader import is_id


def _checked(name: str, value: str | None, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise RenameError(f"{name} is required")
        return None
    parts = value.removeprefix("role:").split("/")
    if len(parts) > 2 or not all(is_id(part) for part in parts):
        raise RenameError(
            f"{name}='{value}' is not an id (expected <regulation-id>/<id>, <regulation-id> or role:<id>)"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["rename", "move"])
    parser.add_argument("--docs", default="docs")
    for name in ("--old", "--new", "--to", "--after"):
        parser.add_argument(name)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    docs = Path(args.docs)
    try:
        if args.what == "rename":
            edits = rename(docs, _checked("OLD", args.old), _checked("NEW", args.new))
        else:
            edits = move(
                docs,
                _checked("OLD", args.old),
                _checked("TO", args.to),
                _checked("AFTER", args.after, required=False),
            )
    except (ScaffoldError, EditError) as exc:
        print(exc, file=sys.stderr)
        return 1
    edits.apply()
    for rel in edits.touched():
        print(
            f"{'removed' if rel in edits.deletes and rel not in edits.writes else 'wrote'} {docs}/{rel}"
        )
    print("next: make check, then commit (git add -A docs) and open a pull request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
