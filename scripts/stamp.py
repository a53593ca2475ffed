"""Record in each English file which Chinese text it translates, or check for drift.

    python scripts/stamp.py [DOCS] [--all | --only ARTICLE...] [--dry-run]
    python scripts/stamp.py [DOCS] --check-drift   (exit 1 when a translation is outdated)

Stamping sets the front-matter field ``translates: <hash>`` (the hash of the
Chinese caption and body, as ``Article.source_hash``) in every ``.en.md`` that
has no such field, in the articles named with ``--only`` (after revising
their translation), or in every English file with ``--all``. Only that one
line is written or replaced; the rest of the file is kept byte for byte. This
is an editor's command, never part of a build.

``--check-drift`` lists every English file whose ``translates`` differs from the
current Chinese text as ``path:line: message`` (with the release or date of the
Chinese amendment when git can tell) and exits 1 if there is any: for
``make check`` in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium import argtypes
from compendium.changes.drift import drift_notice, find_drift, locate_amendments
from compendium.editing.stamping import StampError, article_key, plan_stamps
from compendium.fsutil import write_atomic
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.problems import Problems
from compendium.source.tree import DirTree, missing_docs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="stamp every English file, not only those without 'translates'",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="ARTICLE",
        type=argtypes.article,
        help="stamp just these articles (after revising their English), given as "
        "<regulation-id>/<article-id> or as the path of the article's file",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list the files that would change; write nothing"
    )
    parser.add_argument(
        "--check-drift",
        action="store_true",
        help="write nothing; exit 1 when an English file translates an older Chinese text",
    )
    parser.add_argument(
        "--repo",
        default=None,
        help="the git working copy used to date amendments (default: the docs folder's repository)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    docs = Path(args.docs)
    comp, problems = load(DirTree(docs, display_root=args.docs.rstrip("/")))
    if problems.errors:
        shown, more = Problems(problems.errors).reported()
        for p in shown:
            print(p, file=sys.stderr)
        if more:
            print(more, file=sys.stderr)
        print(
            f"{len(problems.errors)} error(s) in the sources (listed above); fix them first "
            "(a hash of a text that did not load would be wrong)",
            file=sys.stderr,
        )
        return 1
    if args.check_drift:
        return _check_drift(comp, docs, args.repo)
    only = None
    if args.only:
        only = set()
        for item in args.only:
            key = article_key(item)
            if key is None or comp.article(*key) is None:
                print(
                    f"{item}: no such article (expected <regulation-id>/<article-id> or "
                    "docs/regulations/<regulation-id>/<article-id>.en.md)",
                    file=sys.stderr,
                )
                return 2
            only.add(key)
    return _stamp(comp, docs, args.all or only is not None, args.dry_run, only)


def _stamp(
    comp: Compendium,
    docs: Path,
    everything: bool,
    dry_run: bool,
    only: set[tuple[str, str]] | None = None,
) -> int:
    try:
        updates, unchanged = plan_stamps(comp, docs, everything, only)
    except StampError as exc:
        print(exc, file=sys.stderr)
        return 1
    verb = "would stamp" if dry_run else "stamped"
    for u in updates:  # every file checked before any is written
        print(f"{verb} {u.shown} (translates: {u.value})")
        if not dry_run:
            write_atomic(u.path, u.text)
    print(f"{verb} {len(updates)} English file(s); {unchanged} already current", file=sys.stderr)
    return 0


def _check_drift(comp: Compendium, docs: Path, repo: str | None) -> int:
    drifts = find_drift(comp)
    if drifts:  # date the amendments from git when the docs folder is in a repository
        locate_amendments(drifts, Path(repo) if repo else docs, docs.resolve())
    for d in drifts:
        en = comp.regulations[d.regulation].articles[d.article].texts["en"]
        line = en.lines("translates") if en.lines is not None else 1
        print(
            f"{d.en_path}:{line}: {drift_notice(d, 'en')} "
            f"(translates {d.translates}, the Chinese text "
            f"is now {d.current}; revise the translation, then run: "
            f"python scripts/stamp.py --only {d.regulation}/{d.article})"
        )
    unstamped = sum(
        1
        for reg in comp.regulations.values()
        for art in reg.articles.values()
        if "en" in art.texts and art.texts["en"].translates is None
    )
    print(
        f"{len(drifts)} outdated translation(s); {unstamped} English file(s) not stamped yet"
        + (" (run: make stamp)" if unstamped else ""),
        file=sys.stderr,
    )
    return 1 if drifts else 0


if __name__ == "__main__":
    sys.exit(main())
