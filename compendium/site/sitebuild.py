"""Building the site output: a whole ``site/`` or none, dated by the commit.

``swap_in`` replaces the output folder so that it always exists whole: the new
build is made in a temporary sibling folder, the old output is renamed aside,
the new one renamed in, and the old one removed. Leftovers of an interrupted
run (``site.tmp``, ``site.old``) are removed before the next build.

``source_date_epoch`` gives the build its date: ``SOURCE_DATE_EPOCH`` when the
editor sets it, else the date of the commit being built, so the same commit
gives the same bytes on any day.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from compendium.fsutil import replace_dir


def source_date_epoch(repo: Path, environ: dict[str, str] | None = None) -> str | None:
    """The build's timestamp (seconds since 1970) as text, or None outside git."""
    env = os.environ if environ is None else environ
    given = env.get("SOURCE_DATE_EPOCH", "")
    if given:
        if not given.isdigit():
            raise ValueError(
                f"SOURCE_DATE_EPOCH={given!r} is not a number of seconds since 1970-01-01"
            )
        return given
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return value if out.returncode == 0 and value.isdigit() else None


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
