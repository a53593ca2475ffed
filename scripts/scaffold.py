"""Create a regulation or an article from the make variables (or options).

    make new-regulation ID=leave-policy TITLE=請假管理辦法 TITLE_EN='Leave Policy' OWNER=hr-dept
    make new-article REG=leave-policy ID=sick-leave AFTER=purpose [INSERTED=1]

Make passes its variables in the environment; every value is checked here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from compendium import DEFAULT_LANGUAGE
from compendium.editing.scaffold import ScaffoldError, new_article, new_regulation
from compendium.fsutil import Edits
from compendium.source.layout import DOCS_DIR, article_path


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["regulation", "article"])
    parser.add_argument("--docs", default=DOCS_DIR)
    parser.add_argument("--id", default=_env("ID"))
    parser.add_argument("--title", default=_env("TITLE"))
    parser.add_argument("--title-en", default=_env("TITLE_EN"))
    parser.add_argument("--owner", default=_env("OWNER"))
    parser.add_argument("--code", default=_env("CODE"))
    parser.add_argument("--effective", default=_env("EFFECTIVE"))
    parser.add_argument("--numbering", default=_env("NUMBERING") or "chapter-article")
    parser.add_argument("--reg", default=_env("REG"))
    parser.add_argument("--after", default=_env("AFTER"))
    parser.add_argument("--caption", default=_env("CAPTION"))
    parser.add_argument("--caption-en", default=_env("CAPTION_EN"))
    parser.add_argument(
        "--inserted", action="store_true", default=_env("INSERTED") not in (None, "0")
    )
    return parser


def _regulation(args: argparse.Namespace, docs: Path) -> tuple[Edits, list[str]]:
    """The edits of ``make new-regulation`` and the next steps to print."""
    if not args.id:
        raise ScaffoldError(
            "usage: make new-regulation ID=<regulation-id> TITLE=<中文名稱> "
            "TITLE_EN=<English title> OWNER=<role-id> [CODE=HR-02] [EFFECTIVE=YYYY-MM-DD]"
        )
    effective = None
    if args.effective:
        try:
            effective = dt.date.fromisoformat(args.effective)
        except ValueError:
            raise ScaffoldError(
                f"EFFECTIVE='{args.effective}' is not a date (expected YYYY-MM-DD)"
            ) from None
    edits = new_regulation(
        docs,
        args.id,
        args.title or "",
        args.title_en or "",
        owner=args.owner,
        code=args.code,
        effective=effective,
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
