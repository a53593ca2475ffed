"""Validate the compendium sources and the release records; list every problem as path:line: message.

Exit status: 0 when there are no errors (warnings are printed), 1 on errors,
or on warnings with --strict.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium import argtypes
from compendium.source.checks import validate
from compendium.source.ledger import RECORDS_DIR, load_records, records_dir
from compendium.source.tree import DirTree, missing_docs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--today",
        type=argtypes.date,
        help="the date overdue reviews are counted from, YYYY-MM-DD "
        "(default: SOURCE_DATE_EPOCH, else today)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    docs = Path(args.docs)
    comp, problems = validate(DirTree(docs, display_root=args.docs.rstrip("/")), as_of=args.today)
    shown = (Path(args.docs.rstrip("/")).parent / RECORDS_DIR).as_posix()
    records, record_problems = load_records(records_dir(docs), shown)
    problems.items += record_problems.items
    reported, more = problems.reported()
    for p in reported:
        print(p)
    if more:
        print(more)
    n_err, n_warn = len(problems.errors), len(problems.warnings)
    arts = sum(len(r.articles) for r in comp.regulations.values())
    print(
        f"{len(comp.regulations)} regulation(s), {arts} article(s), "
        f"{len(records)} release record(s): "
        f"{n_err} error(s), {n_warn} warning(s)",
        file=sys.stderr,
    )
    return 1 if n_err or (args.strict and n_warn) else 0


if __name__ == "__main__":
    sys.exit(main())
