"""Verify a PDF: is it an unmodified output of a recorded release, and is that
release current?

A controlled copy prints, on every page, the short content digest of its release
(the first 12 hex digits of the record's ``sources`` digest,
compendium/printing/control.py) and the release's version. This module reads the
text of every page and the document's metadata and compares them with the release
records (``releases/<version>.yml``, decisions/0014-release-records.md):

- every page carries one digest, the same on every page, and it is the prefix of a
  recorded release's ``sources`` digest;
- every page names that release's version, and the metadata (when present) names
  no other release.

What this cannot tell: a PDF rebuilt from a modified tree with a copied footer
carries a recorded digest; only comparing its text with a build of the release's
tree would reveal it (decisions/0014).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from compendium import LANGUAGES
from compendium.labels import section
from compendium.source.ledger import ReleaseRecord, short_digest

CURRENT = "current"
SUPERSEDED = "superseded"
MODIFIED = "modified"
NOT_OURS = "not-ours"
DRAFT = "draft"

_VERSION_RE = re.compile(r"(?<![\d.])([0-9]{4}\.[1-9][0-9]*)(?![\d])")


@dataclass(frozen=True)
class Verdict:
    kind: str  # one of CURRENT, SUPERSEDED, MODIFIED, NOT_OURS, DRAFT
    message: str
    release: str | None = None
    superseded_by: str | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.kind == CURRENT else 1


@dataclass(frozen=True)
class PdfText:
    pages: list[str]
    metadata: dict[str, str]


def read_pdf(path: Path) -> PdfText | None:
    """The text of every page and the document information; None when ``path`` is
    not a PDF that can be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        items = info.items() if info is not None else ()
        metadata = {str(k): str(v) for k, v in items if isinstance(v, str)}
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return PdfText(pages, metadata)


def _digest_pattern() -> re.Pattern[str]:
    """The footer's ``digest <hex>`` / ``摘要 <hex>`` in every language, spaces free."""
    words = []
    for lang in LANGUAGES:
        before = section(lang, "print")["footer_digest"].split("{digest}")[0].strip()
        words.append(r"\s*".join(map(re.escape, before)))
    return re.compile(rf"(?:{'|'.join(words)})\s*([0-9a-f]{{12}})(?![0-9a-f])")


def _ours(text: PdfText) -> bool:
    """Whether the metadata says the compendium's build wrote it (author/keywords)."""
    names = [section(lang, "interface")["compendium_title"] for lang in LANGUAGES]
    names += [section(lang, "print")["author"] for lang in LANGUAGES]
    meta = " ".join(text.metadata.values())
    return any(n and n in meta for n in names)


def verify(text: PdfText | None, records: list[ReleaseRecord]) -> Verdict:
    """The verdict on a PDF's ``text`` given the ``records`` (oldest first)."""
    if text is None or not text.pages:
        return Verdict(NOT_OURS, "not a compendium output (not a readable PDF)")
    pattern = _digest_pattern()
    found = [set(pattern.findall(page)) for page in text.pages]
    every = set().union(*found)
    if not every:
        if _ours(text):
            return Verdict(DRAFT, "a draft of the compendium: no controlled copy (no digest)")
        return Verdict(NOT_OURS, "not a compendium output (no content digest on its pages)")
    if len(every) > 1:
        listed = ", ".join(sorted(every))
        return Verdict(MODIFIED, f"modified: its pages carry different digests ({listed})")
    digest = every.pop()
    missing = [n for n, digests in enumerate(found, start=1) if not digests]
    if missing:
        return Verdict(MODIFIED, f"modified: page {missing[0]} carries no content digest")
    index = next((n for n, r in enumerate(records) if short_digest(r.sources) == digest), None)
    if index is None:
        return Verdict(MODIFIED, f"modified: digest {digest} is not that of a recorded release")
    record = records[index]
    return _same_release(text, record) or _status(record, records[index + 1 :])


def _same_release(text: PdfText, record: ReleaseRecord) -> Verdict | None:
    """A MODIFIED verdict when a page or the metadata names another release."""
    for n, page in enumerate(text.pages, start=1):
        if record.version not in _VERSION_RE.findall(page):
            return Verdict(
                MODIFIED,
                f"modified: page {n} does not name release {record.version} of its digest",
                record.version,
            )
    for key, value in sorted(text.metadata.items()):
        others = set(_VERSION_RE.findall(value)) - {record.version}
        if others and key in ("/Subject", "/Description"):
            return Verdict(
                MODIFIED,
                f"modified: its metadata ({key}) names release {sorted(others)[0]}, "
                f"its pages {record.version}",
                record.version,
            )
    return None


def _status(record: ReleaseRecord, later: list[ReleaseRecord]) -> Verdict:
    if not later:
        return Verdict(
            CURRENT, f"an unmodified output of release {record.version}, current", record.version
        )
    newest = later[-1].version
    return Verdict(
        SUPERSEDED,
        f"an unmodified output of release {record.version}, superseded by {later[0].version}"
        + (f" (the current release is {newest})" if newest != later[0].version else ""),
        record.version,
        later[0].version,
    )
