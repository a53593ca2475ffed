"""Import a plain-text regulation (UTF-8) as a new regulation folder under docs/regulations/.

Prints what was found (counts, numbers, gaps, lines it could not place), writes
the folder all at once, then validates the result and prints its problems.
Exit status: 0 when written and valid, 1 when the result has validation
errors, 2 when nothing was written (bad input, or the folder exists).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from compendium import argtypes
from compendium.importer import (
    ID_MODES,
    STYLES,
    ImportFailure,
    ImportOptions,
    import_text,
    write_regulation,
)
from compendium.importer.safety import leftovers
from compendium.importer.update import MISSING_CHOICES, update_regulation
from compendium.source.encoding import NotUtf8Error, read_utf8
from compendium.source.layout import DOCS_DIR, REGULATIONS_DIR, ROLES_FILE, regulation_dir
from compendium.source.loader import load
from compendium.source.paths import PathRefused, check_source
from compendium.source.tree import DirTree


def _read(path: Path, what: str, option: str) -> str:
    """The text of an import source; anywhere (such as ../shared), but a regular file."""
    try:
        path = check_source(option, path)
    except PathRefused as exc:
        raise ImportFailure(str(exc)) from None
    try:
        return read_utf8(path.read_bytes()).removeprefix("\ufeff")
    except FileNotFoundError:
        raise ImportFailure(
            f"{path}: no such file (expected the {what} as a UTF-8 text file)"
        ) from None
    except NotUtf8Error as exc:
        raise ImportFailure(f"{path}:{exc.line}: {exc.message}") from None


def _update(target: Path, result, args) -> dict[str, str] | None:
    """The updated folder, asking what to do with missing articles unless --missing says."""
    old = {p.name: p.read_text(encoding="utf-8") for p in sorted(target.iterdir()) if p.is_file()}
    missing = args.missing
    try:
        update = update_regulation(old, result, missing)
    except ImportFailure:
        if missing is not None or not sys.stdin.isatty():
            raise
        answer = input("Keep them as repealed in place (r), remove them (d), or stop (s)? ")
        missing = {"r": "repeal", "d": "remove"}.get(answer.strip().lower()[:1])
        if missing is None:
            print("stopped: nothing written", file=sys.stderr)
            return None
        update = update_regulation(old, result, missing)
    print(update.report())
    return update.files


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _add_regulation_arguments(p)
    _add_cleaning_arguments(p)
    _add_target_arguments(p)
    return p


def _add_regulation_arguments(p: argparse.ArgumentParser) -> None:
    """The source text and what the new regulation is called, numbered and owned by."""
    p.add_argument(
        "source",
        type=argtypes.path,
        help="the regulation in Traditional Chinese, a UTF-8 text file",
    )
    p.add_argument(
        "--id",
        required=True,
        type=argtypes.identifier,
        dest="reg_id",
        help="the regulation id and folder name, e.g. leave-policy",
    )
    p.add_argument(
        "--code",
        type=argtypes.code,
        help="short code shown on the site, e.g. HR-01 (default: the id in capitals)",
    )
    p.add_argument(
        "--title-zh",
        type=argtypes.text,
        help="the Chinese title (default: the title line of the source)",
    )
    p.add_argument(
        "--title-en",
        type=argtypes.text,
        help="the English title (default: from --english, else the Chinese title)",
    )
    p.add_argument(
        "--owner",
        default="all-employees",
        type=argtypes.identifier,
        help="owning role id from docs/roles.yml",
    )
    p.add_argument(
        "--version", default="1.0", type=argtypes.text, help='the version (default: "1.0")'
    )
    p.add_argument(
        "--effective", type=argtypes.date, help="effective date YYYY-MM-DD (default: today)"
    )
    p.add_argument("--style", choices=STYLES, help="numbering style (default: detected)")
    p.add_argument(
        "--ids",
        choices=ID_MODES,
        default="number",
        help="article ids: 'number' (a001, a010-1; outline a1-03) or 'caption' (purpose, scope, "
        "… where a short table knows the caption, else the number id)",
    )
    p.add_argument(
        "--english",
        type=argtypes.path,
        metavar="FILE",
        help="the English text, aligned by article number (Article 1, Article 10-1, Chapter I; "
        "outline: I. / 1.)",
    )


def _add_cleaning_arguments(p: argparse.ArgumentParser) -> None:
    """What the import repairs, links or fills in on the way."""
    p.add_argument(
        "--clean-scrape",
        action="store_true",
        help="remove the debris of a scraped web preview (page lists, notices, tips, comment box, "
        "PAGE prefix, pinyin annotations)",
    )
    p.add_argument(
        "--fix-traditional",
        action="store_true",
        help="replace leftover simplified characters from a fixed table (規范 -> 規範, …); "
        "each replacement is reported and noted in the article",
    )
    p.add_argument(
        "--fullwidth-punct",
        action="store_true",
        help="make half-width , : ; ( ) next to Chinese text full-width",
    )
    p.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="when the source stops mid-sentence, leave out the incomplete last article "
        "(default: keep it and mark it truncated)",
    )
    p.add_argument(
        "--link-references",
        action="store_true",
        help="turn references to this regulation's articles (第三條, Article 3) into [[id]] links",
    )
    p.add_argument(
        "--accept-anomalies",
        action="store_true",
        help="write even when the source's own numbering has gaps, repeats or articles without "
        "text (default: nothing is written); each is recorded in the manifest's editorial notes",
    )
    p.add_argument(
        "--no-roles",
        action="store_true",
        help="do not fill in each article's roles from docs/roles.yml (default: the roles its "
        "text names next to a duty word, as the validator checks)",
    )


def _add_target_arguments(p: argparse.ArgumentParser) -> None:
    """Where the regulation is written, and whether it replaces or updates one."""
    p.add_argument(
        "--docs", type=Path, default=Path(DOCS_DIR), help=f"the docs folder (default: {DOCS_DIR})"
    )
    p.add_argument("--force", action="store_true", help="replace an existing regulation folder")
    p.add_argument(
        "--update",
        action="store_true",
        help="update the existing regulation from a newer source: keep every article id and "
        "editor-owned front-matter, replace the text, add new articles, repeal or remove missing "
        "ones; prints what changed and writes atomically",
    )
    p.add_argument(
        "--missing",
        choices=MISSING_CHOICES,
        help="with --update: articles the new source no longer prints are kept as repealed in "
        "place ('repeal') or deleted ('remove'); without it you are asked",
    )
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = ImportOptions(
        reg_id=args.reg_id,
        code=args.code,
        title_zh=args.title_zh,
        title_en=args.title_en,
        owner=args.owner,
        version=args.version,
        effective=args.effective,
        style=args.style,
        ids=args.ids,
        clean_scrape=args.clean_scrape,
        fix_traditional=args.fix_traditional,
        fullwidth_punct=args.fullwidth_punct,
        drop_incomplete=args.drop_incomplete,
        link_references=args.link_references,
        accept_anomalies=args.accept_anomalies,
        source_name=args.source.name,
        english_name=args.english.name if args.english else None,
    )
    target = args.docs / regulation_dir(args.reg_id)
    left = leftovers(args.docs / REGULATIONS_DIR, args.reg_id)
    if left:
        for line in left:
            print(f"error: {line}", file=sys.stderr)
        return 2
    if args.update and not target.is_dir():
        print(
            f"error: {target}: no such regulation to update (import it first, without --update)",
            file=sys.stderr,
        )
        return 2
    if target.exists() and not args.force and not args.dry_run and not args.update:
        print(
            f"error: {target}: a regulation with this id already exists "
            "(choose another --id, or use --force to replace it)",
            file=sys.stderr,
        )
        return 2
    try:
        zh = _read(args.source, "regulation", "SRC")
        en = _read(args.english, "English text", "--english") if args.english else None
        roles = args.docs / ROLES_FILE
        if not args.no_roles and roles.is_file():
            options.roles_yml = roles.read_text(encoding="utf-8")
        result = import_text(zh, options, en)
        print(result.report())
        files = result.files
        if args.update:
            files = _update(target, result, args)
            if files is None:
                return 2
        if args.dry_run:
            print(f"dry run: nothing written ({len(files)} file(s) would be written)")
            return 0
        target = write_regulation(files, args.docs, args.reg_id, force=args.force or args.update)
    except ImportFailure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"error: could not write the regulation: {exc} (nothing was written)", file=sys.stderr
        )
        return 2
    print(f"wrote {target} ({len(files)} file(s))")
    display = str(args.docs).replace(os.sep, "/").rstrip("/")
    _comp, problems = load(DirTree(args.docs, display_root=display))
    mine = f"{display}/regulations/{args.reg_id}/"
    own = [p for p in problems.sorted() if p.path.startswith(mine)]
    errors = [p for p in own if p.severity == "error"]
    warnings = [p for p in own if p.severity == "warning"]
    for p in own:
        print(p)
    others = len(problems.errors) - len(errors)
    print(
        f"validation: {len(errors)} error(s), {len(warnings)} warning(s) in the new regulation"
        + (f"; {others} error(s) elsewhere in {display}" if others else "")
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
