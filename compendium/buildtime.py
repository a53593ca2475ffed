"""When a build is made, for the site, the PDFs and the checks alike:
``SOURCE_DATE_EPOCH`` when set (``make build`` sets it), else the time of the
commit built, so the same commit gives the same bytes on any day."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path


def source_date_epoch(
    repo: Path | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The build's timestamp (seconds since 1970) as text: ``SOURCE_DATE_EPOCH``,
    else the time of ``repo``'s HEAD commit; None without either. Raises ValueError
    when ``SOURCE_DATE_EPOCH`` is set but not a number."""
    env = os.environ if environ is None else environ
    given = env.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise ValueError(
                f"SOURCE_DATE_EPOCH={given!r} is not a number of seconds since 1970-01-01"
            )
        return given
    if repo is None:
        return None
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


def build_date(
    repo: Path | None = None, environ: Mapping[str, str] | None = None
) -> dt.date | None:
    """The (UTC) date of ``source_date_epoch``; None without one."""
    epoch = source_date_epoch(repo, environ)
    return None if epoch is None else dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
