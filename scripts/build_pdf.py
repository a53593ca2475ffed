"""Build the printable compendium and the onboarding packs as PDF files.

Writes, into the output folder (default site/pdf/), compendium-<lang>.pdf and
pack-<pack-id>-<lang>.pdf for every pack in docs/packs.yml, each rendered in
parts and joined (decisions/0015-pdf-pipeline.md). Each PDF is written to a
temporary name and renamed when complete. Exit status: 0 on success, 1 when
the sources have errors (listed as path:line: message) or a document named a
resource the build refused to read, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from compendium import LANGUAGES
from compendium.printing.buildinfo import build_info
from compendium.source.checks import validate
from compendium.source.packs import load_packs
from compendium.source.problems import Problems
from compendium.source.tree import DirTree, missing_docs


def build_parser() -> argparse.ArgumentParser:
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
        help="parts rendered in parallel (default: 2, or 1 on a single core)",
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
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="keep the rendered parts of every PDF in DIR and reuse the unchanged ones "
        "(make site uses .cache/pdf); without it, in a temporary folder",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    docs = Path(args.docs)
    try:
        info = build_info(docs, args.release, args.commit, args.date)
    except ValueError as exc:
        print(
            f"--date {args.date}: expected a date YYYY-MM-DD" if args.date else exc, file=sys.stderr
        )
        return 2

    tree = DirTree(docs, display_root=args.docs.rstrip("/"))
    comp, problems = validate(tree)
    packs, pack_problems = load_packs(tree, comp)
    errors = problems.errors
    shown, more = Problems(errors + pack_problems.warnings).reported()
    for p in shown:
        print(p, file=sys.stderr)
    if more:
        print(more, file=sys.stderr)
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
    cache = Path(args.cache) if args.cache else None
    results = build(comp, jobs, info, docs, out, cache, workers=max(1, args.jobs))
    return _report(results, args, info, start)


def _report(results: list[Any], args: argparse.Namespace, info: Any, start: float) -> int:
    """Print each PDF's problems and progress line; 1 when a resource was refused."""
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
