"""What a printed edition states about itself: release, commit and build date.

The cover and footers of a PDF name the release it was built from (a tag
``release/<version>`` on the commit), or the commit of a draft, and the date:
given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the commit's date,
else today. Git is read through :mod:`compendium.changes.git` only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from compendium.changes.history import build_stamp
from compendium.printing.assembly import BuildInfo
from compendium.site.sitebuild import source_date_epoch


def build_info(
    docs: Path,
    release: str | None = None,
    commit: str | None = None,
    date: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> BuildInfo:
    """The edition of ``docs``: release and commit as given, else from git (a release
    only when ``docs`` has no uncommitted change); the date as given (ISO), else
    ``SOURCE_DATE_EPOCH``, else the commit's date, else today."""
    env = os.environ if environ is None else environ
    root = docs.resolve().parent
    modified = False
    if release is None and commit is None:
        stamp = build_stamp(root, str(docs.resolve()))
        if stamp is not None:
            release, commit, modified = stamp.release, stamp.commit, stamp.modified
    if date:
        built = dt.date.fromisoformat(date)
    elif env.get("SOURCE_DATE_EPOCH", "").isdigit():
        built = dt.datetime.fromtimestamp(int(env["SOURCE_DATE_EPOCH"]), dt.UTC).date()
    elif (epoch := source_date_epoch(root, environ={})) is not None:
        built = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    else:
        built = dt.date.today()
    return BuildInfo(release=release or None, commit=commit, built=built, modified=modified)
