"""Create a regulation or an article (make new-regulation, make new-article).

    make new-regulation ID=leave-policy TITLE=請假管理辦法 TITLE_EN='Leave Policy' OWNER=hr-dept
    make new-article REG=leave-policy ID=sick-leave AFTER=purpose [INSERTED=1]

Each make variable is the option of its name (TITLE_EN is --title-en, see
scripts/cli.py); every value is checked here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium import DEFAULT_LANGUAGE, argtypes
from compendium.editing.scaffold import ScaffoldError, new_article, new_regulation
from compendium.fsutil import Edits
from compendium.source.layout import DOCS_DIR, article_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["regulation", "article"])
    parser.add_argument("--docs", default=DOCS_DIR)
    parser.add_argument("--id")
    parser.add_argument("--title")
    parser.add_argument("--title-en")
    parser.add_argument("--owner")
    parser.add_argument("--code")
    parser.add_argument("--effective", type=argtypes.date)
    parser.add_argument("--numbering", default="chapter-article")
    parser.add_argument("--reg")
    parser.add_argument("--after")
    parser.add_argument("--caption")
    parser.add_argument("--caption-en")
    parser.add_argument("--inserted", action="store_true")
    return parser


def _regulation(args: argparse.Namespace, docs: Path) -> tuple[Edits, list[str]]:
    """The edits of ``make new-regulation`` and the next steps to print."""
    if not args.id:
        raise ScaffoldError(
            "usage: make new-regulation ID=<regulation-id> TITLE=<中文名稱> "
            "TITLE_EN=<English title> OWNER=<role-id> [CODE=HR-02] [EFFECTIVE=YYYY-MM-DD]"
        )
    edits = new_regulation(
        docs,
        args.id,
        args.title or "",
        args.title_en or "",
        owner=args.owner,
        code=args.code,
        effective=args.effective,
        numbering=args.numbering,
    )
    purpose = article_path(args.id, "purpose", DEFAULT_LANGUAGE)
    return edits, [
        f"write the purpose article: {docs}/{purpose} and .en.md",
        f"add articles: make new-article REG={args.id} ID=<article-id> AFTER=purpose",
        "then: make stamp, make check, make serve; commit and open a pull request",
    ]


def _article(args: argparse.Namespace, docs: Path) -> tuple[Edits, list[str]]:
    """The edits of ``make new-article`` and the next steps to print."""
    if not (args.reg and args.id and args.after):
        raise ScaffoldError(
            "usage: make new-article REG=<regulation-id> ID=<article-id> "
            "AFTER=<article-id or chapter-id> [INSERTED=1] [CAPTION=..] [CAPTION_EN=..]"
        )
    edits = new_article(
        docs,
        args.reg,
        args.id,
        args.after,
        inserted=args.inserted,
        caption=args.caption,
        caption_en=args.caption_en,
    )
    zh, en = (
        f"{docs}/{article_path(args.reg, args.id, lang)}" for lang in (DEFAULT_LANGUAGE, "en")
    )
    return edits, [
        f"write the Chinese text in {zh} (and its roles)",
        f"translate it in {en}, then run make stamp",
        "then: make check, make serve; commit and open a pull request",
    ]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    docs = Path(args.docs)
    try:
        edits, nxt = (_regulation if args.what == "regulation" else _article)(args, docs)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    edits.apply()
    for rel in edits.touched():
        print(f"wrote {docs}/{rel}")
    print("next:")
    for line in nxt:
        print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
