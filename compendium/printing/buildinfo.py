"""What a printed edition states about itself: release, commit and build date.

The cover and footers of a PDF name the release it was built from (the latest
release record, ``releases/<version>.yml``, when ``docs/`` is exactly its content),
or the commit of a draft, and the date:
given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the commit's date,
else today. Git is read through :mod:`compendium.changes.git` only.

It also carries what makes a printed copy a controlled one
(:mod:`compendium.printing.control`): the short content digest of the edition (the
release record's ``sources`` digest; none for a draft) and the
``site_url`` of ``mkdocs.yml`` beside ``docs/``, the base of the cover's QR code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from compendium.buildtime import build_date
from compendium.changes.history import build_stamp
from compendium.printing.assembly import BuildInfo
from compendium.printing.control import approval_lines, edition_digest, site_url_of
from compendium.source.ledger import ReleaseRecord, load_records, records_dir


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
    built = dt.date.fromisoformat(date) if date else build_date(root, env) or dt.date.today()
    record = _record(docs, release or None)
    return BuildInfo(
        release=release or None,
        commit=commit,
        built=built,
        modified=modified,
        digest=edition_digest(record),
        site_url=site_url_of(root / "mkdocs.yml"),
        approval=approval_lines(record),
    )


def _record(docs: Path, release: str | None) -> ReleaseRecord | None:
    """The record of ``release`` (None for a draft, or a release with no record:
    then no digest is printed; make check reports bad records)."""
    if release is None:
        return None
    records, _problems = load_records(records_dir(docs))
    return next((r for r in records if r.version == release), None)
