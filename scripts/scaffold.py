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

from compendium.editing.scaffold import ScaffoldError, new_article, new_regulation


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["regulation", "article"])
    parser.add_argument("--docs", default="docs")
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
    args = parser.parse_args(argv)
    docs = Path(args.docs)
    try:
        if args.what == "regulation":
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
            nxt = [
                f"write the purpose article: {docs}/regulations/{args.id}/purpose.zh-Hant.md and .en.md",
                f"add articles: make new-article REG={args.id} ID=<article-id> AFTER=purpose",
                "then: make stamp, make check, make serve; commit and open a pull request",
            ]
        else:
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
            base = f"{docs}/regulations/{args.reg}/{args.id}"
            nxt = [
                f"write the Chinese text in {base}.zh-Hant.md (and its roles)",
                f"translate it in {base}.en.md, then run make stamp",
                "then: make check, make serve; commit and open a pull request",
            ]
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
