"""Print, per law of the shared corpus, how exactly the importer and the diff reproduce it.

Columns: articles exact in both Chinese layouts (yes/no), paragraphs kept (the paragraphs and
items written for the newer version, against the lines of the source), English aligned
(matched / English articles), diff precision and recall against expected.json's changes, and
the time to import both versions, update and diff. Exit status 1 when any law is not exact.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from corpus import CORPUS_DEFAULT, LawReport, check_law  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--corpus",
        type=Path,
        default=Path(CORPUS_DEFAULT),
        help=f"the corpus folder (default: {CORPUS_DEFAULT})",
    )
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return p


def _row(r: LawReport) -> list[str]:
    return [
        r.law,
        "yes" if r.exact else "no",
        f"{r.paragraphs_kept}/{r.paragraphs_source}",
        f"{r.en_matched}/{r.en_articles}",
        f"{r.precision:.2f}",
        f"{r.recall:.2f}",
        f"{r.seconds:.2f}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: {args.corpus}: no such folder (expected the shared corpus)", file=sys.stderr)
        return 2
    laws = sorted(p for p in args.corpus.iterdir() if (p / "expected.json").is_file())
    head = [
        "law",
        "articles exact",
        "paragraphs kept",
        "English aligned",
        "precision",
        "recall",
        "seconds",
    ]
    rows = [_row(check_law(law)) for law in laws]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
        for row in [head, *rows]:
            print("  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)))
    return 0 if all(r[1] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
