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
import re
import sys
from pathlib import Path

import yaml

from compendium.changes.history import drift_notice, find_drift, locate_amendments
from compendium.source.edits import write_atomic
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.tree import DirTree, missing_docs
from compendium.source.yamlsrc import YamlError, split_front_matter

FRONT_END = re.compile(r"^---[ \t]*\r?$")
TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:")


def set_translates(text: str, value: str) -> str:
    """``text`` with its front-matter field ``translates`` set to ``value``.

    Replaces the existing top-level ``translates:`` line, or inserts one after the
    ``id:`` line (else as the first field). Raises ValueError when the file has no
    front-matter.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not FRONT_END.match(lines[0].rstrip("\n")):
        raise ValueError("expected YAML front-matter between '---' lines at the top of the file")
    end = next((i for i in range(1, len(lines)) if FRONT_END.match(lines[i].rstrip("\n"))), None)
    if end is None:
        raise ValueError("the front-matter has no closing '---' line")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    scalar = (
        value if isinstance(yaml.safe_load(value), str) else f'"{value}"'
    )  # 123456789012 is a number
    new_line = f"translates: {scalar}{newline}"
    after_id = None
    for i in range(1, end):
        m = TOP_KEY.match(lines[i])
        if not m:
            continue
        if m["key"] == "translates":
            j = i + 1  # drop continuation lines of a multi-line value, if any
            while j < end and lines[j][:1] in (" ", "\t"):
                j += 1
            return "".join(lines[:i] + [new_line] + lines[j:])
        if m["key"] == "id":
            after_id = i + 1
    at = after_id if after_id is not None else 1
    return "".join(lines[:at] + [new_line] + lines[at:])


def main(argv: list[str] | None = None) -> int:
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
    args = parser.parse_args(argv)
    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    docs = Path(args.docs)
    comp, problems = load(DirTree(docs, display_root=args.docs.rstrip("/")))
    if problems.errors:
        for p in problems.sorted():
            if p.severity == "error":
                print(p, file=sys.stderr)
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
            key = _article_key(item)
            if key is None or comp.article(*key) is None:
                print(
                    f"{item}: no such article (expected <regulation-id>/<article-id> or "
                    "docs/regulations/<regulation-id>/<article-id>.en.md)",
                    file=sys.stderr,
                )
                return 2
            only.add(key)
    return _stamp(comp, docs, args.all or only is not None, args.dry_run, only)


def _article_key(item: str) -> tuple[str, str] | None:
    """``reg/art`` or ``…/regulations/reg/art.<lang>.md`` -> (reg, art)."""
    parts = item.replace("\\", "/").split("/")
    if len(parts) >= 2 and parts[-1].endswith(".md"):
        return parts[-2], parts[-1].split(".", 1)[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return None


def _stamp(
    comp: Compendium,
    docs: Path,
    everything: bool,
    dry_run: bool,
    only: set[tuple[str, str]] | None = None,
) -> int:
    updates: list[tuple[Path, str, str, str]] = []  # (file, new text, display path, hash)
    unchanged = 0
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            en = art.texts.get("en")
            if only is not None and (reg.id, art.id) not in only:
                continue
            if en is None or (en.translates is not None and not everything):
                continue
            value = art.source_hash
            if en.translates == value:
                unchanged += 1
                continue
            path = docs / "regulations" / reg.id / f"{art.id}.en.md"
            try:
                updated = set_translates(path.read_bytes().decode("utf-8"), value)
                if split_front_matter(updated).meta.get("translates") != value:
                    raise ValueError("the field could not be set on its own line")
            except (ValueError, YamlError) as exc:
                print(f"{en.path}:1: cannot stamp: {exc}", file=sys.stderr)
                return 1
            updates.append((path, updated, en.path, value))
    for path, updated, shown, value in updates:  # every file checked before any is written
        print(f"{'would stamp' if dry_run else 'stamped'} {shown} (translates: {value})")
        if not dry_run:
            write_atomic(path, updated)
    verb = "would stamp" if dry_run else "stamped"
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
