"""Verify a PDF: an unmodified output of a release (current or superseded), a modified one, or not a compendium output.

The PDF's pages and metadata are compared with the release records of the
checkout, ``releases/<version>.yml`` beside ``docs/`` (compendium/printing/verify.py,
decisions/0014-release-records.md).

Exit status: 0 an unmodified output of the current release; 1 superseded, modified,
a draft or not a compendium output; 2 a usage error (no such file, bad records).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium import argtypes
from compendium.printing.verify import read_pdf, verify
from compendium.source.ledger import RECORDS_DIR, load_records, records_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=argtypes.path, help="the PDF to verify")
    parser.add_argument(
        "--docs", default="docs", help="the docs folder whose releases/ is read (default: docs)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    pdf = Path(args.file)
    if not pdf.is_file():
        print(f"{args.file}: no such file (expected a PDF file)", file=sys.stderr)
        return 2
    shown = (Path(args.docs.rstrip("/")).parent / RECORDS_DIR).as_posix()
    records, problems = load_records(records_dir(Path(args.docs)), shown)
    if problems.errors:
        for problem in problems.errors:
            print(problem, file=sys.stderr)
        print("the release records are not valid: nothing can be verified", file=sys.stderr)
        return 2
    verdict = verify(read_pdf(pdf), records)
    print(f"{args.file}: {verdict.message}")
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
