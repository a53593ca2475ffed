"""Build the site and its PDFs into site/, reproducibly and all at once.

Builds into site.tmp/ (with SOURCE_DATE_EPOCH from the commit unless set), then
swaps it in, so site/ is always a whole build; on failure site/ is unchanged.
The site and the PDFs are built at the same time (two processes); the PDFs are
rendered in parts kept in .cache/pdf, so after an edit only the changed parts
render again (docs/decisions/0012-pdf-parts.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from compendium.buildtime import source_date_epoch
from compendium.site.sitebuild import clean_staging, pdf_staging, staging, swap_in


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="site", type=Path, help="output folder (default: site)")
    parser.add_argument(
        "--cache",
        default=".cache/pdf",
        help="where the rendered PDF parts are kept between builds (default: .cache/pdf)",
    )
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        epoch = source_date_epoch(root)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    clean_staging(args.out)
    new, _ = staging(args.out)
    pdfs = pdf_staging(args.out)
    bindir = Path(sys.executable).parent
    steps = [
        [str(bindir / "mkdocs"), "build", "--quiet", "--site-dir", str(new)],
        [
            sys.executable,
            "scripts/build_pdf.py",
            "--out",
            str(pdfs),
            "--final-out",
            str(args.out / "pdf"),
            "--cache",
            args.cache,
        ],
    ]
    running = [subprocess.Popen(cmd, env=env) for cmd in steps]
    codes = [proc.wait() for proc in running]
    if any(codes):
        clean_staging(args.out)
        return 1
    os.replace(pdfs, new / "pdf")
    swap_in(args.out)
    print(f"site built in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
