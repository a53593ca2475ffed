"""Controlled copies: what every PDF page says to identify its document, and the
QR code of the cover to the verify page.

The short content digest printed on each page is the first 12 hex digits of the
release's ``sources`` digest (``releases/<version>.yml``, decisions/0014): one
digest of every file of ``docs/`` at that release, the same for every PDF of the
release, and the key of the release's entry on the verify page. A draft (or a
release name with no record) is no controlled copy: it prints no digest and no QR
code, its footer names the commit. (A digest of a draft's ``docs/`` would change
the stylesheet of every part with every edit, and the build in parts would render
them all again.)
"""

from __future__ import annotations

import re
from pathlib import Path

import segno

from compendium import LANGUAGES
from compendium.labels import format_date, section
from compendium.source.ledger import ReleaseRecord, short_digest

SHORT_TITLE = 40  # characters of a title in a footer
_SITE_URL = re.compile(r"site_url:[ \t]*(?P<q>['\"]?)(?P<url>[^'\"#\s]+)(?P=q)[ \t]*(#.*)?")


def edition_digest(record: ReleaseRecord | None) -> str | None:
    """The short digest of an edition: the release record's; None for a draft."""
    return short_digest(record.sources) if record is not None else None


def approval_lines(record: ReleaseRecord | None) -> dict[str, str]:
    """The cover's approval record of a release, per language: "2026年1月20日經董事會
    通過（第五次會議），自2026年3月1日施行" / "Approved by Board on 20 January 2026
    (5th meeting), in force from 1 March 2026" (the revision history's words); empty
    for a draft."""
    if record is None:
        return {}
    out = {}
    for lang in LANGUAGES:
        t = section(lang, "changes")
        approval = record.approval
        body = approval.body.get(lang) or next(iter(approval.body.values()), "")
        text = t["approval"].format(body=body, date=format_date(approval.date, lang))
        if resolution := approval.resolution.get(lang) or "":
            text += t["approval_resolution"].format(resolution=resolution)
        text += t["approval_sep"] + t["in_force_from"].format(
            date=format_date(record.effective, lang)
        )
        out[lang] = text
    return out


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """A title for a footer: whole when short, else cut with an ellipsis."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def site_url_of(mkdocs_yml: Path) -> str | None:
    """The ``site_url`` of ``mkdocs.yml`` with a trailing slash (None when unset or not
    an http(s) URL). Read as one line: the file holds tags a plain YAML loader refuses."""
    try:
        text = mkdocs_yml.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = next(filter(None, map(_SITE_URL.fullmatch, text.splitlines())), None)
    if match is None or not match["url"].startswith(("https://", "http://")):
        return None
    url = match["url"]
    return url if url.endswith("/") else url + "/"


def uncontrolled_line(words: dict[str, str], site_url: str | None) -> str:
    """The cover's warning that a printed copy is not kept up to date (``words``: the
    ``print`` labels of one language)."""
    if not site_url:
        return words["uncontrolled_no_url"]
    return words["uncontrolled"].format(url=site_url)


def verify_url(site_url: str, digest: str) -> str:
    """The entry of an edition on the verify page."""
    return f"{site_url}verify/#{digest}"


def qr_code(payload: str) -> segno.QRCode:
    """The QR code of ``payload`` (error correction M: survives a worn corner)."""
    return segno.make_qr(payload, error="m", boost_error=False)


def qr_svg(payload: str, size_mm: float = 26.0) -> str:
    """The QR code of ``payload`` as inline SVG markup ``size_mm`` wide, with its quiet
    zone. Segno writes only the path of the modules: no text of ``payload`` reaches it."""
    qr = qr_code(payload)
    svg = qr.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    style = f'style="width:{size_mm}mm;height:{size_mm}mm" '
    return svg.replace("<svg ", f'<svg role="img" {style}', 1)
