"""Build the site and its PDFs into site/, reproducibly and all at once.

Builds into site.tmp/ (with SOURCE_DATE_EPOCH from the commit unless set), then
swaps it in, so site/ is always a whole build; on failure site/ is unchanged.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from compendium.site.sitebuild import clean_staging, source_date_epoch, staging, swap_in


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="site", type=Path, help="output folder (default: site)")
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
    bindir = Path(sys.executable).parent
    steps = [
        [str(bindir / "mkdocs"), "build", "--quiet", "--site-dir", str(new)],
        [
            sys.executable,
            "scripts/build_pdf.py",
            "--out",
            str(new / "pdf"),
            "--final-out",
            str(args.out / "pdf"),
        ],
    ]
    for cmd in steps:
        if subprocess.run(cmd, env=env).returncode != 0:
            clean_staging(args.out)
            return 1
    swap_in(args.out)
    print(f"site built in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
