"""Building the site output: a whole ``site/`` or none.

``swap_in`` replaces the output folder so that it always exists whole: the new
build is made in a temporary sibling folder, the old output is renamed aside,
the new one renamed in, and the old one removed. Leftovers of an interrupted
run (``site.tmp``, ``site.old``) are removed before the next build.

The build is dated by :func:`compendium.buildtime.source_date_epoch`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from compendium.fsutil import replace_dir


def staging(out: Path) -> tuple[Path, Path]:
    """``(new, old)``: where the next output is built, and where the old one goes."""
    return out.with_name(out.name + ".tmp"), out.with_name(out.name + ".old")


def pdf_staging(out: Path) -> Path:
    """Where the PDFs are built while MkDocs builds the site (it empties its own folder)."""
    return out.with_name(out.name + ".pdf.tmp")


def clean_staging(out: Path) -> None:
    """Remove what an interrupted run left (a half-built or a set-aside output)."""
    new, old = staging(out)
    for folder in (new, old, pdf_staging(out)):
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.exists():
            shutil.rmtree(folder)


def swap_in(out: Path) -> None:
    """Make the staged build the output: old aside, new in, old removed."""
    new, old = staging(out)
    replace_dir(new, out, aside=old)
